/**
 * `npm run bench:fleet [-- --requests 3500 --margin 50]`
 *
 * 1, 2, 4 and 8 processes share one account's budget through Redis (a private redis-server on
 * 127.0.0.1) against a Klaviyo stand-in, in a process of its own, that enforces the limits in
 * fixed windows scaled down in time (burst 35 per 100 ms, steady 350 per 3 s) at a random phase.
 * Each run sends the same total, split between the processes, 8 at a time in each; the script
 * prints the 429s, the elapsed time (first send to last answer), the theoretical minimum (a
 * client that knew the phase), the phase-agnostic minimum and the utilisation.
 *
 * Target: zero 429s and at least 90% utilisation at 8 processes.
 */
import { execFile } from "node:child_process"
import { minimumTime } from "../test/support/fixed-windows.ts"
import { startRedis } from "../test/support/redis.ts"
import { spawnLimitedServer } from "./support/spawn-server.ts"
import { arg } from "./support/stats.ts"

const total = arg("requests", 3500)
const margin = arg("margin", 50)
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

const redis = await startRedis()
const rows = []
try {
  for (const processes of [1, 2, 4, 8]) {
    const phase = Date.now() + Math.floor(Math.random() * steady.windowMillis)
    const server = await spawnLimitedServer({ burst, steady, phaseMillis: phase })
    const account = `bench-${processes}-${Date.now()}`
    const share = (i: number) => Math.floor(total / processes) + (i < total % processes ? 1 : 0)
    const reports = await Promise.all(
      Array.from({ length: processes }, (_, i) =>
        new Promise<Report>((resolve, reject) =>
          execFile(tsx, [worker, redis.url, server.url, String(share(i)), JSON.stringify(limits), account, "8"], {
            timeout: 600_000,
          }, (error, stdout) =>
            error === null ? resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as Report) : reject(error))
        )),
    )
    const stats = await server.stats()
    server.stop()
    const start = Math.min(...reports.map((report) => report.start))
    const elapsed = Math.max(...reports.map((report) => report.end)) - start
    const theoretical = minimumTime(total, [burst, steady], phase, start)
    const agnostic = minimumTime(total, [burst, steady], start, start)
    rows.push({
      processes,
      requests: total,
      "429s": stats.throttled,
      failures: reports.reduce((sum, report) => sum + report.failures.length, 0),
      "elapsed (s)": (elapsed / 1000).toFixed(2),
      "theoretical min (s)": (theoretical / 1000).toFixed(2),
      "phase-agnostic min (s)": (agnostic / 1000).toFixed(2),
      utilisation: `${((100 * theoretical) / elapsed).toFixed(1)}%`,
      "vs phase-agnostic": `${((100 * agnostic) / elapsed).toFixed(1)}%`,
    })
  }
} finally {
  await redis.stop()
}
console.log(
  `fleet bench: ${total} requests per run, burst ${burst.limit}/${burst.windowMillis} ms, steady ${steady.limit}/${steady.windowMillis} ms, margin ${margin} ms, ${process.release.name} ${process.version}`,
)
console.table(rows)
