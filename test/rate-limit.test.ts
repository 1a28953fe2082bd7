import { Effect, Exit, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  type KlaviyoModel,
  KlaviyoSimulator,
  RateLimitBudget,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { fakeTransport } from "./support/fake.ts"
import { drive, testNow } from "./support/clock.ts"
import { minimumTime } from "./support/fixed-windows.ts"

const burst = { limit: 10, windowMillis: 1000 }
const steady = { limit: 40, windowMillis: 10_000 }
const clientLimits = {
  burst: { limit: 10, window: "1 second" },
  steady: { limit: 40, window: "10 seconds" },
  margin: "20 millis",
} as const

/** Runs `effect` under TestClock (see `drive`); returns its exit and the time it ended. */
const driveTimed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const exit = yield* drive(effect, { maxSteps: 200_000 })
    return { exit, end: yield* testNow }
  })

/** `count` concurrent calls from one client against a simulator that enforces the windows at `phase`. */
const flood = (count: number, phase: number, options: KlaviyoClientBaseOptions) => {
  const model: KlaviyoModel = KlaviyoSimulator.model({ rateLimit: { burst, steady, phaseMillis: phase } })
  const calls = Effect.all(
    Array.from({ length: count }, () => getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)),
    { concurrency: "unbounded" },
  ).pipe(
    Effect.provide(
      KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, retry: false, ...options }).pipe(
        Layer.provide(KlaviyoSimulator.layer(model)),
      ),
    ),
  )
  return driveTimed(calls).pipe(
    Effect.map((result) => ({ ...result, model })),
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  )
}

describe("the rate-limit budget against fixed windows of any phase (TestClock)", () => {
  for (const phase of [0, 1, 250, 999, 4_321, 9_999]) {
    it(`meets no 429 with the windows at phase ${phase} ms, and stays near the fastest possible`, async () => {
      const { end, exit, model } = await flood(130, phase, { rateLimit: clientLimits })
      expect(model.stats.throttled).toBe(0)
      expect(Exit.isSuccess(exit) && exit.value.length).toBe(130)
      expect(model.stats.requests).toBe(130)
      const fastest = minimumTime(130, [burst, steady], phase, 0)
      expect(end).toBeGreaterThanOrEqual(fastest)
      // Not knowing the phase, the best a client can do is 40 requests per 10 s from its first
      // send: the 130th goes out after three steady windows, each held for its margin (20 ms) too.
      // (The test clock moves in 5 ms steps, and a few waits in a row each round up to one.)
      expect(end).toBeLessThanOrEqual(3 * 10_020 + 200)
    })
  }

  it("is what keeps the 429s away: without it the same load meets them", async () => {
    const { model } = await flood(130, 250, { rateLimit: false })
    expect(model.stats.throttled).toBe(130 - 10)
  })
})

describe("a shared budget", () => {
  it("pauses every client that shares it for a 429's Retry-After", async () => {
    const first = fakeTransport([{ status: 429, headers: { "retry-after": "3" } }])
    const second = fakeTransport([])
    const shared = (fake: typeof first) =>
      KlaviyoClient.layer({ apiKey: "pk_test", rateLimit: "shared", retry: false }).pipe(
        Layer.provide(fake.layer),
      )
    const program = Effect.gen(function* () {
      const a = yield* Effect.forkChild(Effect.exit(
        getCatalogCategoryBulkUpdateJob("job-1").pipe(
          Effect.provide(shared(first)),
        ),
      ))
      yield* TestClock.adjust("100 millis")
      yield* Fiber.join(a)
      return yield* driveTimed(getCatalogCategoryBulkUpdateJob("job-1").pipe(Effect.provide(shared(second))))
    })
    const { exit } = await program.pipe(
      Effect.provide(RateLimitBudget.layerMemory()),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(first.times).toEqual([0])
    // The second client asked at 100 ms and was held until the pause ended at 3 s.
    expect(second.times).toEqual([3000])
  })

  it("keeps two clients of one account inside the account's limits together", async () => {
    const model = KlaviyoSimulator.model({ rateLimit: { burst, steady, phaseMillis: 777 } })
    const client = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: "shared", retry: false }).pipe(
      Layer.provide(KlaviyoSimulator.layer(model)),
    )
    const calls = (n: number) =>
      Effect.all(Array.from({ length: n }, () => getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)), {
        concurrency: "unbounded",
      }).pipe(Effect.provide(client))
    const { exit } = await driveTimed(Effect.all([calls(45), calls(45)], { concurrency: 2 })).pipe(
      Effect.provide(RateLimitBudget.layerMemory(clientLimits)),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(model.stats).toMatchObject({
      requests: 90,
      throttled: 0,
      throttledBy: { burst: 0, steady: 0 },
      byClass: { "jobs-read": { requests: 90, throttled: 0 }, "jobs-write": { requests: 0, throttled: 0 } },
    })
  })
})

describe("corrections from RateLimit-Remaining", () => {
  it("pauses until RateLimit-Reset when another program has spent the account", async () => {
    const model = KlaviyoSimulator.model({ rateLimit: { steady: { limit: 20, windowMillis: 10_000 } } })
    const request = {
      method: "GET",
      url: `https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
      headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15" },
    }
    for (let i = 0; i < 18; i++) model.handle(request, 0) // another program, same account
    const times: Array<number> = []
    const one = Effect.gen(function* () {
      yield* getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
      times.push(yield* testNow)
    })
    const { exit } = await driveTimed(
      Effect.all([one, one, one, one], { concurrency: 1 }).pipe(
        Effect.provide(
          KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, retry: false }).pipe(
            Layer.provide(KlaviyoSimulator.layer(model)),
          ),
        ),
      ),
    ).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(model.stats.throttled).toBe(0)
    // Two requests fit in what was left; the third waited for the server's window to reset.
    expect(times.slice(0, 2)).toEqual([0, 0])
    expect(times[2]).toBe(10_000)
  })

  /**
   * Calls one after the other, the i-th sent at `sendAt(i)`, against a server whose steady window
   * (20 per 10 s) began at -50 ms, through a budget with the same steady window. Returns when
   * each was sent, and the server's stats.
   */
  const paced = async (sendAt: (i: number) => number, count: number, spentElsewhere: number) => {
    const model = KlaviyoSimulator.model({
      rateLimit: { steady: { limit: 20, windowMillis: 10_000 }, phaseMillis: 9_950 },
    })
    const request = {
      method: "GET",
      url: `https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
      headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15" },
    }
    for (let i = 0; i < spentElsewhere; i++) model.handle(request, 0) // another program, same account
    const times: Array<number> = []
    const calls = Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) =>
      Effect.gen(function* () {
        const wait = sendAt(i) - (yield* testNow)
        if (wait > 0) yield* Effect.sleep(wait)
        yield* getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
        times.push(yield* testNow)
      }))
    const { exit } = await driveTimed(
      calls.pipe(
        Effect.provide(
          KlaviyoClient.layer({
            apiKey: SIMULATED_API_KEY,
            retry: false,
            rateLimit: { steady: { limit: 20, window: "10 seconds" }, margin: "20 millis" },
          }).pipe(Layer.provide(KlaviyoSimulator.layer(model))),
        ),
      ),
    ).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)
    expect(Exit.isSuccess(exit)).toBe(true)
    return { times, stats: model.stats }
  }

  it("adds no wait for a RateLimit-Remaining: 0 that the budget's own requests explain", async () => {
    // Twenty calls 130 ms apart fill the server's window; the last answer (at 2470 ms) says
    // Remaining: 0 and Reset: 8 (7.48 s, rounded up). The budget's own twenty permits are held past
    // the window's end: the 21st call goes when the first permit is free again (10 s + 20 ms after
    // it was taken), not when the rounded-up Reset ends (10 470 ms, before the fix).
    const { stats, times } = await paced((i) => i * 130, 21, 0)
    expect(times.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => i * 130))
    expect(times[20]).toBe(10_020)
    expect(stats.throttled).toBe(0)
  })

  it("still pauses until RateLimit-Reset for a Remaining: 0 that the budget's own requests do not explain", async () => {
    // Another program spent 15 of the window's 20; the budget's own windows (20 per 10 s) would
    // let 15 more through, but the fifth answer (at 520 ms) says Remaining: 0, Reset: 10.
    const { stats, times } = await paced((i) => i * 130, 6, 15)
    expect(times.slice(0, 5)).toEqual([0, 130, 260, 390, 520])
    expect(times[5]).toBe(520 + 10_000)
    expect(stats.throttled).toBe(0)
  })
})
