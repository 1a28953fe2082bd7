/**
 * The reconciliation of a POST whose outcome is not known: the list's relationship linkage ids,
 * the match of a job to a chunk, and a lost POST answer adopted instead of posted again.
 */
import { Effect, Layer, Option, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import {
  bulkCreateCatalogCategories,
  bulkDeleteCatalogCategories,
  bulkWrite,
  KlaviyoClient,
  SIMULATED_API_KEY,
} from "../mod.ts"
import { kindSpec } from "../src/bulk-write/kind.ts"
import type { PlannedJob } from "../src/bulk-write/plan.ts"
import { findPosted, holdsChunk } from "../src/bulk-write/reconcile.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s), { jobs: [], processing: { queuedMillis: 10, perSecond: 10_000 } })

const provide = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>) =>
  Effect.runPromise(Effect.provide(
    effect,
    KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: server.url, rateLimit: false, retry: false })
      .pipe(
        Layer.provide(FetchHttpClient.layer),
      ),
  ))

const create = kindSpec({ resource: "catalog-category", operation: "create" })!
const chunkOf = (ids: ReadonlyArray<string>): PlannedJob => ({
  _tag: "Job",
  seq: 0,
  records: ids.map((id, index) => ({ index, key: id, record: { external_id: id, name: id } })),
  bodyBytes: 0,
})

describe("reconciliation", () => {
  it("lists create and delete jobs with the ids of their records (relationships.categories.data)", async () => {
    const since = Date.now()
    const made = await provide(bulkCreateCatalogCategories([
      { external_id: "R-1", name: "One" },
      { external_id: "R-2", name: "Two" },
    ]))
    const deleted = await provide(bulkDeleteCatalogCategories([{ id: "$custom:::$default:::R-9" }]))
    const listed = await provide(Stream.runCollect(create.jobs()))
    expect(listed.map((entry) => [entry.job.id, entry.linkage])).toEqual([
      [made.id, ["$custom:::$default:::R-1", "$custom:::$default:::R-2"]],
    ])
    expect(listed[0]!.job["created_at"]).toBeInstanceOf(Date)
    const list = server.requests.find((r) => r.method === "GET")!
    expect(list.url.pathname).toBe("/api/catalog-category-bulk-create-jobs")
    expect(list.url.searchParams.get("fields[catalog-category-bulk-create-job]")).toBe("created_at")
    const deletes = kindSpec({ resource: "catalog-category", operation: "delete" })!
    const listedDeletes = await provide(Stream.runCollect(deletes.jobs()))
    expect(listedDeletes.map((entry) => [entry.job.id, entry.linkage])).toEqual([
      [deleted.id, ["$custom:::$default:::R-9"]],
    ])
    // The chunk's job is found; another chunk's, or a job older than the intent (beyond the skew), is not.
    expect(await provide(findPosted(create, chunkOf(["R-2", "R-1"]), since))).toEqual(Option.some(made.id))
    expect(await provide(findPosted(create, chunkOf(["R-1", "R-3"]), since))).toEqual(Option.none())
    expect(await provide(findPosted(create, chunkOf(["R-1"]), since + 3_600_000))).toEqual(Option.none())
    expect(holdsChunk(create, chunkOf(["R-1", "R-2"]), ["$custom:::$default:::R-1"])).toBe(false)
  })

  it("a POST whose answer is lost after the job was created: the job is adopted, not posted again", async () => {
    // A 503 after the model created the job (a reset would do too, but Deno and Bun resend a
    // request whose reused connection was reset, which is a second POST of their own).
    server.model.inject({ status: 503, method: "POST", handled: true })
    const postsBefore = server.model.stats.posts["catalog-category-bulk-create-job"]
    const report = await provide(bulkWrite(
      { resource: "catalog-category", operation: "create" },
      [{ external_id: "L-1", name: "Lost one" }, { external_id: "L-2", name: "Lost two" }],
      { pollInterval: "5 millis" },
    ))
    expect([report.records, report.succeeded, report.failed.length, report.unknown.length, report.jobs])
      .toEqual([
        2,
        2,
        0,
        0,
        1,
      ])
    expect(server.model.stats.posts["catalog-category-bulk-create-job"] - postsBefore).toBe(1)
    // The write's check of the key, the POST, then the list that finds its job.
    expect(server.requests.map((r) => `${r.method} ${r.url.pathname}`).slice(0, 3)).toEqual([
      "GET /api/catalog-category-bulk-create-jobs",
      "POST /api/catalog-category-bulk-create-jobs",
      "GET /api/catalog-category-bulk-create-jobs",
    ])
  })
})
