/**
 * A key Klaviyo refuses fails a bulk write before any record is sent: one GET of the kind's
 * jobs, answered 401 or 403, and the write fails with that answer (no POST, nothing stored as
 * finished); any other failure of that GET leaves the write to go on.
 */
import { Effect, Exit } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import { bulkWrite, KlaviyoClient } from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s), { jobs: [], processing: { queuedMillis: 10, perSecond: 100_000 } })

const refusal = (status: number, code: string) => ({
  status,
  headers: { "content-type": "application/vnd.api+json" },
  body: JSON.stringify({
    errors: [{ id: "e1", status, code, title: "Refused.", detail: `Key refused (${code}).` }],
  }),
})

const write = (id: string) =>
  bulkWrite(
    { resource: "catalog-category", operation: "create" },
    Array.from({ length: 250 }, (_, i) => ({ external_id: `ACCESS-${id}-${i}`, name: `Category ${i}` })),
    { id, pollInterval: "10 millis" },
  ).pipe(
    Effect.provide(
      KlaviyoClient.layer({
        apiKey: "pk_simulated_key",
        baseUrl: server.url,
        rateLimit: false,
        retry: { times: 3, base: "5 millis", maxDelay: "20 millis" },
      }),
    ),
    Effect.provide(FetchHttpClient.layer),
  )

const sent = () => server.requests.map((r) => `${r.method} ${r.url.pathname}`)

describe("bulkWrite with a key Klaviyo refuses", () => {
  it.each([
    [401, "not_authenticated"],
    [403, "permission_denied"],
  ])("a %i to the first GET fails the write with it, and no record is posted", async (status, code) => {
    server.script(refusal(status, code))
    const exit = await Effect.runPromise(Effect.exit(write(`refused-${status}`)))
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
    expect(error?._tag).toBe("Fail")
    const failure = error?._tag === "Fail" ? error.error : undefined
    expect(failure).toMatchObject({ _tag: "KlaviyoApiError", status, method: "GET" })
    expect(sent()).toEqual(["GET /api/catalog-category-bulk-create-jobs"])
  })

  it("a 500 to every attempt of that GET does not stop the write: its 3 jobs are posted and end", async () => {
    const error = { status: 500, body: "down" }
    // The first attempt and its 3 retries.
    server.script(error, error, error, error)
    const report = await Effect.runPromise(write("down-then-up"))
    expect([report.records, report.succeeded, report.jobs]).toEqual([250, 250, 3])
    expect(sent().filter((line) => line.startsWith("POST"))).toEqual([
      "POST /api/catalog-category-bulk-create-jobs",
      "POST /api/catalog-category-bulk-create-jobs",
      "POST /api/catalog-category-bulk-create-jobs",
    ])
  })
})
