/** The rate-limit budget's edges: pauses, slow stores, redirects, shared budgets (TestClock). */
import { Duration, Effect, Exit, Fiber, Layer } from "effect"
import { RateLimiter } from "effect/persistence"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  InvalidRequest,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  KlaviyoSimulator,
  RateLimitBudget,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { fakeTransport, type Step } from "./support/fake.ts"

/** Runs `effect` under TestClock in 5 ms steps until it ends. */
const drive = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.exit(effect))
    let exit = fiber.pollUnsafe()
    for (let i = 0; i < 100_000 && exit === undefined; i++) {
      yield* TestClock.adjust("5 millis")
      exit = fiber.pollUnsafe()
    }
    return yield* Fiber.join(fiber)
  })

const sharedClient = (steps: ReadonlyArray<Step>, options: KlaviyoClientBaseOptions = {}) => {
  const fake = fakeTransport(steps)
  return {
    times: fake.times,
    layer: KlaviyoClient.layer({ apiKey: "pk_test", rateLimit: "shared", retry: false, ...options }).pipe(
      Layer.provide(fake.layer),
    ),
  }
}

const oneBurstPerSecond = { burst: { limit: 1, window: "1 second" }, margin: "10 millis" } as const

describe("pauses", () => {
  it("hold a caller that was already waiting for a permit when the pause began", async () => {
    // The first call's answer takes 100 ms and is a 429 asking to wait 10 s.
    const first = sharedClient([{ status: 429, headers: { "retry-after": "10" }, delayMillis: 100 }])
    const second = sharedClient([])
    const program = Effect.gen(function* () {
      const a = yield* Effect.forkChild(
        drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(first.layer))),
      )
      yield* TestClock.adjust("1 millis")
      // The second caller waits for the only burst permit, free again at 1010 ms, when the 429
      // (at 100 ms) has paused the budget until 10 100 ms.
      const b = yield* drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(second.layer)))
      yield* Fiber.join(a)
      return b
    })
    const exit = await program.pipe(
      Effect.provide(RateLimitBudget.layerMemory(oneBurstPerSecond)),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(first.times).toEqual([0])
    expect(second.times).toHaveLength(1)
    expect(second.times[0]!).toBeGreaterThanOrEqual(10_100)
    expect(second.times[0]!).toBeLessThan(10_200)
  })

  it("never add up when many callers pause the budget at once", async () => {
    const probe = sharedClient([])
    const program = Effect.gen(function* () {
      const budget = yield* Effect.service(RateLimitBudget)
      yield* Effect.all(Array.from({ length: 20 }, () => budget.pause(Duration.seconds(1))), {
        concurrency: "unbounded",
      })
      return yield* drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(probe.layer)))
    })
    await program.pipe(
      Effect.provide(RateLimitBudget.layerMemory()),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(probe.times).toEqual([1000])
  })

  it("last at most maxPause, however long Retry-After is", async () => {
    const first = sharedClient([{ status: 429, headers: { "retry-after": "86400" } }])
    const second = sharedClient([])
    const program = Effect.gen(function* () {
      const a = yield* drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(first.layer)))
      const b = yield* drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(second.layer)))
      return [a, b] as const
    })
    const [a, b] = await program.pipe(
      Effect.provide(RateLimitBudget.layerMemory({ maxPause: "30 seconds" })),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isFailure(a)).toBe(true)
    expect(Exit.isSuccess(b)).toBe(true)
    expect(second.times).toEqual([30_000])
  })
})

describe("the budget's store", () => {
  it("keeps working, and keeps the limits, when every store operation takes 15 ms", async () => {
    const slowStore = Layer.effect(
      RateLimiter.RateLimiterStore,
      Effect.gen(function* () {
        const inner = yield* Effect.service(RateLimiter.RateLimiterStore)
        const slow = <A, E>(effect: Effect.Effect<A, E>) => Effect.andThen(Effect.sleep("15 millis"), effect)
        return RateLimiter.RateLimiterStore.of({
          fixedWindow: (options) => slow(inner.fixedWindow(options)),
          tokenBucket: (options) => slow(inner.tokenBucket(options)),
          adaptiveConsume: (options) => slow(inner.adaptiveConsume(options)),
          adaptiveFeedback: (options) => slow(inner.adaptiveFeedback(options)),
        })
      }),
    ).pipe(Layer.provide(RateLimiter.layerStoreMemory))
    const model = KlaviyoSimulator.model({
      rateLimit: {
        burst: { limit: 5, windowMillis: 1000 },
        steady: { limit: 12, windowMillis: 5000 },
        phaseMillis: 321,
      },
    })
    const client = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: "shared", retry: false }).pipe(
      Layer.provide(KlaviyoSimulator.layer(model)),
    )
    const calls = Effect.all(
      Array.from({ length: 30 }, () => getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)),
      {
        concurrency: "unbounded",
      },
    ).pipe(Effect.provide(client))
    const exit = await drive(calls).pipe(
      Effect.provide(
        RateLimitBudget.layer({
          burst: { limit: 5, window: "1 second" },
          steady: { limit: 12, window: "5 seconds" },
          margin: "100 millis",
        }).pipe(Layer.provide(slowStore)),
      ),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(model.stats.requests).toBe(30)
    expect(model.stats.throttled).toBe(0)
  })
})

describe("redirects", () => {
  it("take a permit for every hop on the wire", async () => {
    const client = sharedClient([
      { status: 307, headers: { location: "/api/catalog-category-bulk-update-jobs/job-2" } },
      { status: 307, headers: { location: "/api/catalog-category-bulk-update-jobs/job-3" } },
    ])
    const exit = await drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(client.layer))).pipe(
      Effect.provide(RateLimitBudget.layerMemory(oneBurstPerSecond)),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(client.times).toEqual([0, 1010, 2020])
  })
})

describe("shared budgets", () => {
  it('refuse rateLimit: "shared" without a RateLimitBudget, with a typed error', async () => {
    const fake = fakeTransport([])
    const exit = await getCatalogCategoryBulkUpdateJob("job").pipe(
      Effect.provide(
        KlaviyoClient.layer({ apiKey: "pk_test", rateLimit: "shared" }).pipe(Layer.provide(fake.layer)),
      ),
      // The layer's type asks for a RateLimitBudget; leave it out on purpose, as a mistake would.
      (effect) => effect as Effect.Effect<unknown, unknown>,
      Effect.runPromiseExit,
    )
    const error = Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail"
      ? exit.cause.reasons[0].error
      : undefined
    expect(error).toBeInstanceOf(InvalidRequest)
    expect((error as InvalidRequest).input).toBe("rateLimit")
    expect(fake.times).toEqual([])
  })

  it("spread the first client's retries over the budget too (retries take permits)", async () => {
    const client = sharedClient([{ status: 503 }], { retry: { base: "10 millis" } })
    const exit = await drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(client.layer))).pipe(
      Effect.provide(RateLimitBudget.layerMemory(oneBurstPerSecond)),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    // The retry's backoff is ~10 ms, but the only burst permit comes free at 1010 ms.
    expect(client.times).toEqual([0, 1010])
  })
})
