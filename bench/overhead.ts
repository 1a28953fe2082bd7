/**
 * `npm run bench` (Node), `npm run bench:deno`, `npm run bench:bun`
 * `[-- --rounds 6 --requests-1 200 --requests-32 1000 --categories 100 --calls get,post,list --no-write]`
 *
 * What a call costs through this library, against the floor and against the peers a user would
 * pick instead (bench/support/peers.ts): `fetch` + `JSON.parse` (the floor), ky, effect/http's
 * `HttpClient` + `response.json`, the same + `HttpClientResponse.schemaBodyJson` with a
 * hand-written Schema of the document, the library through its Effect API (its default in-memory
 * budget, with windows no call reaches, and without a budget) and its Promise facade, and
 * Klaviyo's SDK `klaviyo-api`. One local server on 127.0.0.1, in a child process of its own
 * (bench/support/job-server.ts, always on Node), serves the same bytes to every client for each
 * of three calls:
 *
 * - `get`: one category update job with 100 included categories (41 KB);
 * - `post`: the POST creating a category job of 100 records, answered with the queued job;
 * - `list`: one page of 100 category create jobs.
 *
 * At concurrency 1 and 32, in rounds that alternate the clients (each round starts with the next
 * client), after a warm-up of each. Each client's timed round starts on a collected heap (`gc()`
 * under `--expose-gc`, as the npm scripts run it; `Bun.gc(true)` on Bun): without it, a client
 * pays for the garbage the one before it left, and the order is the same in every round (the
 * library always ran after `HttpClient + Schema`). Measured in this process, per client: the CPU
 * time per call (`process.cpuUsage`, user + system, over the client's rounds) and the wall time
 * per call, each as a ratio to the floor's in the same run, plus median and p99 latency. Targets (issue 15), for
 * `library (Effect)` at concurrency 32, CPU: at most 1.6x the floor on Node, 1.9x on Deno, 2.0x on
 * Bun, and less than `HttpClient + Schema`; the budget at most 5% of a call: its own work measured
 * directly (`support/budget-cost.ts`: its two transforms over a client that answers at once, with
 * and without, alternating) over the library's CPU per call; `library (Effect)` against `library,
 * no budget` is printed too, but that difference is within the rounds' own noise.
 *
 * Results are merged into bench/results.json under this runtime's name, and bench/results.svg
 * is drawn again from all the runtimes there (bench/support/chart.ts). `--no-write` only prints.
 */
import { type OverheadRow, recordOverhead } from "./support/results.ts"
import { makePeers, type Peer, type Scenario } from "./support/peers.ts"
import { printScenario, verdicts } from "./support/overhead-report.ts"
import { spawnServer } from "./support/spawn-server.ts"
import { measureBudgetCost } from "./support/budget-cost.ts"
import { arg, flag, machine, median, quantile, runtimeName, runtimeVersion } from "./support/stats.ts"

const rounds = arg("rounds", 6)
const categories = arg("categories", 100)
const records = 100
const pageJobs = 100
const requestsAt = (concurrency: number) => arg(`requests-${concurrency}`, concurrency === 1 ? 200 : 1000)
const concurrencies = [1, 32]
const callsIndex = process.argv.indexOf("--calls")
const scenarios = (callsIndex === -1 ? "get,post,list" : process.argv[callsIndex + 1] ?? "get")
  .split(",")
  .filter((name): name is Scenario => name === "get" || name === "post" || name === "list")
// `--only <text>`: the floor and the clients whose name contains the text (for profiling).
const onlyIndex = process.argv.indexOf("--only")
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1] ?? ""

const server = await spawnServer<{ ok: number; rejected: number }>("./job-server.ts", [
  String(categories),
  String(records),
  String(pageJobs),
])

const expected: Record<Scenario, number> = { get: categories, post: records, list: pageJobs }

/** A full collection, where the runtime offers one (outside the timed rounds). */
const collect: (() => void) | undefined = (() => {
  const bun = (globalThis as { readonly Bun?: { readonly gc: (force: boolean) => void } }).Bun
  if (bun !== undefined) return () => bun.gc(true)
  return (globalThis as { readonly gc?: () => void }).gc
})()

/** CPU time of this process so far, in ms (user + system). */
const cpuNow = (): number => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

interface Tally {
  latencies: Array<number>
  wall: number
  cpu: number
  readonly roundRatios: Array<number>
}

/** Runs every round of one call at one concurrency; one row per client. */
const measure = async (
  scenario: Scenario,
  peers: ReadonlyArray<Peer>,
  concurrency: number,
): Promise<ReadonlyArray<OverheadRow>> => {
  const requests = requestsAt(concurrency)
  for (const peer of peers) await peer.round(Math.max(100, requests / 2), concurrency) // warm up
  const tallies = new Map<string, Tally>(
    peers.map((peer) => [peer.name, { latencies: [], wall: 0, cpu: 0, roundRatios: [] }]),
  )
  for (let round = 0; round < rounds; round++) {
    const walls = new Map<string, number>()
    for (let i = 0; i < peers.length; i++) {
      const peer = peers[(round + i) % peers.length]!
      const tally = tallies.get(peer.name)!
      collect?.()
      const cpuStart = cpuNow()
      const start = performance.now()
      const latencies = await peer.round(requests, concurrency)
      const wall = performance.now() - start
      tally.cpu += cpuNow() - cpuStart
      tally.wall += wall
      for (const latency of latencies) tally.latencies.push(latency)
      walls.set(peer.name, wall)
    }
    const floorWall = walls.get(peers[0]!.name)!
    for (const peer of peers) tallies.get(peer.name)!.roundRatios.push(walls.get(peer.name)! / floorWall)
  }
  const calls = rounds * requests
  const floor = tallies.get(peers[0]!.name)!
  return peers.map((peer) => {
    const tally = tallies.get(peer.name)!
    return {
      scenario,
      concurrency,
      client: peer.name,
      requests: calls,
      medianMs: median(tally.latencies),
      p99Ms: quantile(tally.latencies, 0.99),
      rps: calls / (tally.wall / 1000),
      ratio: tally.wall / floor.wall,
      medianRatio: median(tally.latencies) / median(floor.latencies),
      roundRatioMin: Math.min(...tally.roundRatios),
      roundRatioMax: Math.max(...tally.roundRatios),
      cpuMsPerCall: tally.cpu / calls,
      cpuRatio: tally.cpu / floor.cpu,
      wallMsPerCall: tally.wall / calls,
    }
  })
}

const rows: Array<OverheadRow> = []
const started = Date.now()
for (const scenario of scenarios) {
  const all = makePeers(scenario, server.url, records)
  const peers = only === undefined
    ? all
    : all.filter((peer, index) => index === 0 || peer.name.includes(only))
  for (const peer of peers) {
    const got = await peer.once()
    if (got !== expected[scenario]) {
      throw new Error(`${scenario}: ${peer.name} got ${got} resources, expected ${expected[scenario]}`)
    }
  }
  const scenarioRows: Array<OverheadRow> = []
  for (const concurrency of concurrencies) scenarioRows.push(...await measure(scenario, peers, concurrency))
  for (const peer of peers) await peer.close()
  rows.push(...scenarioRows)
  console.log(printScenario(scenario, scenarioRows))
}
const seconds = (Date.now() - started) / 1000
const stats = await server.stats()
server.stop()

console.log(
  `${runtimeName} ${runtimeVersion}, ${rounds} rounds alternating the clients (${
    concurrencies.map((c) => `${requestsAt(c)} calls at concurrency ${c}`).join(", ")
  } per client per round), ${seconds.toFixed(0)} s; server: ${stats.ok} answered, ${stats.rejected} refused; ${
    collect === undefined
      ? "no collection between the clients (run with --expose-gc)"
      : "the heap collected before each client's round"
  }`,
)
// Not with `--only` (a run for profiling): its 360,000 calls would fill the profile.
const budgetCost = only === undefined ? await measureBudgetCost({ rounds: 9, calls: 20_000 }) : undefined
if (budgetCost !== undefined) {
  console.log(
    `\nThe in-memory budget's own work, measured directly: ${
      (budgetCost.costMs * 1000).toFixed(1)
    } µs of CPU a call (${
      (budgetCost.withBudgetMs * 1000).toFixed(1)
    } µs with its two transforms over a client that answers at once, ${
      (budgetCost.bareMs * 1000).toFixed(1)
    } µs without)`,
  )
}
console.log(`\n${verdicts(rows, runtimeName, budgetCost?.costMs).join("\n")}`)

if (!flag("no-write") && only === undefined && scenarios.length === 3) {
  await recordOverhead({
    runtime: runtimeName,
    version: runtimeVersion,
    date: new Date().toISOString(),
    machine: machine(),
    command: `${
      runtimeName === "node" ? "npm run bench" : `npm run bench:${runtimeName}`
    } (rounds ${rounds})`,
    rows,
  })
  console.log("\nWrote bench/results.json and bench/results.svg")
}
