/**
 * How soon bulkWrite learns that its jobs ended: its polls are the watch's, shared and adaptive
 * (quick at first and after a change, paced by the job's rate, never past its estimated end),
 * not a fixed interval. Run on the simulator's layer under the TestClock (moved 10 ms a step,
 * the real event loop let run between steps to read the simulator's answers), so that the
 * times are virtual: the write ends within a poll of the shortest time any client could reach.
 */
import { Clock, Duration, Effect, Fiber } from "effect"
import { setImmediate } from "node:timers"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  bulkWrite,
  type BulkWriteOptions,
  type CatalogCategoryCreateRecord,
  type InvalidRequest,
  KlaviyoClient,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
} from "../mod.ts"

/**
 * Lets the real event loop run what is queued (50 rounds of `setImmediate`, whatever the
 * machine's load: rounds, not milliseconds), so that answers in flight are read first.
 */
const settle = async (): Promise<void> => {
  for (let round = 0; round < 50; round++) await new Promise<void>((resolve) => setImmediate(resolve))
}

const kind = { resource: "catalog-category", operation: "create" } as const
const records = (n: number): ReadonlyArray<CatalogCategoryCreateRecord> =>
  Array.from({ length: n }, (_, i) => ({ external_id: `C${i}`, name: `Category ${i}` }))

/**
 * Writes `n` records on a simulator whose jobs stay queued 1 s, then process 40 records a
 * second (3.5 s a job of 100), advancing the TestClock 10 ms at a time: the write's elapsed
 * virtual time, the GETs and POSTs the simulator counted, its peak of jobs in progress.
 */
const timed = async (n: number, options: BulkWriteOptions) => {
  const model = KlaviyoSimulator.model({ jobs: [], processing: { queuedMillis: 1_000, perSecond: 40 } })
  const elapsed = await Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.forkChild(bulkWrite(kind, records(n), options))
    for (let step = 0; step < 20_000 && fiber.pollUnsafe() === undefined; step++) {
      // The simulator's answers are web Responses, read on the real event loop: let them be read
      // before the clock moves on (otherwise the TestClock runs ahead of the requests in flight).
      yield* Effect.promise(settle)
      yield* TestClock.adjust("10 millis")
    }
    const report = yield* Fiber.join(fiber)
    expect([report.records, report.succeeded]).toEqual([n, n])
    return (yield* Clock.currentTimeMillis) - start
  }).pipe(
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: false, retry: false })),
    Effect.provide(KlaviyoSimulator.layer(model)),
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  )
  return {
    elapsed,
    gets: model.stats.byClass["jobs-read"].requests,
    posts: model.stats.byClass["jobs-write"].requests,
    peak: model.stats.jobsInProgressPeak,
  }
}

describe("bulkWrite's polls", () => {
  it("learns of each job's end within interval.min: 10 jobs, 2 at a time, within 0.6 s of a 17.5 s minimum", async () => {
    // Five waves of two jobs, 3.5 s each (1 s queued, 100 records at 40 a second): 17.5 s at the
    // least. Polls aimed just past each job's estimated end see it within 100 ms (interval.min)
    // of it, 7 GETs a job; a fixed poll every 2 s (the first version) took 20.01 s.
    const result = await timed(1000, { maxInFlight: 2, interval: { min: "100 millis", max: "3 seconds" } })
    // Within 5 waves x (100 ms + two 10 ms clock steps) of the minimum: 18.02 s, give or take a step.
    expect(result.elapsed).toBeGreaterThanOrEqual(17_500)
    expect(result.elapsed).toBeLessThanOrEqual(18_100)
    expect([result.posts, result.peak]).toEqual([10, 2])
    // About 7 GETs a job (70 in a quiet run), however long the job runs.
    expect(result.gets).toBeLessThanOrEqual(80)
  })

  it("polls the default way (1 s to 30 s, as the watch) without a pollInterval", async () => {
    // One wave of two 3.5 s jobs: polls 1 s apart until the rate is known, then aimed at the end
    // (a fixed poll every 2 s, the first version, saw them at 4.01 s with 6 GETs).
    const result = await timed(200, { maxInFlight: 2 })
    // 3.60 s in a quiet run; a poll aimed a step too early costs one more interval.min (1 s).
    expect(result.elapsed).toBeGreaterThanOrEqual(3_500)
    expect(result.elapsed).toBeLessThanOrEqual(4_700)
    expect([result.posts, result.peak]).toEqual([2, 2])
    expect(result.gets).toBeLessThanOrEqual(10)
  })

  it("takes pollInterval as interval.min, and refuses bounds the watch refuses, before sending", async () => {
    const refused = (options: BulkWriteOptions) =>
      Effect.runPromise(
        Effect.flip(bulkWrite(kind, records(1), options)).pipe(
          Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: false })),
          Effect.provide(KlaviyoSimulator.layer({ jobs: [] })),
        ),
      ) as Promise<InvalidRequest>
    const errors = await Promise.all([
      refused({ pollInterval: "0 millis" }),
      refused({ interval: { min: "2 seconds", max: "1 second" } }),
      refused({ interval: { max: Duration.infinity } }),
    ])
    expect(errors.map((e) => [e._tag, e.input, e.reason])).toEqual([
      ["InvalidRequest", "interval", "pollInterval must be a finite duration of 1 ms or more"],
      ["InvalidRequest", "interval", "interval.max (1000 ms) is shorter than interval.min (2000 ms)"],
      ["InvalidRequest", "interval", "interval.max must be a finite duration of 1 ms or more"],
    ])
    const fast = await timed(100, { maxInFlight: 1, pollInterval: "100 millis" })
    // 3.61 s and 7 GETs in a quiet run (a fixed 100 ms poll, the first version, took 35 GETs); on a
    // loaded machine the TestClock can run a step or two ahead of an answer being read.
    expect(fast.elapsed).toBeGreaterThanOrEqual(3_500)
    expect(fast.elapsed).toBeLessThanOrEqual(4_700)
    expect([fast.posts, fast.peak]).toEqual([1, 1])
    expect(fast.gets).toBeLessThanOrEqual(10)
  })
})
