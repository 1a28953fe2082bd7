/**
 * `npm run bench:fleet [-- --requests 3500 --margin 50 --trials 1 --processes 1,2,4,8 --cold]`
 *
 * 1, 2, 4 and 8 processes share one account's budget through Redis (a private redis-server on
 * 127.0.0.1) against a Klaviyo stand-in, in a process of its own, that enforces the limits in
 * fixed windows scaled down in time (burst 35 per 100 ms, steady 350 per 3 s) at a random phase.
 * Each run sends the same total, split between the processes, 8 at a time in each. The processes
 * start as a running fleet would be: each first warms up (300 requests on the stand-in's
 * uncounted `/warmup/` path, through a budget of its own) and connects, then all are released
 * at once; the clock starts at the release. The script prints the 429s, the elapsed time (release
 * to last answer), the theoretical minimum (a client that knew the phase), the phase-agnostic
 * minimum (the best a client can guarantee without knowing the phase, with no margin) and the
 * utilisation. `--trials` repeats every process count (the phase is drawn anew each run);
 * `--processes` picks the counts. `--cold` starts the processes as they load instead (no warm-up,
 * no release; the clock starts when the first one is ready to send), as the first version of this
 * bench did: eight processes loading on two cores send slowly for their first seconds, and a ring
 * of permits repeats that slow start in every later window (each permit frees a window after it
 * was taken), so it measures the machine's start-up as much as the budget.
 *
 * Target: zero 429s and at least 90% utilisation at 8 processes.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { minimumTime } from "../test/support/fixed-windows.ts"
import { startRedis } from "../test/support/redis.ts"
import { spawnLimitedServer } from "./support/spawn-server.ts"
import { arg, flag } from "./support/stats.ts"

const total = arg("requests", 3500)
const margin = arg("margin", 50)
const trials = arg("trials", 1)
const cold = flag("cold")
const processesAt = process.argv.indexOf("--processes")
const processCounts = processesAt === -1
  ? [1, 2, 4, 8]
  : (process.argv[processesAt + 1] ?? "").split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0)
const burst = { limit: 35, windowMillis: 100 }
const steady = { limit: 350, windowMillis: 3000 }
const limits = {
  burst: { limit: burst.limit, window: `${burst.windowMillis} millis` },
  steady: { limit: steady.limit, window: `${steady.windowMillis} millis` },
  margin: `${margin} millis`,
}
const tsx = new URL("../node_modules/.bin/tsx", import.meta.url).pathname
const worker = new URL("../test/support/fleet-worker.ts", import.meta.url).pathname

interface Report {
  readonly ok: number
  readonly failures: ReadonlyArray<string>
  readonly start: number
  readonly end: number
}

interface Worker {
  readonly ready: Promise<void>
  readonly report: Promise<Report>
  readonly child: ChildProcess
}

/**
 * Starts a worker that warms up, prints `ready` and waits for a line on its standard input (or,
 * with `--cold`, one that starts sending as soon as it has loaded).
 */
const startWorker = (args: ReadonlyArray<string>): Worker => {
  const child = spawn(tsx, [worker, ...args, ...(cold ? [] : ["--warmup", "--barrier"])], {
    stdio: ["pipe", "pipe", "inherit"],
  })
  // Every load test here is bounded.
  const timer = setTimeout(() => child.kill("SIGKILL"), 600_000)
  let output = ""
  let onReady = () => {}
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    output += text
    if (/^ready$/m.test(output)) onReady()
  })
  const report = new Promise<Report>((resolve, reject) =>
    child.once("exit", (code) => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error(`a worker exited with ${code}`))
      resolve(JSON.parse(output.trim().split("\n").at(-1)!) as Report)
    })
  )
  return { child, ready: cold ? Promise.resolve() : ready, report }
}

const redis = await startRedis()
const rows = []
try {
  for (const processes of processCounts) {
    for (let trial = 0; trial < trials; trial++) {
      const phase = Date.now() + Math.floor(Math.random() * steady.windowMillis)
      const server = await spawnLimitedServer({ burst, steady, phaseMillis: phase })
      try {
        const account = `bench-${processes}-${Date.now()}`
        const share = (i: number) => Math.floor(total / processes) + (i < total % processes ? 1 : 0)
        const workers = Array.from(
          { length: processes },
          (_, i) => startWorker([redis.url, server.url, String(share(i)), JSON.stringify(limits), account, "8"]),
        )
        await Promise.all(workers.map((w) => w.ready))
        const released = Date.now()
        for (const w of workers) w.child.stdin!.end("go\n")
        const reports = await Promise.all(workers.map((w) => w.report))
        // Cold: from the first worker ready to send (each reports when it was).
        const start = cold ? Math.min(...reports.map((report) => report.start)) : released
        const stats = await server.stats()
        const elapsed = Math.max(...reports.map((report) => report.end)) - start
        const theoretical = minimumTime(total, [burst, steady], phase, start)
        const agnostic = minimumTime(total, [burst, steady], start, start)
        rows.push({
          processes,
          requests: total,
          "429s": stats.throttled,
          answered: reports.reduce((sum, report) => sum + report.ok, 0),
          failures: reports.reduce((sum, report) => sum + report.failures.length, 0),
          "elapsed (s)": (elapsed / 1000).toFixed(2),
          "theoretical min (s)": (theoretical / 1000).toFixed(2),
          "phase-agnostic min (s)": (agnostic / 1000).toFixed(2),
          utilisation: `${((100 * theoretical) / elapsed).toFixed(1)}%`,
          "vs phase-agnostic": `${((100 * agnostic) / elapsed).toFixed(1)}%`,
        })
      } finally {
        server.stop()
      }
    }
  }
} finally {
  await redis.stop()
}
console.log(
  `fleet bench (${cold ? "cold start" : "warm processes released at once"}): ${total} requests per run, burst ${burst.limit}/${burst.windowMillis} ms, steady ${steady.limit}/${steady.windowMillis} ms, margin ${margin} ms, ${process.release.name} ${process.version}`,
)
console.table(rows)
