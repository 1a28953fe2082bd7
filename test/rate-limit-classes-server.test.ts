/**
 * Limit classes against a real local server (a process of its own) that enforces each class in
 * fixed windows of its own at a random phase, scaled down in time: POSTs and GETs of both classes
 * run at once, through one client, then through two clients sharing a budget over a real
 * redis-server. No 429, and each class comes near the best a client that does not know the
 * server's phase can do.
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { Effect, Exit, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { ClassLimits, ClassName, ClassStats } from "../bench/support/class-limited-server.ts"
import { type BenchServer, spawnServer } from "../bench/support/spawn-server.ts"
import {
  bulkCreateCatalogItems,
  bulkDeleteCatalogCategories,
  bulkUpdateCatalogVariants,
  getCatalogCategoryBulkUpdateJob,
  getCatalogItemBulkCreateJob,
  getCatalogItemBulkDeleteJob,
  KlaviyoClient,
  type KlaviyoError,
  RateLimitBudget,
  type RateLimitOptions,
} from "../mod.ts"
import { minimumTime } from "./support/fixed-windows.ts"
import { type RedisServer, startRedis } from "./support/redis.ts"

const writeWindows = { burst: { limit: 5, windowMillis: 100 }, steady: { limit: 20, windowMillis: 1000 } }
const readWindows = { burst: { limit: 20, windowMillis: 100 }, steady: { limit: 80, windowMillis: 1000 } }

/** The same windows as the client's options, and a margin for the spread of latency. */
const rateLimit: RateLimitOptions = {
  classes: {
    "jobs-write": { burst: { limit: 5, window: "100 millis" }, steady: { limit: 20, window: "1 second" } },
    "jobs-read": { burst: { limit: 20, window: "100 millis" }, steady: { limit: 80, window: "1 second" } },
  },
  margin: "100 millis",
}

type Stats = Readonly<Record<ClassName, ClassStats>>

/** Starts the server, each class's windows at a random phase of its own. */
const startLimited = async () => {
  const phase = () => Date.now() + Math.floor(Math.random() * 1000)
  const limits: ClassLimits = {
    "jobs-write": { ...writeWindows, phaseMillis: phase() },
    "jobs-read": { ...readWindows, phaseMillis: phase() },
  }
  const server: BenchServer<Stats> = await spawnServer<Stats>("./class-limited-server.ts", [
    JSON.stringify(limits),
  ])
  return { server, limits }
}

/** Calls of the jobs-write class: POSTs of three kinds, and GETs of item create jobs. */
const writes: ReadonlyArray<Effect.Effect<unknown, KlaviyoError, KlaviyoClient>> = [
  bulkCreateCatalogItems([{
    external_id: "SHIRT-1",
    title: "Shirt",
    description: "Blue",
    url: "https://example.com/s",
  }]),
  bulkUpdateCatalogVariants([{ id: "$custom:::$default:::SHIRT-1-M", inventory_quantity: 0 }]),
  bulkDeleteCatalogCategories([{ id: "$custom:::$default:::APPAREL" }]),
  getCatalogItemBulkCreateJob("01ITEMCREATEJOB"),
]
/** Calls of the jobs-read class: GETs of category update jobs and of item delete jobs. */
const reads: ReadonlyArray<Effect.Effect<unknown, KlaviyoError, KlaviyoClient>> = [
  getCatalogCategoryBulkUpdateJob("01CATEGORYUPDATEJOB"),
  getCatalogItemBulkDeleteJob("01ITEMDELETEJOB"),
]

/** `writeCount` calls of jobs-write and `readCount` of jobs-read, 16 at a time each, both at once. */
const workload = (writeCount: number, readCount: number) => {
  const run = (calls: typeof writes, count: number) =>
    Effect.forEach(Array.from({ length: count }, (_, i) => calls[i % calls.length]!), Effect.exit, {
      concurrency: 16,
    })
  return Effect.map(
    Effect.all([run(writes, writeCount), run(reads, readCount)], { concurrency: 2 }),
    (exits) => exits.flat().filter(Exit.isFailure).map(String),
  )
}

/**
 * What the server saw of one class: its count and 429s, and how near its span (first to last
 * arrival) comes to the phase-agnostic minimum (`limit` per `window` from the first request);
 * the theoretical minimum (a client that knew the phase) is a floor no schedule without 429s
 * can beat.
 */
const share = (stats: ClassStats, limits: ClassLimits[ClassName]) => {
  const windows = [limits.burst, limits.steady]
  const first = stats.first!
  const elapsed = stats.last! - first
  return {
    requests: stats.requests,
    throttled: stats.throttled,
    atLeastTheoretical: elapsed >= minimumTime(stats.requests, windows, limits.phaseMillis, first),
    ofAgnostic: minimumTime(stats.requests, windows, first, first) / elapsed,
  }
}

/**
 * Opens the connections and compiles the code first, as a process that has been running a while
 * would have: 64 calls of each class, 16 at a time each, under the server's uncounted `/warmup/` path.
 * (A request that must first open its connection reaches the server that much later: on a busy
 * machine, later than the margin covers.)
 */
const warmUp = (url: string) =>
  workload(64, 64).pipe(
    Effect.provide(
      KlaviyoClient.layer({
        apiKey: "pk_test_classes",
        baseUrl: `${url}/warmup`,
        retry: false,
        rateLimit: false,
      }).pipe(
        Layer.provide(FetchHttpClient.layer),
      ),
    ),
    Effect.flatMap((failures) => failures.length === 0 ? Effect.void : Effect.die(failures)),
  )

const clientLayer = (url: string, options: RateLimitOptions | "shared" = rateLimit) =>
  KlaviyoClient.layer({ apiKey: "pk_test_classes", baseUrl: url, retry: false, rateLimit: options }).pipe(
    Layer.provide(FetchHttpClient.layer),
  )

describe("limit classes against a server that enforces each in fixed windows", () => {
  it("one client, POSTs and GETs at once: no 429, each class near its own minimum", async () => {
    const { limits, server } = await startLimited()
    try {
      await Effect.runPromise(warmUp(server.url))
      const failures = await workload(60, 240).pipe(
        Effect.provide(clientLayer(server.url)),
        Effect.runPromise,
      )
      const stats = await server.stats()
      expect(failures).toEqual([])
      const write = share(stats["jobs-write"], limits["jobs-write"])
      const read = share(stats["jobs-read"], limits["jobs-read"])
      expect([write.requests, write.throttled, write.atLeastTheoretical]).toEqual([60, 0, true])
      expect([read.requests, read.throttled, read.atLeastTheoretical]).toEqual([240, 0, true])
      // Three steady windows a class, each permit held 100 ms longer (the margin): about 82% at
      // best; measured 74-78% with the machine's two cores shared (load 8), 55-62% at a load of 10.
      // A class run at the other's limits would meet 429s (writes) or reach 19% (reads).
      expect(write.ofAgnostic).toBeGreaterThanOrEqual(0.5)
      expect(read.ofAgnostic).toBeGreaterThanOrEqual(0.5)
    } finally {
      server.stop()
    }
  }, 60_000)

  describe("through a budget shared over Redis", () => {
    let redis: RedisServer
    beforeAll(async () => {
      redis = await startRedis()
    })
    afterAll(() => redis.stop())

    it("two clients (two budgets, two connections), POSTs and GETs at once: no 429 together", async () => {
      const { limits, server } = await startLimited()
      // Each client with a budget of its own over its own Redis connection: two processes, as far
      // as the budget can tell.
      const budget = () =>
        RateLimitBudget.layer({ ...rateLimit, account: `classes-${Date.now()}`, storeTimeout: "2 seconds" })
          .pipe(
            Layer.provide(RateLimiter.layerStoreRedis()),
            Layer.provide(NodeRedis.layer({ url: redis.url })),
          )
      const one = workload(30, 120).pipe(
        Effect.provide(clientLayer(server.url, "shared")),
        Effect.provide(budget()),
      )
      try {
        await Effect.runPromise(warmUp(server.url))
        const failures = await Effect.all([one, one], { concurrency: 2 }).pipe(Effect.runPromise)
        const stats = await server.stats()
        expect(failures.flat()).toEqual([])
        const write = share(stats["jobs-write"], limits["jobs-write"])
        const read = share(stats["jobs-read"], limits["jobs-read"])
        expect([write.requests, write.throttled, write.atLeastTheoretical]).toEqual([60, 0, true])
        expect([read.requests, read.throttled, read.atLeastTheoretical]).toEqual([240, 0, true])
        expect(write.ofAgnostic).toBeGreaterThanOrEqual(0.5)
        expect(read.ofAgnostic).toBeGreaterThanOrEqual(0.5)
      } finally {
        server.stop()
      }
    }, 60_000)
  })
})
