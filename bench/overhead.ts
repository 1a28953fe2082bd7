/**
 * `npm run bench` (Node), `npm run bench:deno`, `npm run bench:bun`
 * `[-- --rounds 6 --requests-1 200 --requests-32 1000 --categories 100 --no-write]`
 *
 * The cost of this library per call, against the floor and against Klaviyo's official SDK. One
 * local server on 127.0.0.1, in a child process of its own (bench/support/job-server.ts, always
 * on Node), serves the same job document with 100 included categories to every client:
 *
 * - `raw fetch` (the floor): `fetch` + `JSON.parse`, the same headers, nothing else;
 * - `library (Effect)`: `getCatalogCategoryBulkUpdateJob(id, { include: ["categories"] })` with
 *   `KlaviyoClient.layer({ rateLimit: false })` + `FetchHttpClient.layer` in a `ManagedRuntime`
 *   (built once), the calls run by Effect's own concurrency;
 * - `library (Promise)`: the same call through `makeKlaviyoClient`;
 * - `klaviyo-api`: the official SDK's `CatalogsApi.getBulkUpdateCategoriesJob` with
 *   `include: ["categories"]`, its `basePath` pointed at the local server.
 *
 * At concurrency 1 and 32, in rounds that alternate the clients (each round starts with the next
 * client), after a warm-up of each. Printed per client: median and p99 latency, requests per
 * second, and the ratio to the floor (the floor's requests per second over the client's: the
 * time a request costs, relative). Targets: the library within 1.10 of the floor at concurrency
 * 32 and faster than the SDK at both.
 *
 * Results are merged into bench/results.json under this runtime's name, and bench/results.svg
 * is drawn again from all the runtimes there (bench/support/chart.ts). `--no-write` only prints.
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import { FetchHttpClient } from "effect/http"
import { ApiKeySession, CatalogsApi } from "klaviyo-api"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient, makeKlaviyoClient } from "../mod.ts"
import { BENCH_API_KEY, BENCH_JOB_ID, BENCH_REVISION } from "./support/job-document.ts"
import { type OverheadRow, recordOverhead } from "./support/results.ts"
import { spawnServer } from "./support/spawn-server.ts"
import { arg, flag, machine, median, quantile, runtimeName, runtimeVersion } from "./support/stats.ts"

const rounds = arg("rounds", 6)
const categories = arg("categories", 100)
const requestsAt = (concurrency: number) => arg(`requests-${concurrency}`, concurrency === 1 ? 200 : 1000)
const concurrencies = [1, 32]

const server = await spawnServer<{ ok: number; rejected: number }>("./job-server.ts", [String(categories)])

/** A client: runs `requests` calls, `concurrency` at a time, and returns each call's latency in ms. */
interface Client {
  readonly name: string
  readonly round: (requests: number, concurrency: number) => Promise<ReadonlyArray<number>>
  /** One call's result, to check that the client got the whole job. */
  readonly once: () => Promise<unknown>
  readonly close: () => Promise<void>
}

/** Runs `call` `requests` times with `concurrency` workers, timing each call. */
const promiseRound = async (
  call: () => Promise<unknown>,
  requests: number,
  concurrency: number,
): Promise<ReadonlyArray<number>> => {
  const latencies: Array<number> = []
  let started = 0
  const worker = async () => {
    while (started < requests) {
      started++
      const start = performance.now()
      await call()
      latencies.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return latencies
}

const jobUrl = `${server.url}/api/catalog-category-bulk-update-jobs/${BENCH_JOB_ID}?include=categories`
const headers = {
  authorization: `Klaviyo-API-Key ${BENCH_API_KEY}`,
  revision: BENCH_REVISION,
  accept: "application/vnd.api+json",
}

const rawFetch = async (): Promise<unknown> => {
  const response = await fetch(jobUrl, { headers })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`raw fetch: status ${response.status}: ${text.slice(0, 200)}`)
  return JSON.parse(text)
}

const clientOptions = { apiKey: BENCH_API_KEY, baseUrl: server.url, rateLimit: false } as const
const runtime = ManagedRuntime.make(
  KlaviyoClient.layer(clientOptions).pipe(Layer.provide(FetchHttpClient.layer)),
)
const getJob = getCatalogCategoryBulkUpdateJob(BENCH_JOB_ID, { include: ["categories"] })

const effectRound = (requests: number, concurrency: number): Promise<ReadonlyArray<number>> =>
  runtime.runPromise(Effect.suspend(() => {
    const latencies: Array<number> = []
    let started = 0
    const worker = Effect.whileLoop({
      while: () => started < requests,
      body: () =>
        Effect.suspend(() => {
          started++
          const start = performance.now()
          return Effect.map(getJob, () => latencies.push(performance.now() - start))
        }),
      step: () => undefined,
    })
    return Effect.as(
      Effect.all(Array.from({ length: concurrency }, () => worker), {
        concurrency: "unbounded",
        discard: true,
      }),
      latencies,
    )
  }))

const promiseClient = makeKlaviyoClient(clientOptions)
const promiseCall = () =>
  promiseClient.getCatalogCategoryBulkUpdateJob(BENCH_JOB_ID, { include: ["categories"] })

const catalogs = new CatalogsApi(new ApiKeySession(BENCH_API_KEY))
catalogs.basePath = server.url
const sdkCall = () => catalogs.getBulkUpdateCategoriesJob(BENCH_JOB_ID, { include: ["categories"] })

const allClients: ReadonlyArray<Client> = [
  {
    name: "raw fetch",
    round: (n, c) => promiseRound(rawFetch, n, c),
    once: rawFetch,
    close: async () => {},
  },
  {
    name: "library (Effect)",
    round: effectRound,
    once: () => runtime.runPromise(getJob),
    close: () => runtime.dispose(),
  },
  {
    name: "library (Promise)",
    round: (n, c) => promiseRound(promiseCall, n, c),
    once: promiseCall,
    close: () => promiseClient.close(),
  },
  {
    name: "klaviyo-api",
    round: (n, c) => promiseRound(sdkCall, n, c),
    once: async () => (await sdkCall()).body,
    close: async () => {},
  },
]

// `--only <text>`: the floor and the clients whose name contains the text (for profiling).
const only = process.argv.indexOf("--only")
const clients = only === -1
  ? allClients
  : allClients.filter((client, index) => index === 0 || client.name.includes(process.argv[only + 1] ?? ""))

/** The number of categories each client's answer holds, to check that all did the same work. */
const countCategories = (value: unknown): number => {
  if (typeof value !== "object" || value === null) return -1
  const record = value as { readonly categories?: unknown; readonly included?: unknown }
  const list = Array.isArray(record.categories) ? record.categories : record.included
  return Array.isArray(list) ? list.length : -1
}
for (const client of clients) {
  const count = countCategories(await client.once())
  if (count !== categories) throw new Error(`${client.name} got ${count} categories, expected ${categories}`)
}

const rows: Array<OverheadRow> = []
const table: Array<string> = []
const started = Date.now()
for (const concurrency of concurrencies) {
  const requests = requestsAt(concurrency)
  for (const client of clients) await client.round(Math.max(100, requests / 2), concurrency) // warm up
  const latencies = new Map<string, Array<number>>(clients.map((client) => [client.name, []]))
  const elapsed = new Map<string, number>(clients.map((client) => [client.name, 0]))
  const roundRatios = new Map<string, Array<number>>(clients.map((client) => [client.name, []]))
  for (let round = 0; round < rounds; round++) {
    const times = new Map<string, number>()
    for (let i = 0; i < clients.length; i++) {
      const client = clients[(round + i) % clients.length]!
      const start = performance.now()
      latencies.get(client.name)!.push(...await client.round(requests, concurrency))
      const took = performance.now() - start
      times.set(client.name, took)
      elapsed.set(client.name, elapsed.get(client.name)! + took)
    }
    for (const client of clients) {
      roundRatios.get(client.name)!.push(times.get(client.name)! / times.get(clients[0]!.name)!)
    }
  }
  const floorRps = (rounds * requests) / (elapsed.get(clients[0]!.name)! / 1000)
  const floorMedian = median(latencies.get(clients[0]!.name)!)
  for (const client of clients) {
    const all = latencies.get(client.name)!
    const rps = (rounds * requests) / (elapsed.get(client.name)! / 1000)
    const ratios = roundRatios.get(client.name)!
    rows.push({
      concurrency,
      client: client.name,
      requests: rounds * requests,
      medianMs: median(all),
      p99Ms: quantile(all, 0.99),
      rps,
      ratio: floorRps / rps,
      medianRatio: median(all) / floorMedian,
      roundRatioMin: Math.min(...ratios),
      roundRatioMax: Math.max(...ratios),
    })
  }
}
const seconds = (Date.now() - started) / 1000
const stats = await server.stats()
server.stop()
for (const client of clients) await client.close()

const fmt = (n: number, digits = 2) => n.toFixed(digits)
table.push(
  `Overhead: one job with ${categories} included categories, ${runtimeName} ${runtimeVersion}, ${rounds} rounds ` +
    `alternating the clients (${
      concurrencies.map((c) => `${requestsAt(c)} requests at concurrency ${c}`).join(", ")
    } ` +
    `per client per round), ${fmt(seconds, 0)} s; server: ${stats.ok} answered, ${stats.rejected} refused\n`,
  "| concurrency | client            | median   | p99      | req/s  | vs floor | (rounds)    | median vs floor |",
  "| ----------- | ----------------- | -------- | -------- | ------ | -------- | ----------- | --------------- |",
  ...rows.map((row) =>
    `| ${String(row.concurrency).padEnd(11)} | ${row.client.padEnd(17)} | ${
      `${fmt(row.medianMs)} ms`.padEnd(8)
    } | ${`${fmt(row.p99Ms)} ms`.padEnd(8)} | ${fmt(row.rps, 0).padEnd(6)} | ${
      `${fmt(row.ratio)}x`.padEnd(8)
    } | ${`${fmt(row.roundRatioMin)}-${fmt(row.roundRatioMax)}`.padEnd(11)} | ${
      `${fmt(row.medianRatio)}x`.padEnd(15)
    } |`
  ),
)
console.log(table.join("\n"))

const find = (concurrency: number, client: string) =>
  rows.find((row) => row.concurrency === concurrency && row.client === client)
const ours = ["library (Effect)", "library (Promise)"]
const verdicts = [
  ...ours.flatMap((client) => {
    const row = find(32, client)
    return row === undefined ? [] : [
      `${client} within 1.10 of the floor at concurrency 32: ${row.ratio <= 1.1 ? "met" : "MISSED"} (${
        fmt(row.ratio)
      }x)`,
    ]
  }),
  ...concurrencies.flatMap((concurrency) =>
    ours.flatMap((client) => {
      const row = find(concurrency, client)
      const sdk = find(concurrency, "klaviyo-api")
      return row === undefined || sdk === undefined ? [] : [
        `${client} faster than klaviyo-api at concurrency ${concurrency}: ${
          row.rps > sdk.rps ? "met" : "MISSED"
        } (${fmt(row.rps, 0)} vs ${fmt(sdk.rps, 0)} req/s)`,
      ]
    })
  ),
]
console.log(`\n${verdicts.join("\n")}`)

if (!flag("no-write") && only === -1) {
  await recordOverhead({
    runtime: runtimeName,
    version: runtimeVersion,
    date: new Date().toISOString(),
    machine: machine(),
    command: `${
      runtimeName === "node" ? "npm run bench" : `npm run bench:${runtimeName}`
    } (rounds ${rounds}, categories ${categories})`,
    rows,
  })
  console.log("\nWrote bench/results.json and bench/results.svg")
}
