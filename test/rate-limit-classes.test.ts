/**
 * Limit classes under `TestClock`: each class's windows from the revision (exact numbers), each
 * class's own pause after a 429 and own reading of the `RateLimit-*` headers, overrides of a
 * class, and a shared budget checked against a client's revision.
 */
import { Duration, Effect, Exit, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  bulkCreateCatalogItems,
  getCatalogCategoryBulkUpdateJob,
  getCatalogItemBulkCreateJob,
  InvalidRequest,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  RateLimitBudget,
  rateLimitClasses,
} from "../mod.ts"
import { classFake, type ScriptedAnswer, type SentRequest } from "./support/class-fake.ts"
import { drive, failureOf } from "./support/clock.ts"

const item = {
  external_id: "SHIRT-1",
  title: "Shirt",
  description: "A blue shirt",
  url: "https://example.com/shirt",
}
const post = bulkCreateCatalogItems([item])
/** A GET of the jobs-read class. */
const readGet = getCatalogCategoryBulkUpdateJob("job")
/** A GET of the jobs-write class (item create jobs count with the POSTs). */
const writeGet = getCatalogItemBulkCreateJob("job")

const POSTS = "/api/catalog-item-bulk-create-jobs"
const READS = "/api/catalog-category-bulk-update-jobs"

/** A client over a fake that answers with `answer`, its own budget or the shared one. */
const clientOver = (
  answer: (request: SentRequest, index: number) => ScriptedAnswer | undefined,
  options: KlaviyoClientBaseOptions = {},
) => {
  const fake = classFake(answer)
  const layer = KlaviyoClient.layer({ apiKey: "pk_test", retry: false, ...options }).pipe(
    Layer.provide(fake.layer),
  )
  return { fake, layer: layer as Layer.Layer<KlaviyoClient, InvalidRequest> }
}

/** Runs `program` under TestClock with a shared in-memory budget. */
const underClock = <A, E>(
  program: Effect.Effect<A, E, RateLimitBudget>,
  budget = RateLimitBudget.layerMemory(),
) => program.pipe(Effect.provide(budget), Effect.provide(TestClock.layer()), Effect.runPromise)

describe("the limits of each class follow the revision's spec", () => {
  const pairs = (revision: string) => {
    const classes = rateLimitClasses(revision)
    if (classes instanceof InvalidRequest) throw classes
    return Object.fromEntries(
      Object.entries(classes).map((
        [name, limits],
      ) => [name, [
        limits.burst.limit,
        Duration.toMillis(limits.burst.window),
        limits.steady.limit,
        Duration.toMillis(limits.steady.window),
      ]]),
    )
  }

  it.each([
    ["2022-10-17", 700],
    ["2023-10-15", 700],
    ["2025-10-15", 700],
    ["2026-01-15", 750],
    ["2026-01-15.pre", 750],
    ["2026-04-15", 750],
    ["2026-07-15", 750],
    ["2026-10-15", 750],
  ])(
    "revision %s: jobs-write 75 per second and %i per minute, jobs-read 350 and 3500",
    (revision, steady) => {
      expect(pairs(revision)).toEqual({
        "jobs-read": [350, 1000, 3500, 60_000],
        "jobs-write": [75, 1000, steady, 60_000],
      })
    },
  )

  it("a malformed revision is an InvalidRequest naming the revision", () => {
    expect(rateLimitClasses("2025-13-01")).toMatchObject({
      _tag: "InvalidRequest",
      input: "revision",
      reason: '"2025-13-01" names a day that does not exist',
    })
  })

  it("a shared budget says its classes' limits and the revision they came from", async () => {
    const classes = await underClock(
      Effect.map(Effect.service(RateLimitBudget), (budget) => budget.classes),
      RateLimitBudget.layerMemory({ revision: "2025-10-15", burst: { limit: 100, window: "1 second" } }),
    )
    expect(classes).toEqual({
      "jobs-read": {
        burst: { limit: 100, window: Duration.seconds(1) },
        steady: { limit: 3500, window: Duration.minutes(1) },
        revision: undefined,
      },
      "jobs-write": {
        burst: { limit: 75, window: Duration.seconds(1) },
        steady: { limit: 700, window: Duration.minutes(1) },
        revision: "2025-10-15",
      },
    })
  })

  /** `count` POSTs at once through a client of `revision` (its own budget); when each was sent. */
  const posts = async (revision: string, count: number) => {
    const { fake, layer } = clientOver(() => undefined, { revision, rateLimit: { margin: "10 millis" } })
    const exit = await drive(
      Effect.all(Array.from({ length: count }, () => post), { concurrency: 100 }).pipe(Effect.provide(layer)),
      { step: "10 millis", maxSteps: 20_000 },
    ).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)
    expect(Exit.isSuccess(exit)).toBe(true)
    return [...fake.times("POST")].sort((a, b) => a - b)
  }

  it(
    "a client of 2025-10-15 sends its 701st POST a steady window after its first (700 per minute)",
    async () => {
      const times = await posts("2025-10-15", 701)
      // 75 a second (each burst permit held 1 s and the 10 ms margin): the 700th in the tenth burst.
      expect(times.slice(0, 75)).toEqual(Array(75).fill(0))
      expect(times[699]).toBe(9 * 1010)
      expect(times[700]).toBe(60_010)
    },
    60_000,
  )

  it(
    "a client of 2026-07-15 sends its 701st POST in the tenth burst, and its 751st a minute on",
    async () => {
      const times = await posts("2026-07-15", 751)
      expect(times[700]).toBe(9 * 1010)
      expect(times[749]).toBe(9 * 1010)
      expect(times[750]).toBe(60_010)
    },
    60_000,
  )
})

describe("a 429 pauses its own class", () => {
  /**
   * The first request of `first` meets a 429 (Retry-After: `seconds`); 100 ms later a POST, a
   * GET of an item job (jobs-write) and a GET of a category job (jobs-read) are sent together.
   */
  const afterA429 = async (first: Effect.Effect<unknown, unknown, KlaviyoClient>, seconds: number) => {
    const { fake, layer } = clientOver((_, index) =>
      index === 0 ? { status: 429, headers: { "retry-after": String(seconds) } } : undefined
    )
    await underClock(Effect.gen(function* () {
      expect(Exit.isFailure(yield* Effect.exit(first.pipe(Effect.provide(layer))))).toBe(true)
      yield* TestClock.adjust("100 millis")
      const rest = Effect.all([post, writeGet, readGet], { concurrency: "unbounded" }).pipe(
        Effect.provide(layer),
      )
      expect(Exit.isSuccess(yield* drive(rest))).toBe(true)
    }))
    return {
      posts: fake.times("POST"),
      writeGets: fake.times("GET", "/api/catalog-item-bulk-create-jobs/"),
      readGets: fake.times("GET", READS),
    }
  }

  it("a 429 to a POST holds back the POSTs and item-job GETs, not the category GETs", async () => {
    expect(await afterA429(post, 3)).toEqual({ posts: [0, 3000], writeGets: [3000], readGets: [100] })
  })

  it("a 429 to a category GET holds back the category GETs, not the POSTs", async () => {
    expect(await afterA429(readGet, 2)).toEqual({ posts: [100], writeGets: [100], readGets: [0, 2000] })
  })

  it("a pause that names no class holds back every class", async () => {
    const { fake, layer } = clientOver(() => undefined, { rateLimit: "shared" })
    await underClock(Effect.gen(function* () {
      const budget = yield* Effect.service(RateLimitBudget)
      yield* budget.pause(Duration.seconds(1))
      const both = Effect.all([post, readGet], { concurrency: "unbounded" }).pipe(Effect.provide(layer))
      expect(Exit.isSuccess(yield* drive(both))).toBe(true)
    }))
    expect([fake.times("POST"), fake.times("GET")]).toEqual([[1000], [1000]])
  })

  it("a shared budget pauses the POSTs of another client after one client's 429, not its GETs", async () => {
    const first = clientOver(() => ({ status: 429, headers: { "retry-after": "4" } }), {
      rateLimit: "shared",
    })
    const second = clientOver(() => undefined, { rateLimit: "shared" })
    await underClock(Effect.gen(function* () {
      const failed = yield* Effect.forkChild(Effect.exit(post.pipe(Effect.provide(first.layer))))
      yield* TestClock.adjust("250 millis")
      yield* Fiber.join(failed)
      const rest = Effect.all([post, readGet], { concurrency: "unbounded" }).pipe(
        Effect.provide(second.layer),
      )
      expect(Exit.isSuccess(yield* drive(rest))).toBe(true)
    }))
    expect(first.fake.times("POST")).toEqual([0])
    expect([second.fake.times("POST"), second.fake.times("GET")]).toEqual([[4000], [250]])
  })
})

describe("RateLimit-* headers are read for their class", () => {
  it("a spent steady window of the POSTs (another program) pauses the POSTs until Reset, not the GETs", async () => {
    // The first POST's answer: nothing left of the POSTs' steady window for 10 s, while the
    // budget's own permits account for one request only.
    const { fake, layer } = clientOver((_, index) =>
      index === 0
        ? {
          status: 202,
          headers: { "ratelimit-limit": "750", "ratelimit-remaining": "0", "ratelimit-reset": "10" },
        }
        : undefined
    )
    await underClock(Effect.gen(function* () {
      expect(Exit.isSuccess(yield* Effect.exit(post.pipe(Effect.provide(layer))))).toBe(true)
      yield* TestClock.adjust("100 millis")
      const rest = Effect.all([post, readGet, writeGet], { concurrency: "unbounded" }).pipe(
        Effect.provide(layer),
      )
      expect(Exit.isSuccess(yield* drive(rest))).toBe(true)
    }))
    expect({
      posts: fake.times("POST"),
      writeGets: fake.times("GET", "/api/catalog-item-bulk-create-jobs/"),
      readGets: fake.times("GET", READS),
    }).toEqual({ posts: [0, 10_000], writeGets: [10_000], readGets: [100] })
  })
})

describe("overrides of a class", () => {
  /** Three POSTs and three category GETs at once through a client with `rateLimit`; when each went. */
  const both = async (rateLimit: KlaviyoClientBaseOptions["rateLimit"]) => {
    const { fake, layer } = clientOver(() => undefined, { rateLimit })
    const calls = Effect.all([post, post, post, readGet, readGet, readGet], { concurrency: "unbounded" })
    const exit = await drive(calls.pipe(Effect.provide(layer))).pipe(
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    return { posts: fake.times("POST", POSTS), gets: fake.times("GET", READS) }
  }

  it("rateLimit.classes sets the POSTs' windows, and the GETs keep theirs", async () => {
    expect(
      await both({
        classes: { "jobs-write": { burst: { limit: 2, window: "1 second" } } },
        margin: "10 millis",
      }),
    ).toEqual({ posts: [0, 0, 1010], gets: [0, 0, 0] })
  })

  it("rateLimit.burst sets jobs-read's burst window (as before classes), and the POSTs keep theirs", async () => {
    expect(await both({ burst: { limit: 1, window: "1 second" }, margin: "10 millis" })).toEqual({
      posts: [0, 0, 0],
      gets: [0, 1010, 2020],
    })
  })

  it("rateLimit.classes['jobs-read'] is the same window as rateLimit.burst", async () => {
    expect(
      await both({
        classes: { "jobs-read": { burst: { limit: 1, window: "1 second" } } },
        margin: "10 millis",
      }),
    ).toEqual({ posts: [0, 0, 0], gets: [0, 1010, 2020] })
  })
})

describe("a shared budget and the revisions of its clients", () => {
  const call = (revision: string, budget: Layer.Layer<RateLimitBudget, InvalidRequest>) => {
    const { fake, layer } = clientOver(() => undefined, { revision, rateLimit: "shared" })
    return Effect.exit(post.pipe(Effect.provide(layer), Effect.provide(budget))).pipe(
      Effect.map((exit) => ({ exit, sent: fake.sent.length })),
      Effect.runPromise,
    )
  }

  it("a client of 2025-10-15 refuses a budget of 2026-07-15 (750 POSTs a minute, its spec says 700)", async () => {
    const { exit, sent } = await call("2025-10-15", RateLimitBudget.layerMemory())
    expect(failureOf(exit)).toMatchObject({
      _tag: "InvalidRequest",
      input: "rateLimit",
      reason:
        'the shared RateLimitBudget gives jobs-write 75 per second and 750 per minute (revision 2026-07-15), more than this client\'s revision 2025-10-15 allows (75 and 700): build the budget with revision: "2025-10-15" (the oldest revision among its clients), or set its rateLimit.classes["jobs-write"]',
    })
    expect(sent).toBe(0)
  })

  it.each(
    [
      ["a budget of the same revision", "2025-10-15", { revision: "2025-10-15" }],
      ["a budget of an older revision", "2026-07-15", { revision: "2025-10-15" }],
      ["a budget whose POST limits were set explicitly", "2025-10-15", {
        classes: { "jobs-write": { steady: { limit: 750, window: "1 minute" } } },
      }],
    ] as const,
  )("a client accepts %s", async (_, revision, options) => {
    const { exit, sent } = await call(revision, RateLimitBudget.layerMemory(options))
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(sent).toBe(1)
  })
})
