/**
 * A fleet of writers: four processes, each running its own bulkWrite, share the rate-limit budget
 * and the in-flight cap through a real redis-server, against one simulator behind one real server
 * that counts the jobs in progress (its stats.jobsInProgressPeak) and enforces the limits.
 */
import { execFile } from "node:child_process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RedisServer, startRedis } from "./support/redis.ts"
import { startServer } from "./support/server.ts"

const tsx = new URL("../node_modules/.bin/tsx", import.meta.url).pathname
const worker = new URL("./support/fleet-write-worker.ts", import.meta.url).pathname

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis.stop())

interface WriterReport {
  readonly records: number
  readonly succeeded: number
  readonly jobs: number
  readonly outcomeIndexes: ReadonlyArray<number>
  readonly failed: ReadonlyArray<
    { readonly index: number; readonly key?: string; readonly details: ReadonlyArray<string> }
  >
  readonly unknown: number
}

const runWriter = (serverUrl: string, prefix: string, count: number, maxInFlight: number, limits: object) =>
  new Promise<WriterReport>((resolve, reject) => {
    execFile(tsx, [
      worker,
      redis.url,
      serverUrl,
      prefix,
      String(count),
      String(maxInFlight),
      JSON.stringify(limits),
    ], {
      timeout: 50_000,
    }, (error, stdout, stderr) => {
      if (error !== null) return reject(new Error(`${error.message}\n${stderr}`))
      resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as WriterReport)
    })
  })

// Klaviyo's POST limits scaled down (and the GETs'), so that four writers together would pass them.
const WRITE = { burst: { limit: 4, windowMillis: 1_000 }, steady: { limit: 40, windowMillis: 10_000 } }
const READ = { burst: { limit: 40, windowMillis: 1_000 }, steady: { limit: 1_000, windowMillis: 10_000 } }
const window = (w: { limit: number; windowMillis: number }) => ({
  limit: w.limit,
  window: `${w.windowMillis} millis`,
})

describe("four processes writing at once, one in-flight cap and one budget in Redis", () => {
  it(
    "never more than maxInFlight jobs in progress in total (peak exactly maxInFlight), 0 x 429, one correct outcome per record",
    async () => {
      const maxInFlight = 3
      const server = await startServer({
        rateLimits: { "jobs-write": WRITE, "jobs-read": READ },
        // 100 records at 100 a second: each job is in progress for 1.2 s at least.
        processing: { queuedMillis: 200, perSecond: 100 },
        failRecords: (record) =>
          /7$/.test(String(record["external_id"])) ? "The category is not allowed." : undefined,
      })
      try {
        const limits = {
          classes: { "jobs-write": { burst: window(WRITE.burst), steady: window(WRITE.steady) } },
          burst: window(READ.burst),
          steady: window(READ.steady),
          margin: "250 millis",
        }
        const started = Date.now()
        // 500 records each: 5 jobs per process, 20 in all, never more than 3 in progress.
        const reports = await Promise.all(
          ["p1", "p2", "p3", "p4"].map((prefix) => runWriter(server.url, prefix, 500, maxInFlight, limits)),
        )
        const elapsed = Date.now() - started
        const stats = server.model.stats
        expect(stats.jobsInProgressPeak).toBe(maxInFlight)
        expect(stats.throttled).toBe(0)
        expect(stats.tooManyJobs).toBe(0)
        expect(stats.jobsCreated["catalog-category-bulk-create-job"]).toBe(20)
        expect(stats.posts["catalog-category-bulk-create-job"]).toBe(20)
        for (const [n, report] of reports.entries()) {
          const prefix = `p${n + 1}`
          // Records 7, 17, ..., 497 fail (50 of them), the other 450 succeed.
          const failing = Array.from({ length: 50 }, (_, i) => i * 10 + 7)
          expect(report).toMatchObject({ records: 500, succeeded: 450, jobs: 5, unknown: 0 })
          expect(report.outcomeIndexes).toEqual(Array.from({ length: 500 }, (_, i) => i))
          expect(report.failed.map((f) => f.index)).toEqual(failing)
          expect(report.failed.map((f) => f.key)).toEqual(failing.map((i) => `${prefix}-${i}`))
          expect(new Set(report.failed.flatMap((f) => f.details))).toEqual(
            new Set(["The category is not allowed."]),
          )
        }
        expect(elapsed).toBeLessThan(60_000)
      } finally {
        await server.close()
      }
    },
    60_000,
  )
})
