/**
 * Watching a job to its end, against the simulator moving jobs over `TestClock` time: what is
 * emitted and when, how often it polls, how it ends, and that watchers share one poll.
 */
import { Duration, Effect, Exit, Fiber, References, Schedule, Stream } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  awaitCatalogCategoryBulkUpdateJob,
  InvalidRequest,
  KlaviyoApiError,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  type KlaviyoModel,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
  type SimulatedJob,
  type SimulatedJobProgress,
  watchCatalogCategoryBulkUpdateJob,
} from "../mod.ts"
import { jobProgress, pollDelay } from "../src/watch.ts"
import { drive, failureOf, testNow } from "./support/clock.ts"

const categories = (n: number) => Array.from({ length: n }, (_, i) => `$custom:::$default:::C${i}`)

const job = (id: string, total: number, progress: SimulatedJobProgress): SimulatedJob => ({
  id,
  status: "queued",
  created_at: new Date(0),
  total_count: total,
  categories: categories(total),
  progress,
})

/** 40 operations, queued 3 s, then 2 a second; operations 5 and 17 fail: complete at 23 s. */
const lifecycle = () => job("job-life", 40, { queuedMillis: 3_000, perSecond: 2, failures: [5, 17] })

const withSimulator = <A, E>(
  model: KlaviyoModel,
  effect: Effect.Effect<A, E, KlaviyoClient>,
  client: Partial<KlaviyoClientBaseOptions> = {},
): Promise<Exit.Exit<A, E>> =>
  drive(effect, { step: "100 millis" }).pipe(
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, ...client })),
    Effect.provide(KlaviyoSimulator.layer(model)),
    Effect.provide(TestClock.layer()),
    // Retries log a warning each; these tests count requests instead.
    Effect.provideService(References.MinimumLogLevel, "Error"),
    Effect.runPromise,
  )

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), (c) => [...c])

describe("watchCatalogCategoryBulkUpdateJob", () => {
  it("emits a snapshot when something changed and ends after the job completes", async () => {
    const model = KlaviyoSimulator.model({ jobs: [lifecycle()] })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-life")))
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    // Poll 2 (1 s, still queued) changed nothing and is not emitted; polls then come every
    // second: 5% of 40 operations at the observed 2 a second.
    expect(snapshots.map((s) => s.poll)).toEqual([1, ...Array.from({ length: 21 }, (_, i) => i + 3)])
    expect(snapshots.map((s) => s.at.getTime())).toEqual([
      0,
      ...Array.from({ length: 21 }, (_, i) => (i + 3) * 1000),
    ])
    expect(model.stats.requests).toBe(23)
    const first = snapshots[0]!
    expect(first.job.status).toBe("queued")
    expect(first.progress).toEqual({
      total: 40,
      completed: 0,
      failed: 0,
      processed: 0,
      percent: 0,
      rate: null,
      remaining: null,
      adjusted: [],
    })
    const at4 = snapshots.find((s) => s.at.getTime() === 4_000)!
    expect(at4.job.status).toBe("processing")
    expect(at4.progress.processed).toBe(2)
    expect(at4.progress.rate).toBe(2)
    expect(at4.progress.remaining).toEqual(Duration.millis(19_000))
    const last = snapshots[snapshots.length - 1]!
    expect(last.job.status).toBe("complete")
    expect(last.job.completed_at).toEqual(new Date(23_000))
    expect(last.progress).toMatchObject({ total: 40, completed: 38, failed: 2, percent: 100 })
    expect(last.progress.remaining).toEqual(Duration.zero)
    expect(last.job.errors?.map((error) => error.source?.pointer)).toEqual([
      "/data/attributes/categories/5",
      "/data/attributes/categories/17",
    ])
    expect(snapshots.filter((s) => s.job.status === "complete")).toHaveLength(1)
  })

  it("polls ever more slowly while nothing moves: 1, 2, 4, 8, 16, then 30 seconds apart", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-slow", 10, { queuedMillis: 60_000, perSecond: 1_000 })],
    })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-slow")))
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    // Polls at 0, 1, 3, 7, 15, 31 and 61 s: only the first and the last changed anything.
    expect(snapshots.map((s) => [s.poll, s.at.getTime(), s.job.status])).toEqual([
      [1, 0, "queued"],
      [7, 61_000, "complete"],
    ])
    expect(model.stats.requests).toBe(7)
  })

  it("keeps the gap between polls within interval.max", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-capped", 10, { queuedMillis: 20_000, perSecond: 1_000 })],
    })
    const exit = await withSimulator(
      model,
      collect(
        watchCatalogCategoryBulkUpdateJob("job-capped", { interval: { min: "1 second", max: "4 seconds" } }),
      ),
    )
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    // 0, 1, 3, 7, 11, 15, 19, 23 s.
    expect(snapshots.map((s) => s.at.getTime())).toEqual([0, 23_000])
    expect(model.stats.requests).toBe(8)
  })

  it("ends after a cancelled job, and awaitCatalogCategoryBulkUpdateJob returns it", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-cancel", 10, { queuedMillis: 0, perSecond: 4, cancelAfter: 4 })],
    })
    const exit = await withSimulator(model, awaitCatalogCategoryBulkUpdateJob("job-cancel"))
    expect(Exit.isSuccess(exit)).toBe(true)
    const final = Exit.isSuccess(exit) ? exit.value : undefined
    expect(final?.status).toBe("cancelled")
    expect([final?.completed_count, final?.failed_count, final?.total_count]).toEqual([4, 0, 10])
    expect(final?.completed_at).toEqual(new Date(1_000))
  })

  it("fetches the categories with every poll when include asks for them", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-cats", 3, { queuedMillis: 0, perSecond: 3 })],
      categories: categories(3).map((id, i) => ({ id, name: `Category ${i}` })),
    })
    const exit = await withSimulator(
      model,
      awaitCatalogCategoryBulkUpdateJob("job-cats", { include: ["categories"] }),
    )
    const final = Exit.isSuccess(exit) ? exit.value : undefined
    expect(final?.categories.map((category) => category.name)).toEqual([
      "Category 0",
      "Category 1",
      "Category 2",
    ])
    expect(final?.unresolved).toEqual([])
  })

  it("ends with JobWatchError gone when the job answers 404 after it was seen", async () => {
    const model = KlaviyoSimulator.model({ jobs: [job("job-gone", 100, { queuedMillis: 0, perSecond: 1 })] })
    const exit = await withSimulator(
      model,
      collect(
        watchCatalogCategoryBulkUpdateJob("job-gone").pipe(
          Stream.tap((snapshot) => Effect.sync(() => snapshot.poll === 3 && model.jobs.delete("job-gone"))),
        ),
      ),
    )
    const error = failureOf(exit)
    expect(error?._tag).toBe("JobWatchError")
    if (error?._tag !== "JobWatchError") return
    expect(error.reason).toBe("gone")
    expect(error.jobId).toBe("job-gone")
    expect(error.last?.poll).toBe(3)
    expect(error.last?.job.status).toBe("processing")
    expect(error.cause).toBeInstanceOf(KlaviyoApiError)
    expect((error.cause as KlaviyoApiError).status).toBe(404)
    expect(error.message).toBe(
      "Watch of job job-gone ended (gone): Klaviyo answered 404 after 3 polls had seen the job processing",
    )
    expect(model.stats.requests).toBe(4)
  })

  it("ends with JobWatchError expired when the job expires while it runs", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-expiring", 100, { queuedMillis: 0, perSecond: 1, keepMillis: 5_000 })],
    })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-expiring")))
    const error = failureOf(exit)
    expect(error?._tag).toBe("JobWatchError")
    if (error?._tag !== "JobWatchError") return
    expect(error.reason).toBe("expired")
    expect(error.detail).toBe(
      "Klaviyo answered 404: the job expired at 1970-01-01T00:00:05.000Z while it was processing",
    )
  })

  it("fails with the API's 404 when the job never existed (not a JobWatchError)", async () => {
    const model = KlaviyoSimulator.model({ jobs: [] })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("no-such-job")))
    const error = failureOf(exit)
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect((error as KlaviyoApiError).status).toBe(404)
    expect(model.stats.requests).toBe(1)
  })

  it("fails with JobWatchError deadline, carrying the last snapshot, when the deadline passes", async () => {
    const model = KlaviyoSimulator.model({ jobs: [job("job-stuck", 10, { queuedMillis: 1e9 })] })
    const exit = await withSimulator(
      model,
      Effect.gen(function* () {
        const result = yield* Effect.exit(
          awaitCatalogCategoryBulkUpdateJob("job-stuck", { deadline: "10 seconds" }),
        )
        return { result, at: yield* testNow }
      }),
    )
    const { result, at } = Exit.isSuccess(exit) ? exit.value : { result: undefined, at: -1 }
    expect(at).toBe(10_000)
    const error = result === undefined ? undefined : failureOf(result)
    expect(error?._tag).toBe("JobWatchError")
    if (error?._tag !== "JobWatchError") return
    expect(error.reason).toBe("deadline")
    expect(error.last?.job.status).toBe("queued")
    // The last poll, not the last snapshot emitted (poll 1 was the last one that changed anything).
    // Polls come at 0, 1, 3 and 7 s after the first, which runs after the driver's first 100 ms
    // step of the test clock.
    expect(error.last?.poll).toBe(4)
    expect(error.last?.at.getTime()).toBe(7_100)
    expect(error.detail).toBe("the job was still queued when the watch's deadline of 10s passed")
    // Polls at 0, 1, 3 and 7 s.
    expect(model.stats.requests).toBe(4)
  })

  it("refuses bad intervals and deadlines before sending anything", async () => {
    const model = KlaviyoSimulator.model({ jobs: [lifecycle()] })
    for (
      const [options, input, reason] of [
        [{ interval: { min: "0 millis" } }, "interval", "interval.min must be a positive, finite duration"],
        [
          { interval: { min: "5 seconds", max: "1 second" } },
          "interval",
          "interval.max (1000 ms) is shorter than interval.min (5000 ms)",
        ],
        [{ deadline: "-1 seconds" }, "deadline", "the watch's deadline must be a positive duration"],
      ] as const
    ) {
      const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-life", options)))
      const error = failureOf(exit)
      expect(error).toBeInstanceOf(InvalidRequest)
      expect(error).toMatchObject({ input, reason })
    }
    expect(model.stats.requests).toBe(0)
  })

  it("polls on a schedule of its own when given one, and ends when it ends", async () => {
    const model = KlaviyoSimulator.model({ jobs: [lifecycle()] })
    const exit = await withSimulator(
      model,
      collect(watchCatalogCategoryBulkUpdateJob("job-life", { schedule: Schedule.spaced("5 seconds") })),
    )
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    expect(snapshots.map((s) => s.at.getTime())).toEqual([0, 5_000, 10_000, 15_000, 20_000, 25_000])
    expect(snapshots.map((s) => s.job.status)).toEqual([
      "queued",
      "processing",
      "processing",
      "processing",
      "processing",
      "complete",
    ])
    const stopped = KlaviyoSimulator.model({ jobs: [lifecycle()] })
    const exit2 = await withSimulator(
      stopped,
      awaitCatalogCategoryBulkUpdateJob("job-life", { schedule: Schedule.recurs(2) }),
    )
    expect(failureOf(exit2)).toMatchObject({ _tag: "JobWatchError", reason: "stopped" })
    expect(stopped.stats.requests).toBe(3)
  })

  it("shares one poll between watchers of the same job; a late one starts from the latest snapshot", async () => {
    const model = KlaviyoSimulator.model({ jobs: [lifecycle()] })
    const exit = await withSimulator(
      model,
      Effect.gen(function* () {
        const a = yield* Effect.forkChild(collect(watchCatalogCategoryBulkUpdateJob("job-life")))
        const b = yield* Effect.forkChild(collect(watchCatalogCategoryBulkUpdateJob("job-life")))
        yield* Effect.sleep("10500 millis")
        const late = yield* Effect.forkChild(collect(watchCatalogCategoryBulkUpdateJob("job-life")))
        const [first, second, third] = [yield* Fiber.join(a), yield* Fiber.join(b), yield* Fiber.join(late)]
        const afterwards = model.stats.requests
        // Once every watcher has left, a new watch polls afresh.
        const again = yield* collect(watchCatalogCategoryBulkUpdateJob("job-life"))
        return { first, second, third, afterwards, again }
      }),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    if (!Exit.isSuccess(exit)) return
    const { afterwards, again, first, second, third } = exit.value
    expect(afterwards).toBe(23)
    expect(second.map((s) => s.poll)).toEqual(first.map((s) => s.poll))
    expect(third[0]!.poll).toBe(10)
    expect(third.map((s) => s.poll)).toEqual(first.map((s) => s.poll).filter((poll) => poll >= 10))
    expect(again.map((s) => [s.poll, s.job.status])).toEqual([[1, "complete"]])
    expect(model.stats.requests).toBe(24)
  })

  it("does not hand a failed poll to a watcher who joins later: it polls afresh", async () => {
    const model = KlaviyoSimulator.model({ jobs: [job("job-retry", 2, { queuedMillis: 0, perSecond: 1 })] })
    const exit = await withSimulator(
      model,
      Effect.gen(function* () {
        // A slow first watcher: it is still on its first snapshot when the shared poll fails.
        const slow = yield* Effect.forkChild(Effect.exit(collect(
          watchCatalogCategoryBulkUpdateJob("job-retry").pipe(Stream.tap(() => Effect.sleep("10 seconds"))),
        )))
        yield* Effect.sleep("500 millis")
        model.inject({ status: 400 })
        yield* Effect.sleep("5 seconds")
        const late = yield* collect(watchCatalogCategoryBulkUpdateJob("job-retry"))
        return { slow: yield* Fiber.join(slow), late }
      }),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    if (!Exit.isSuccess(exit)) return
    expect(failureOf(exit.value.slow)).toMatchObject({ _tag: "KlaviyoApiError", status: 400 })
    expect(exit.value.late.map((s) => [s.poll, s.job.status])).toEqual([[1, "complete"]])
    // The first poll, the one that failed, and the late watcher's own.
    expect(model.stats.requests).toBe(3)
  })

  it("does not share a poll between different include options", async () => {
    const model = KlaviyoSimulator.model({ jobs: [job("job-x", 2, { queuedMillis: 0, perSecond: 2 })] })
    await withSimulator(
      model,
      Effect.all([
        awaitCatalogCategoryBulkUpdateJob("job-x"),
        awaitCatalogCategoryBulkUpdateJob("job-x", { include: ["categories"] }),
      ], { concurrency: "unbounded" }),
    )
    // Each watch: polls at 0 (processing) and 1 s (complete).
    expect(model.stats.requests).toBe(4)
  })

  it("retries failed polls with the client's policy and goes on", async () => {
    const model = KlaviyoSimulator.model({ jobs: [job("job-faults", 10, { queuedMillis: 0, perSecond: 2 })] })
    model.inject({ status: 503 }, { reset: true }, { status: 502 })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-faults")))
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    const last = snapshots[snapshots.length - 1]!
    expect(last.job.status).toBe("complete")
    // Every request was a successful poll, but for the three faults.
    expect(model.stats.requests).toBe(last.poll + 3)
    expect(model.pendingFaults()).toBe(0)
  })

  it("waits out the server's 429s (Retry-After) and goes on", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-429", 6, { queuedMillis: 0, perSecond: 3 })],
      rateLimit: { burst: { limit: 1, windowMillis: 1_500 } },
    })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-429")), {
      rateLimit: false,
    })
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    const last = snapshots[snapshots.length - 1]!
    expect(last.job.status).toBe("complete")
    expect(model.stats.throttled).toBeGreaterThan(0)
    expect(model.stats.requests).toBe(last.poll + model.stats.throttled)
  })

  it("stays inside the client's rate-limit budget: no 429 from a server with the same limits", async () => {
    const model = KlaviyoSimulator.model({
      jobs: [job("job-budget", 6, { queuedMillis: 0, perSecond: 3 })],
      rateLimit: { burst: { limit: 1, windowMillis: 1_500 }, phaseMillis: 700 },
    })
    const exit = await withSimulator(model, collect(watchCatalogCategoryBulkUpdateJob("job-budget")), {
      rateLimit: { burst: { limit: 1, window: "1500 millis" }, steady: { limit: 100, window: "1 minute" } },
    })
    const snapshots = Exit.isSuccess(exit) ? exit.value : []
    expect(snapshots[snapshots.length - 1]!.job.status).toBe("complete")
    expect(model.stats.throttled).toBe(0)
  })
})

describe("job progress, made sane", () => {
  it("clamps the spec example's counts (completed above total, negative failed) and says so", () => {
    const progress = jobProgress({
      status: "processing",
      total_count: 45015917,
      completed_count: 73148140,
      failed_count: -41767917,
    })
    expect(progress).toEqual({
      total: 45015917,
      completed: 45015917,
      failed: 0,
      processed: 45015917,
      percent: 100,
      rate: null,
      remaining: null,
      adjusted: [
        "failed_count -41767917 is negative: read as 0",
        "completed_count 73148140 is above total_count 45015917: read as 45015917",
      ],
    })
  })

  it("keeps completed + failed within total, and reads a missing total from the counts", () => {
    expect(jobProgress({ status: "processing", total_count: 10, completed_count: 7, failed_count: 5 }))
      .toMatchObject({
        completed: 7,
        failed: 3,
        percent: 100,
        adjusted: ["failed_count 5 leaves more than total_count processed: read as 3"],
      })
    expect(jobProgress({ status: "processing", total_count: 0, completed_count: 3, failed_count: null }))
      .toMatchObject({
        total: 3,
        completed: 3,
        failed: 0,
        adjusted: ["total_count is 0 with 3 operations processed: total read as 3"],
      })
    expect(jobProgress({ status: "complete", total_count: 0 })).toMatchObject({
      total: 0,
      percent: 100,
      adjusted: [],
    })
    expect(jobProgress({ status: "queued", total_count: 0 })).toMatchObject({ total: 0, percent: 0 })
  })

  it("reads a complete job as 100% even when its counts lag, and says so", () => {
    expect(jobProgress({ status: "complete", total_count: 4, completed_count: 2, failed_count: 0 }))
      .toMatchObject({
        processed: 2,
        percent: 100,
        remaining: Duration.zero,
        adjusted: ["the job is complete with 2 of 4 operations counted: percent read as 100"],
      })
  })

  it("measures the rate over the samples and estimates the time left from it", () => {
    const progress = jobProgress(
      { status: "processing", total_count: 100, completed_count: 40, failed_count: 0 },
      [{ at: 0, processed: 10 }, { at: 2_000, processed: 20 }, { at: 6_000, processed: 40 }],
    )
    expect(progress.rate).toBe(5)
    expect(progress.remaining).toEqual(Duration.seconds(12))
    const stalled = jobProgress(
      { status: "processing", total_count: 100, completed_count: 40 },
      [{ at: 0, processed: 40 }, { at: 5_000, processed: 40 }],
    )
    expect([stalled.rate, stalled.remaining]).toEqual([0, null])
  })
})

describe("the default polling delay", () => {
  const bounds = { min: 1_000, max: 30_000 }
  const moving = (rate: number | null, total: number, processed: number) =>
    jobProgress(
      { status: "processing", total_count: total, completed_count: processed },
      rate === null ? [] : [{ at: 0, processed: 0 }, { at: (1000 * processed) / rate, processed }],
    )
  it("is min at first, and doubles up to max while nothing moves", () => {
    expect(pollDelay(moving(null, 10, 0), 0, bounds)).toBe(1_000)
    expect([1, 2, 3, 4, 5, 6, 40].map((unchanged) => pollDelay(moving(null, 10, 0), unchanged, bounds)))
      .toEqual([
        2_000,
        4_000,
        8_000,
        16_000,
        30_000,
        30_000,
        30_000,
      ])
  })
  it("comes about every 5% of the job at the observed rate, never past the estimated end", () => {
    // 1000 operations at 10 a second: 5% takes 5 s.
    expect(pollDelay(moving(10, 1_000, 100), 0, bounds)).toBe(5_000)
    // 2 s of work left: poll at the estimated end.
    expect(pollDelay(moving(10, 1_000, 980), 0, bounds)).toBe(2_000)
    // Fast jobs: never below min; slow ones: never above max.
    expect(pollDelay(moving(1_000, 100, 10), 0, bounds)).toBe(1_000)
    expect(pollDelay(moving(0.1, 1_000_000, 10), 0, bounds)).toBe(30_000)
  })
})
