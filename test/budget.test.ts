/** The rate-limit budget's edges: pauses, slow stores, redirects, shared budgets (TestClock). */
import { Clock, Duration, Effect, Exit, Fiber, Layer } from "effect"
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
import { drive, failureOf } from "./support/clock.ts"
import { fakeTransport, type Step } from "./support/fake.ts"
import { mostInAnyWindow, slowStore, withLatency } from "./support/stores.ts"

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
        }).pipe(Layer.provide(slowStore(15))),
      ),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(model.stats.requests).toBe(30)
    expect(model.stats.throttled).toBe(0)
  })

  it("costs a free request four round trips: operations that do not wait for each other go together", async () => {
    // The reservation, then the pause, the counter and the two windows' permits looked at
    // together, then the permits taken one after the other (longest window first): 4 x 5 ms
    // before the first send (it was 5 x 5 ms, all one after the other). The second caller's
    // acquisition, under the lock, follows the first's (its probe of the store, sent when it
    // asks, is not waited for).
    const probe = sharedClient([])
    const exit = await drive(
      Effect.all([getCatalogCategoryBulkUpdateJob("job"), getCatalogCategoryBulkUpdateJob("job")], {
        concurrency: "unbounded",
      }).pipe(Effect.provide(probe.layer)),
    ).pipe(
      Effect.provide(RateLimitBudget.layer().pipe(Layer.provide(slowStore(5)))),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    // One acquisition at a time in a process: the second looks when the first has its permits.
    expect(probe.times).toEqual([20, 40])
  })
})

/**
 * Six budgets (six processes) of two callers each, ten requests a caller, over one store that
 * answers each operation 1 to 5 ms late (seeded), burst 2 per second and steady 3 per 3 s: more
 * callers than the steady window has permits, so that a caller often finds a permit it saw free
 * taken by its earlier owner before it could take it. `pauses` ([at, for] in milliseconds) pause
 * the budget as a 429 would. Returns when each request was sent (TestClock milliseconds).
 */
const fleetSends = async (
  pauses: ReadonlyArray<readonly [number, number]>,
): Promise<ReadonlyArray<number>> => {
  let seed = 7
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const sends: Array<number> = []
  const limits = {
    burst: { limit: 2, window: "1 second" },
    steady: { limit: 3, window: "3 seconds" },
    margin: "50 millis",
  } as const
  const range = (n: number) => Array.from({ length: n }, (_, i) => i)
  const program = Effect.gen(function* () {
    const inner = yield* Effect.service(RateLimiter.RateLimiterStore)
    const store = Layer.succeed(
      RateLimiter.RateLimiterStore,
      withLatency(inner, () => 1 + Math.floor(random() * 5)),
    )
    const budgets = yield* Effect.forEach(
      range(6),
      () =>
        Effect.service(RateLimitBudget).pipe(
          Effect.provide(RateLimitBudget.layer(limits).pipe(Layer.provide(store))),
        ),
    )
    const send = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => sends.push(now)))
    const work = Effect.forEach(
      budgets,
      (budget) =>
        Effect.forEach(
          range(2),
          () => Effect.forEach(range(10), () => budget.withPermit(send), { discard: true }),
          {
            concurrency: "unbounded",
            discard: true,
          },
        ),
      { concurrency: "unbounded", discard: true },
    )
    const pausing = Effect.forEach(
      pauses,
      ([at, millis]) =>
        Effect.andThen(Effect.sleep(Duration.millis(at)), budgets[0]!.pause(Duration.millis(millis))),
      { concurrency: "unbounded", discard: true },
    )
    yield* Effect.all([work, pausing], { concurrency: 2 })
  })
  const exit = await drive(program, { step: "1 millis", maxSteps: 400_000 }).pipe(
    Effect.provide(RateLimiter.layerStoreMemory),
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  )
  expect(Exit.isSuccess(exit)).toBe(true)
  return sends
}

describe("budgets of a fleet over one store", () => {
  it("never let more than a window's limit into any window when permits are fought over", async () => {
    const sends = await fleetSends([])
    expect(sends).toHaveLength(120)
    expect(mostInAnyWindow(sends, 1000)).toBe(2)
    expect(mostInAnyWindow(sends, 3000)).toBe(3)
  }, 60_000)

  it("nor when pauses longer than a window begin while callers hold permits", async () => {
    // Callers that took their permits just before a pause began let them go and start again after
    // it: the permits would run out during the pause, others would take them, and all would send
    // when it ends (6 sends in one second, before this was fixed).
    const pauses = [[2_000, 5_000], [20_000, 8_000], [41_000, 3_000]] as const
    const sends = await fleetSends(pauses)
    expect(sends).toHaveLength(120)
    expect(mostInAnyWindow(sends, 1000)).toBe(2)
    expect(mostInAnyWindow(sends, 3000)).toBe(3)
    // Nothing is sent during a pause.
    expect(sends.filter((at) => pauses.some(([from, millis]) => at >= from + 10 && at < from + millis)))
      .toEqual([])
  }, 60_000)
})

describe("redirects", () => {
  it("take a permit for every hop on the wire", async () => {
    const client = sharedClient([
      { status: 307, headers: { location: "/api/catalog-category-bulk-update-jobs/job/" } },
      { status: 307, headers: { location: "/api/catalog-category-bulk-update-jobs/job" } },
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
    const error = failureOf(exit)
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

describe("budget scopes and stores", () => {
  /** A memory store that records the keys it is asked about. */
  const recordingStore = (keys: Set<string>) =>
    Layer.effect(
      RateLimiter.RateLimiterStore,
      Effect.gen(function* () {
        const inner = yield* Effect.service(RateLimiter.RateLimiterStore)
        return RateLimiter.RateLimiterStore.of({
          ...inner,
          fixedWindow: (options) => {
            keys.add(options.key)
            return inner.fixedWindow(options)
          },
        })
      }),
    ).pipe(Layer.provide(RateLimiter.layerStoreMemory))

  /** Two calls, each through its own budget over one store; returns when each was sent. */
  const twoBudgets = async (first: object, second: object, keys = new Set<string>()) => {
    const a = sharedClient([])
    const b = sharedClient([])
    const limits = { burst: { limit: 1, window: "1 second" }, margin: "10 millis" } as const
    const program = Effect.gen(function* () {
      const store = yield* Effect.service(RateLimiter.RateLimiterStore)
      const budget = (options: object) =>
        RateLimitBudget.layer({ ...limits, ...options }).pipe(
          Layer.provide(Layer.succeed(RateLimiter.RateLimiterStore, store)),
        )
      yield* Effect.all([
        drive(
          getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(a.layer), Effect.provide(budget(first))),
        ),
        drive(
          getCatalogCategoryBulkUpdateJob("job").pipe(
            Effect.provide(b.layer),
            Effect.provide(budget(second)),
          ),
        ),
      ], { concurrency: 2 })
    })
    await program.pipe(
      Effect.provide(recordingStore(keys)),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    return [...a.times, ...b.times].sort((x, y) => x - y)
  }

  it("share the limits of one account across budgets, and keep accounts apart", async () => {
    expect(await twoBudgets({ account: "acme" }, { account: "acme" })).toEqual([0, 1010])
    expect(await twoBudgets({ account: "acme" }, { account: "globex" })).toEqual([0, 0])
  })

  it("scope by a hash of the credential, never the credential itself", async () => {
    const keys = new Set<string>()
    const secret = "pk_0123456789abcdef0123456789abcdef"
    // Hashing the credential is real asynchronous work (Web Crypto), during which the test clock
    // may already have moved: the two sends are compared with each other, not with zero.
    const [first, second] = await twoBudgets({ credential: secret }, { credential: secret }, keys)
    expect(second! - first!).toBe(1010)
    expect([...keys].some((key) => key.includes(secret) || key.includes("0123456789abcdef"))).toBe(false)
    expect([...keys].every((key) => /:key:[0-9a-f]{16}:/.test(key))).toBe(true)
  })

  it("name the class and its limits in the keys, so budgets with other limits never share them", async () => {
    const keys = new Set<string>()
    await twoBudgets(
      { account: "acme" },
      { account: "acme", steady: { limit: 100, window: "1 minute" } },
      keys,
    )
    // The permits taken (a GET of a category job counts against jobs-read): class, then limits.
    const permits = [...keys].filter((key) => /:(burst|steady):\d+$/.test(key))
    const classes = new Set(permits.map((key) => key.split(":").slice(2, 4).join(":")))
    expect(classes).toEqual(
      new Set(["jobs-read:3500per60000ms+1per1000ms", "jobs-read:100per60000ms+1per1000ms"]),
    )
    // Every class has keys of its own (the store's operations are built for both classes).
    expect(new Set([...keys].map((key) => key.split(":")[2]))).toEqual(new Set(["jobs-read", "jobs-write"]))
  })

  it("fail a request with a TransportError when the store does not answer within storeTimeout", async () => {
    const silentStore = Layer.succeed(
      RateLimiter.RateLimiterStore,
      RateLimiter.RateLimiterStore.of({
        fixedWindow: () => Effect.never,
        tokenBucket: () => Effect.never,
        adaptiveConsume: () => Effect.never,
        adaptiveFeedback: () => Effect.never,
      }),
    )
    const client = sharedClient([])
    const exit = await drive(getCatalogCategoryBulkUpdateJob("job").pipe(Effect.provide(client.layer))).pipe(
      Effect.provide(RateLimitBudget.layer({ storeTimeout: "200 millis" }).pipe(Layer.provide(silentStore))),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "TransportError", kind: "network" })
    expect((error as { detail: string }).detail).toBe(
      "the rate-limit store failed: no answer within 200ms",
    )
    expect(client.times).toEqual([])
  })
})
