/**
 * A fleet: several processes share one account's budget through Redis (a real redis-server on
 * 127.0.0.1) against a local Klaviyo stand-in that enforces the limits in fixed windows.
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { execFile } from "node:child_process"
import { Effect, Exit, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { spawnLimitedServer } from "../bench/support/spawn-server.ts"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  RateLimitBudget,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { type RedisServer, startRedis } from "./support/redis.ts"
import { startServer, type TestServer } from "./support/server.ts"
import { failureOf } from "./support/clock.ts"
import { fakeTransport } from "./support/fake.ts"
import { mostInAnyWindow } from "./support/stores.ts"

const tsx = new URL("../node_modules/.bin/tsx", import.meta.url).pathname
const worker = new URL("./support/fleet-worker.ts", import.meta.url).pathname

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis.stop())

interface WorkerReport {
  readonly ok: number
  readonly failures: ReadonlyArray<string>
  readonly elapsed: number
}

const runWorker = (serverUrl: string, count: number, limits: object, account: string) =>
  new Promise<WorkerReport>((resolve, reject) => {
    execFile(tsx, [worker, redis.url, serverUrl, String(count), JSON.stringify(limits), account], {
      timeout: 60_000,
    }, (error, stdout) => {
      if (error !== null) return reject(error)
      resolve(JSON.parse(stdout.trim().split("\n").at(-1)!) as WorkerReport)
    })
  })

describe("a fleet sharing one budget through Redis", () => {
  it("four processes together meet no 429, and every request gets an answer", async () => {
    const burst = { limit: 10, windowMillis: 1000 }
    const steady = { limit: 30, windowMillis: 2000 }
    const server = await spawnLimitedServer({ burst, steady, phaseMillis: Date.now() % 2000 + 337 })
    try {
      const limits = {
        burst: { limit: burst.limit, window: "1 second" },
        steady: { limit: steady.limit, window: "2 seconds" },
        // Four processes starting at once on two cores can stall one another's event loops for
        // more than 100 ms: the margin must cover the latency spread that makes (see the docs).
        margin: "250 millis",
      }
      const reports = await Promise.all(
        [1, 2, 3, 4].map(() => runWorker(server.url, 20, limits, "fleet-test")),
      )
      const stats = await server.stats()
      expect(reports.map((report) => report.failures)).toEqual([[], [], [], []])
      expect(reports.map((report) => report.ok)).toEqual([20, 20, 20, 20])
      expect(stats.requests).toBe(80)
      expect(stats.throttled).toBe(0)
    } finally {
      server.stop()
    }
  }, 90_000)
})

describe("a 429 seen by one process", () => {
  it("pauses every other process sharing the budget, through Redis", async () => {
    const server = await startServer()
    try {
      // Two budgets over two Redis connections: two processes, as far as the budget can tell.
      const budget = () =>
        RateLimitBudget.layer({ account: "pause-test", storeTimeout: "2 seconds" }).pipe(
          Layer.provide(RateLimiter.layerStoreRedis()),
          Layer.provide(NodeRedis.layer({ url: redis.url })),
        )
      const client = KlaviyoClient.layer({
        apiKey: SIMULATED_API_KEY,
        baseUrl: server.url,
        rateLimit: "shared",
        retry: false,
      })
        .pipe(Layer.provide(FetchHttpClient.layer))
      const call = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(Effect.provide(client))
      server.script({ status: 429, headers: { "retry-after": "2" }, body: "" })
      const first = await Effect.runPromiseExit(call.pipe(Effect.provide(budget())))
      const pausedAt = Date.now()
      const second = await Effect.runPromiseExit(call.pipe(Effect.provide(budget())))
      const waited = Date.now() - pausedAt
      expect(Exit.isFailure(first)).toBe(true)
      expect(Exit.isSuccess(second)).toBe(true)
      // The second process waited out (most of) the 2 s the first one was told to wait.
      expect(waited).toBeGreaterThanOrEqual(1_800)
      expect(server.requests).toHaveLength(2)
    } finally {
      await server.close()
    }
  }, 30_000)
})

describe("when Redis fails", () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  const call = () =>
    getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
      Effect.provide(
        KlaviyoClient.layer({
          apiKey: SIMULATED_API_KEY,
          baseUrl: server.url,
          rateLimit: "shared",
          retry: false,
        })
          .pipe(Layer.provide(FetchHttpClient.layer)),
      ),
    )
  // A steady window of 2 s: a Redis restarted empty holds the budget back for one window (2.1 s).
  const budget = (redisUrl: string) =>
    RateLimitBudget.layer({
      account: "failures",
      steady: { limit: 3500, window: "2 seconds" },
      storeTimeout: "500 millis",
    }).pipe(
      Layer.provide(RateLimiter.layerStoreRedis()),
      Layer.provide(NodeRedis.layer({ url: redisUrl })),
    )

  it("unreachable at start: the budget's layer fails with a RedisError, and nothing is sent", async () => {
    const before = server.requests.length
    const exit = await Effect.runPromiseExit(call().pipe(Effect.provide(budget("redis://127.0.0.1:1"))))
    const error = failureOf(exit)
    expect((error as { _tag?: string } | undefined)?._tag).toBe("RedisError")
    expect(server.requests.length).toBe(before)
  })

  it(
    "lost mid-run: calls fail with a TransportError within storeTimeout; back again (empty): calls succeed after one window",
    async () => {
      const own = await startRedis()
      const port = own.port
      let restarted: RedisServer | undefined
      try {
        const results = await Effect.gen(function* () {
          const first = yield* Effect.exit(call())
          yield* Effect.promise(() => own.stop())
          const started = Date.now()
          const lost = yield* Effect.exit(call())
          const lostAfter = Date.now() - started
          restarted = yield* Effect.promise(() => startRedis(port))
          // node-redis reconnects on its own (backing off up to about 2 s); the restarted Redis is
          // empty, so the first call that reaches it waits one steady window before it is sent.
          const sentBefore = server.requests.length
          let back = yield* Effect.exit(call())
          for (let i = 0; i < 40 && Exit.isFailure(back); i++) {
            yield* Effect.sleep("250 millis")
            back = yield* Effect.exit(call())
          }
          return { first, lost, lostAfter, back, sent: server.requests.length - sentBefore }
        }).pipe(Effect.provide(budget(own.url)), Effect.runPromise)
        expect(Exit.isSuccess(results.first)).toBe(true)
        const lostError = failureOf(results.lost)
        expect(lostError).toMatchObject({ _tag: "TransportError", kind: "network" })
        expect(results.lostAfter).toBeLessThan(5_000)
        expect(Exit.isSuccess(results.back)).toBe(true)
        expect(results.sent).toBe(1)
      } finally {
        await restarted?.stop()
      }
    },
    60_000,
  )
})

describe("when Redis restarts empty inside a window", () => {
  it("the budget lets no more than the window's limit through: it holds back one window", async () => {
    const own = await startRedis()
    let restarted: RedisServer | undefined
    const fake = fakeTransport([])
    try {
      const budget = RateLimitBudget.layer({
        account: "restart",
        burst: { limit: 100, window: "1 second" },
        steady: { limit: 10, window: "5 seconds" },
        margin: "50 millis",
        storeTimeout: "500 millis",
      }).pipe(Layer.provide(RateLimiter.layerStoreRedis()), Layer.provide(NodeRedis.layer({ url: own.url })))
      const client = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: "shared", retry: false })
        .pipe(
          Layer.provide(fake.layer),
        )
      const call = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(Effect.provide(client))
      const failures = await Effect.gen(function* () {
        // The window's ten permits, at once; then Redis restarts without its data (no persistence).
        yield* Effect.all(Array.from({ length: 10 }, () => call), { concurrency: "unbounded" })
        yield* Effect.promise(() => own.stop())
        restarted = yield* Effect.promise(() => startRedis(own.port))
        // Ten more calls, one after the other, each tried again while node-redis reconnects.
        let failed = 0
        for (let sent = 0; sent < 10 && failed < 60;) {
          const exit = yield* Effect.exit(call)
          if (Exit.isSuccess(exit)) sent++
          else {
            failed++
            yield* Effect.sleep("100 millis")
          }
        }
        return failed
      }).pipe(Effect.provide(budget), Effect.runPromise)
      expect(failures).toBeLessThan(60)
      expect(fake.times).toHaveLength(20)
      // Before the fix the empty store let the next ten through at once, in the same 5 s: 20.
      expect(mostInAnyWindow(fake.times, 5000)).toBe(10)
    } finally {
      await restarted?.stop()
    }
  }, 60_000)
})
