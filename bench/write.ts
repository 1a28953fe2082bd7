/**
 * `npm run bench:write [-- --records 10000 --scale 0.1 --per-second 20 --queued 1000
 *   --max-in-flight 20 --margin 10 --poll 100 --trials 1 --timeline --unlimited --fixed-poll 200]`
 *
 * 10,000 category create records (100 jobs) through `bulkWrite` against a Klaviyo stand-in in
 * a process of its own (bench/support/write-server.ts: the library's simulator model behind
 * `node:http`) that enforces Klaviyo's limits scaled in time by `--scale` (0.1 by default:
 * `jobs-write` 75 per 100 ms and 750 per 6 s, `jobs-read` 350 per 100 ms and 3500 per 6 s, at
 * a random phase; 100 records and 5 MB a job; 500 jobs in progress) and processes each job it
 * creates at a fixed rate: queued for `--queued` ms (times the scale), then `--per-second`
 * records a second (divided by the scale). The client is configured as a user would for those
 * limits: the same windows, the margin `--margin` ms (the library's 100 ms times the scale), polls bounded by the watch's defaults
 * (1 s to 30 s) times the scale, `maxInFlight` `--max-in-flight`. It first warms up (a write of
 * 2,000 records on the server's uncounted `/warmup/` path) so that the code is compiled and the
 * connections are open; the clock starts when the measured write starts.
 *
 * `--timeline` prints each job's creation, end and when its outcomes came (the lag after its
 * end); `--unlimited` turns the client's budget off (the server still counts 429s);
 * `--fixed-poll <ms>` passes only `pollInterval` (on the first version of bulkWrite, a fixed
 * interval), to compare.
 *
 * Printed: the elapsed time (start of the write to its report), the minimum any client could
 * reach, the ratio (target 1.15 or less), the 429s (must be 0, counted at the server), the peak
 * of jobs in progress (counted at the server) and the GETs the polls took.
 *
 * The minimum. Job j (in input order, size s_j records) posted at p_j ends at
 * e_j = p_j + Q + ceil(1000 s_j / r) (Q the queued time, r the per-job rate: exactly how the
 * simulator moves it). A client can do no better than to post each job as soon as (a) the POST
 * class's fixed windows have room (burst and steady, at the server's phase) and (b) fewer than
 * C = min(maxInFlight, 500) jobs are in progress, that is once the (j - C + 1)-th earliest end
 * among the jobs before it has passed, and to learn of every end the moment it happens:
 * p_j = max(p_{j-1}, e_(j-C), w_j) and T_min = max_j e_j - p_0, where w_j is the first moment the
 * windows admit one more POST (bench/support/write-minimum.ts computes it). With equal jobs and
 * windows that never bind this is T_min = ceil(n / C) (Q + ceil(1000 s / r)): the jobs run in
 * waves of C. The GET class never binds it (a client needs one GET per job after its end, far
 * under the read windows), and network latency is left out (a few ms on 127.0.0.1).
 */
import { Duration, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import {
  bulkWrite,
  type BulkWriteOutcome,
  type CatalogCategoryCreateRecord,
  KlaviyoClient,
  SIMULATED_API_KEY,
  type SimulatorStats,
} from "../mod.ts"
import type { FixedWindow } from "../test/support/fixed-windows.ts"
import { jobMillis, minimumWriteTime } from "./support/write-minimum.ts"
import type { WriteServerOptions } from "./support/write-server.ts"
import { spawnServer } from "./support/spawn-server.ts"
import { arg, flag, runtimeName, runtimeVersion } from "./support/stats.ts"

const records = arg("records", 10_000)
const scale = arg("scale", 0.1)
const perSecond = arg("per-second", 20) / scale
const queuedMillis = arg("queued", 1000) * scale
const maxInFlight = arg("max-in-flight", 20)
const margin = arg("margin", 100 * scale)
const trials = arg("trials", 1)
const jobsInProgress = 500

const scaled = (limit: number, seconds: number) => ({
  limit,
  windowMillis: Math.round(seconds * 1000 * scale),
})
const classes = {
  "jobs-write": { burst: scaled(75, 1), steady: scaled(750, 60) },
  "jobs-read": { burst: scaled(350, 1), steady: scaled(3500, 60) },
}
type Windows = { readonly burst: FixedWindow; readonly steady: FixedWindow }
const clientWindows = (c: Windows) => ({
  burst: { limit: c.burst.limit, window: Duration.millis(c.burst.windowMillis) },
  steady: { limit: c.steady.limit, window: Duration.millis(c.steady.windowMillis) },
})

/** `n` category create records, generated as they are read. */
function* categories(n: number, prefix: string): Generator<CatalogCategoryCreateRecord> {
  for (let i = 0; i < n; i++) yield { external_id: `${prefix}-${i}`, name: `Category ${i}` }
}

const clientLayer = (baseUrl: string, limited: boolean) =>
  KlaviyoClient.layer({
    apiKey: SIMULATED_API_KEY,
    baseUrl,
    rateLimit: limited
      ? {
        classes: {
          "jobs-write": clientWindows(classes["jobs-write"]),
          "jobs-read": clientWindows(classes["jobs-read"]),
        },
        margin: Duration.millis(margin),
      }
      : false,
  }).pipe(Layer.provide(FetchHttpClient.layer))

const pollMin = arg("poll", Math.max(1, Math.round(1000 * scale)))
const interval = { min: Duration.millis(pollMin), max: Duration.millis(30 * pollMin) }
// `--fixed-poll <ms>`: only `pollInterval` (a fixed interval in the first version of bulkWrite), to compare.
const fixedPoll = arg("fixed-poll", 0)
const polling = fixedPoll > 0 ? { pollInterval: Duration.millis(fixedPoll) } : { interval }
const kind = { resource: "catalog-category", operation: "create" } as const

/** Each job's creation (from its id: the simulator's ids start with the time) and when its outcomes came. */
const timeline = (seen: ReadonlyMap<string, number>, start: number, runMillis: number) => {
  const digits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
  const created = (id: string) => [...id.slice(0, 10)].reduce((n, c) => n * 32 + digits.indexOf(c), 0)
  const lags = []
  for (const [id, at] of seen) {
    const c = created(id) - start
    lags.push(at - start - c - runMillis)
    console.log(
      `job ${id}: created +${c} ms, ends +${c + runMillis}, outcomes +${at - start} (lag ${
        at - start - c - runMillis
      } ms)`,
    )
  }
  lags.sort((a, b) => a - b)
  console.log(`lag after the end: median ${lags[lags.length >> 1]} ms, max ${lags.at(-1)} ms`)
}

const rows = []
for (let trial = 0; trial < trials; trial++) {
  const phaseMillis = Date.now() + Math.floor(Math.random() * classes["jobs-write"].steady.windowMillis)
  const options: WriteServerOptions = {
    rateLimits: {
      "jobs-write": { ...classes["jobs-write"], phaseMillis },
      "jobs-read": { ...classes["jobs-read"], phaseMillis },
    },
    processing: { queuedMillis, perSecond },
    jobsInProgress,
  }
  const server = await spawnServer<SimulatorStats>("./write-server.ts", [JSON.stringify(options)])
  try {
    await Effect.runPromise(
      bulkWrite(kind, categories(2000, `warm${trial}`), { maxInFlight, ...polling }).pipe(
        Effect.provide(clientLayer(`${server.url}/warmup`, false)),
      ),
    )
    const start = Date.now()
    const seen = new Map<string, number>()
    const onOutcome = (outcome: BulkWriteOutcome) => {
      if (outcome.outcome === "succeeded" && !seen.has(outcome.job)) seen.set(outcome.job, Date.now())
    }
    const report = await Effect.runPromise(
      bulkWrite(kind, categories(records, `bench${trial}`), { maxInFlight, ...polling, onOutcome }).pipe(
        Effect.provide(clientLayer(server.url, !flag("unlimited"))),
      ),
    )
    const elapsed = Date.now() - start
    if (flag("timeline")) timeline(seen, start, queuedMillis + Math.ceil(100_000 / perSecond))
    const stats = await server.stats()
    const sizes = Array.from({ length: Math.ceil(records / 100) }, (_, j) => Math.min(100, records - 100 * j))
    const minimum = minimumWriteTime({
      jobs: sizes,
      windows: [classes["jobs-write"].burst, classes["jobs-write"].steady],
      phaseMillis,
      inFlight: Math.min(maxInFlight, jobsInProgress),
      queuedMillis,
      perSecond,
    }, start)
    const posts = Object.values(stats.posts).reduce((a, b) => a + b, 0)
    rows.push({
      records,
      jobs: sizes.length,
      succeeded: report.succeeded,
      "elapsed (s)": (elapsed / 1000).toFixed(2),
      "minimum (s)": (minimum / 1000).toFixed(2),
      ratio: (elapsed / minimum).toFixed(3),
      "429s": stats.throttled,
      "too many jobs": stats.tooManyJobs,
      "peak in progress": stats.jobsInProgressPeak,
      POSTs: posts,
      GETs: stats.byClass["jobs-read"].requests,
    })
  } finally {
    server.stop()
  }
}
console.log(
  `bench:write: ${records} records, scale ${scale} (jobs-write ${classes["jobs-write"].burst.limit}/${
    classes["jobs-write"].burst.windowMillis
  } ms and ${classes["jobs-write"].steady.limit}/${classes["jobs-write"].steady.windowMillis} ms, jobs-read ${
    classes["jobs-read"].burst.limit
  }/${classes["jobs-read"].burst.windowMillis} ms and ${classes["jobs-read"].steady.limit}/${
    classes["jobs-read"].steady.windowMillis
  } ms), jobs queued ${queuedMillis} ms then ${perSecond} records/s each (${
    jobMillis(100, { queuedMillis, perSecond })
  } ms a job of 100), maxInFlight ${maxInFlight}, margin ${margin} ms, polls ${pollMin} ms to ${
    30 * pollMin
  } ms, ${runtimeName} ${runtimeVersion}`,
)
console.table(rows)
