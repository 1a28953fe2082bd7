/**
 * The simulator over time and on demand: jobs that move as `Clock` time passes, and faults
 * (5xx, resets, slowness) served through its `HttpClient` layer and through a real server.
 */
import { Duration, Effect, Exit } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoApiError,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  type KlaviyoModel,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
  type SimulatedJob,
  TransportError,
} from "../mod.ts"
import { drive, failureOf } from "./support/clock.ts"
import { type TestServer, useServer } from "./support/server.ts"

const moving: SimulatedJob = {
  id: "job-moving",
  status: "queued",
  created_at: new Date(10_000),
  total_count: 5,
  categories: ["a", "b", "c", "d", "e"],
  progress: { queuedMillis: 2_000, perSecond: 2, failures: [1, 9], keepMillis: 60_000 },
}

describe("a simulated job moving over time", () => {
  const model = KlaviyoSimulator.model({ jobs: [moving] })
  const at = (millis: number) => model.jobAt("job-moving", millis)

  it("is queued from created_at for queuedMillis", () => {
    expect(at(10_000)).toMatchObject({
      status: "queued",
      completed_count: 0,
      failed_count: 0,
      completed_at: null,
    })
    expect(at(11_999)?.status).toBe("queued")
  })

  it("then processes perSecond operations a second, failing the ones listed", () => {
    expect(at(12_000)).toMatchObject({ status: "processing", completed_count: 0, failed_count: 0 })
    expect(at(13_000)).toMatchObject({ status: "processing", completed_count: 1, failed_count: 1 })
    expect(at(13_000)?.errors).toEqual([{
      id: null,
      code: null,
      title: null,
      detail: "The category with the external id `b` could not be updated: it has no name in the payload.",
      source: { pointer: "/data/attributes/categories/1" },
      meta: { external_id: "b" },
    }])
    expect(at(14_499)).toMatchObject({ status: "processing", completed_count: 3, failed_count: 1 })
  })

  it("completes when every operation is processed, and expires keepMillis after created_at", () => {
    expect(at(14_500)).toMatchObject({
      status: "complete",
      completed_count: 4,
      failed_count: 1,
      completed_at: new Date(14_500),
      expires_at: new Date(70_000),
    })
    expect(at(69_999)?.status).toBe("complete")
    expect(at(70_000)).toBeUndefined()
  })

  it("is cancelled after cancelAfter operations", () => {
    const cancelling = KlaviyoSimulator.model({
      jobs: [{ ...moving, progress: { queuedMillis: 0, perSecond: 1, cancelAfter: 2 } }],
    })
    expect(cancelling.jobAt("job-moving", 11_999)?.status).toBe("processing")
    expect(cancelling.jobAt("job-moving", 12_000)).toMatchObject({
      status: "cancelled",
      completed_count: 2,
      completed_at: new Date(12_000),
    })
  })

  it("serves odd counts when asked to, as Klaviyo's own example has them", () => {
    const odd = KlaviyoSimulator.model({
      jobs: [{
        ...moving,
        progress: {
          queuedMillis: 0,
          counts: ({ completed, total }) => ({
            completed_count: completed + total,
            failed_count: -1,
            total_count: total,
          }),
        },
      }],
    })
    expect(odd.jobAt("job-moving", 10_100)).toMatchObject({
      completed_count: 6,
      failed_count: -1,
      total_count: 5,
    })
  })

  it("answers 404 for an expired job, and moves with the TestClock through its layer", async () => {
    const exit = await Effect.gen(function* () {
      const first = yield* getCatalogCategoryBulkUpdateJob("job-moving")
      yield* TestClock.adjust("3 seconds")
      const second = yield* getCatalogCategoryBulkUpdateJob("job-moving")
      yield* TestClock.adjust("2 minutes")
      const gone = yield* Effect.flip(getCatalogCategoryBulkUpdateJob("job-moving"))
      return { first: first.status, second: [second.status, second.completed_count], gone }
    }).pipe(
      Effect.exit,
      Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, retry: false })),
      Effect.provide(
        KlaviyoSimulator.layer(KlaviyoSimulator.model({ jobs: [{ ...moving, created_at: new Date(0) }] })),
      ),
      Effect.provide(TestClock.layer()),
      Effect.runPromise,
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    if (!Exit.isSuccess(exit)) return
    expect(exit.value.first).toBe("queued")
    expect(exit.value.second).toEqual(["processing", 1])
    expect(exit.value.gone).toBeInstanceOf(KlaviyoApiError)
    expect((exit.value.gone as KlaviyoApiError).status).toBe(404)
  })
})

const throughLayer = <A, E>(
  model: KlaviyoModel,
  effect: Effect.Effect<A, E, KlaviyoClient>,
  options: Partial<KlaviyoClientBaseOptions> = {},
) =>
  drive(effect, { step: "50 millis" }).pipe(
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, retry: false, ...options })),
    Effect.provide(KlaviyoSimulator.layer(model)),
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  )

describe("faults on demand, through the simulator's layer", () => {
  it("answers the injected status instead of the job, once per fault, in order", async () => {
    const model = KlaviyoSimulator.model()
    model.inject({ status: 503 }, { status: 429, retryAfter: 7 })
    const first = failureOf(
      await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01")),
    )
    const second = failureOf(
      await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01")),
    )
    const third = await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01"))
    expect(first).toMatchObject({ _tag: "KlaviyoApiError", status: 503 })
    // Nothing in the fault's words is a run of the demo key, so nothing of them is redacted.
    expect((first as { errors: unknown }).errors).toMatchObject([
      { title: "Injected fault.", detail: "A 503 injected by the simulator." },
    ])
    expect(second).toMatchObject({ _tag: "KlaviyoApiError", status: 429 })
    expect((second as KlaviyoApiError).retryAfter).toEqual(Duration.seconds(7))
    expect(Exit.isSuccess(third)).toBe(true)
    expect(model.pendingFaults()).toBe(0)
  })

  it("refuses a status no answer can have when it is injected, and sends 204 without a body", async () => {
    const model = KlaviyoSimulator.model()
    expect(() => model.inject({ status: 99 })).toThrow(
      "a simulated fault's status must be a whole number from 200 to 599, not 99",
    )
    expect(() => model.inject({ delayMillis: -1 })).toThrow(RangeError)
    expect(model.pendingFaults()).toBe(0)
    model.inject({ status: 204 })
    const error = failureOf(
      await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01")),
    )
    expect(error).toMatchObject({ _tag: "DecodeError" })
    expect((error as { reason: string }).reason).toContain("found an empty body")
  })

  it("resets the connection: a TransportError of kind network", async () => {
    const model = KlaviyoSimulator.model()
    model.inject({ reset: true })
    const error = failureOf(
      await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01")),
    )
    expect(error).toBeInstanceOf(TransportError)
    expect(error).toMatchObject({
      kind: "network",
      detail: "the connection was reset by the simulator (ECONNRESET)",
    })
  })

  it("answers late: within the timeout it succeeds, past it the attempt times out", async () => {
    const model = KlaviyoSimulator.model()
    model.inject({ delayMillis: 500 }, { delayMillis: 5_000 })
    const late = await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01"), {
      timeout: "1 second",
    })
    expect(Exit.isSuccess(late)).toBe(true)
    const tooLate = failureOf(
      await throughLayer(model, getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01"), {
        timeout: "1 second",
      }),
    )
    expect(tooLate).toMatchObject({ _tag: "TransportError", kind: "timeout" })
  })
})

describe("faults on demand, through a real server", () => {
  let server!: TestServer
  useServer((started) => (server = started))
  const call = (options: Partial<KlaviyoClientBaseOptions> = {}) =>
    getCatalogCategoryBulkUpdateJob("01JDEM0CATEG0RYUPDATEJ0B01").pipe(
      Effect.exit,
      Effect.provide(
        KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: server.url, retry: false, ...options }),
      ),
      Effect.provide(FetchHttpClient.layer),
      Effect.runPromise,
    )

  it("resets the connection", async () => {
    server.model.inject({ reset: true })
    expect(failureOf(await call())).toMatchObject({ _tag: "TransportError", kind: "network" })
    expect(server.requests).toHaveLength(1)
  })

  it("answers late, and the attempt times out", async () => {
    server.model.inject({ delayMillis: 3_000 })
    expect(failureOf(await call({ timeout: "200 millis" }))).toMatchObject({
      _tag: "TransportError",
      kind: "timeout",
    })
  })

  it("retries through the faults with the default policy", async () => {
    server.model.inject({ status: 502 }, { reset: true })
    const exit = await call({ retry: { base: "10 millis" } })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(server.requests).toHaveLength(3)
  })
})
