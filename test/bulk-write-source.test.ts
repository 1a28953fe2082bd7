/**
 * A record source that fails partway, on `WorkflowEngine.layerMemory` (the default), against the
 * simulator behind a real server: the write fails with the source's error, and nothing of it
 * goes on running afterwards (no POST, no poll). A synchronous iterable that throws fails the
 * write with an `InvalidRequest`, as an AsyncIterable does. (On a durable engine, the same
 * failure leaves nothing stored: test/bulk-write-durable.test.ts.)
 */
import { Effect, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import {
  bulkWrite,
  type CatalogCategoryCreateRecord,
  type InvalidRequest,
  KlaviyoClient,
  SIMULATED_API_KEY,
} from "../mod.ts"
import { jobCounts, postedExternalIds, type TestServer, useServer } from "./support/server.ts"

const JOB = "catalog-category-bulk-create-job"
const kind = { resource: "catalog-category", operation: "create" } as const
const category = (i: number): CatalogCategoryCreateRecord => ({
  external_id: `S-${String(i).padStart(4, "0")}`,
  name: `Category ${i}`,
})
const ids = (count: number) => Array.from({ length: count }, (_, i) => category(i).external_id)

let server: TestServer
// Jobs that take 10 s to process: every job is still being polled when the source fails.
useServer((s) => (server = s), { jobs: [], processing: { queuedMillis: 0, perSecond: 10 } })

const run = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>): Promise<A> =>
  effect.pipe(
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: server.url, rateLimit: false })),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )

const posts = () => server.requests.filter((r) => r.method === "POST").length

describe("bulkWrite, its records failing partway, on the memory engine", () => {
  it("fails with the records' error; no POST or poll of the write is sent after it", async () => {
    // 300 records (three jobs), then, once the server has received the three POSTs, the failure.
    const failing = Stream.concat(
      Stream.fromIterable(ids(300).map((_, i) => category(i))),
      Stream.fromEffect(
        Effect.gen(function* () {
          while (posts() < 3) yield* Effect.sleep("5 millis")
          return yield* Effect.fail("disk gone" as const)
        }),
      ),
    )
    const before = jobCounts(server, JOB)
    const error = await run(
      Effect.flip(bulkWrite(kind, failing, { maxInFlight: 20, pollInterval: "5 millis" })),
    )
    expect(error).toBe("disk gone")
    // A poll already on its way may still land; then the jobs' watches, which polled every 5 ms
    // while they ran, ask nothing more.
    await new Promise((resolve) => setTimeout(resolve, 50))
    const seen = server.requests.length
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(server.requests.length).toBe(seen)
    const after = jobCounts(server, JOB)
    expect([after.posts - before.posts, after.jobsCreated - before.jobsCreated]).toEqual([3, 3])
    expect(postedExternalIds(server)).toEqual(ids(300))
  })

  it("fails with an InvalidRequest when a synchronous iterable throws, after posting the jobs read before", async () => {
    function* records() {
      for (let i = 0; i < 250; i++) {
        if (i === 230) throw new Error("the generator broke")
        yield category(i)
      }
    }
    const before = jobCounts(server, JOB).posts
    const error =
      (await run(Effect.flip(bulkWrite(kind, records(), { pollInterval: "5 millis" })))) as InvalidRequest
    expect([error._tag, error.input, error.reason]).toEqual([
      "InvalidRequest",
      "records",
      "reading the records failed: Error: the generator broke",
    ])
    // Read 100 records at a time: the two jobs read before the throw were handed over (posted, or
    // stopped before their POST); the 30 records of the third, never.
    const sent = jobCounts(server, JOB).posts - before
    expect(sent).toBeLessThanOrEqual(2)
    expect(postedExternalIds(server)).toEqual(ids(sent * 100))
  })
})
