/** The rate-limit budget when its store loses what it held (a restart, a failover, a flush): TestClock. */
import { Effect, Exit, Layer } from "effect"
import { RateLimiter } from "effect/persistence"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient, RateLimitBudget } from "../mod.ts"
import { drive } from "./support/clock.ts"
import { fakeTransport } from "./support/fake.ts"
import { mostInAnyWindow, withLatency } from "./support/stores.ts"

const freshMemory = Effect.service(RateLimiter.RateLimiterStore).pipe(
  Effect.provide(RateLimiter.layerStoreMemory),
)

/** A store over memory (each operation 1 ms away) that `flush` empties, as a restart would. */
const flushableStore = Effect.gen(function* () {
  let inner = yield* freshMemory
  const store = withLatency(
    RateLimiter.RateLimiterStore.of({
      fixedWindow: (options) => Effect.suspend(() => inner.fixedWindow(options)),
      tokenBucket: (options) => Effect.suspend(() => inner.tokenBucket(options)),
      adaptiveConsume: (options) => Effect.suspend(() => inner.adaptiveConsume(options)),
      adaptiveFeedback: (options) => Effect.suspend(() => inner.adaptiveFeedback(options)),
    }),
    () => 1,
  )
  return { store, flush: Effect.map(freshMemory, (fresh) => void (inner = fresh)) }
})

describe("a store that comes back empty", () => {
  it("lets no more than the window's limit through: nothing is sent for one window after the loss is seen", async () => {
    const fake = fakeTransport([])
    const limits = {
      burst: { limit: 100, window: "1 second" },
      steady: { limit: 6, window: "3 seconds" },
    } as const
    const program = Effect.gen(function* () {
      const { flush, store } = yield* flushableStore
      const budget = RateLimitBudget.layer({ ...limits, margin: "10 millis" }).pipe(
        Layer.provide(Layer.succeed(RateLimiter.RateLimiterStore, store)),
      )
      const client = KlaviyoClient.layer({ apiKey: "pk_test", rateLimit: "shared", retry: false }).pipe(
        Layer.provide(fake.layer),
      )
      const call = getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(client))
      const calls = (n: number) =>
        Effect.all(Array.from({ length: n }, () => call), { concurrency: "unbounded" })
      // The window's six permits are used at once; the store is emptied 1.5 s later, and ten more
      // calls come 100 ms after that.
      yield* Effect.all([
        calls(6),
        Effect.andThen(Effect.sleep("1500 millis"), flush),
        Effect.andThen(Effect.sleep("1600 millis"), calls(10)),
      ], { concurrency: "unbounded" }).pipe(Effect.provide(budget))
    })
    const exit = await drive(program, { step: "1 millis", maxSteps: 400_000 }).pipe(
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(fake.times).toHaveLength(16)
    // Before the fix the empty store let six of the ten through at 1.6 s: 12 in one window.
    expect(mostInAnyWindow(fake.times, 3000)).toBe(6)
    // The loss is seen at the first reservation after it (1601 ms): nothing goes out until one
    // window and its margin later.
    expect(fake.times.slice(6).every((at) => at >= 1601 + 3010)).toBe(true)
  })
})
