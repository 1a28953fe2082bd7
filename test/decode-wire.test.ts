/**
 * Decoding what Klaviyo really sends where it differs from its spec: a job's `errors` (null
 * `id`, `code` and `title`, a `meta` naming the record) and the other members the spec calls
 * "required" that a real answer may leave out.
 */
import { describe, expect, it } from "vitest"
import { DecodeError, getCatalogCategoryBulkUpdateJob } from "../mod.ts"
import { run, runError } from "./support/run.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((started) => {
  server = started
})

const JOB_ID = "01JTBQ0F2V9K4XW7Y3M8N5P6RS"

const json = (body: unknown) => ({
  status: 200,
  headers: { "content-type": "application/vnd.api+json" },
  body: JSON.stringify(body),
})

/** A finished job with failures, in the shape Klaviyo answers (klaviyo-api-python issue #88). */
const failedJob = (errors: unknown) => ({
  data: {
    type: "catalog-category-bulk-update-job",
    id: JOB_ID,
    attributes: {
      status: "complete",
      created_at: "2025-05-03T17:50:54.164959+00:00",
      total_count: 2,
      completed_count: 1,
      failed_count: 1,
      completed_at: "2025-05-03T17:51:08.502977+00:00",
      errors,
      expires_at: "2025-05-10T17:50:54.164959+00:00",
    },
    links: { self: `https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/${JOB_ID}` },
  },
  links: { self: `https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/${JOB_ID}` },
})

describe("a job's errors, as Klaviyo sends them", () => {
  it("decodes id, code and title null, and keeps meta naming the record", async () => {
    server.script(json(failedJob([{
      id: null,
      code: null,
      title: null,
      detail: "A category with the external id `shoes` does not exist.",
      source: { pointer: "/data/attributes/categories/1" },
      meta: { external_id: "shoes" },
    }])))
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB_ID), server)
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: JOB_ID,
      status: "complete",
      created_at: new Date("2025-05-03T17:50:54.164Z"),
      total_count: 2,
      completed_count: 1,
      failed_count: 1,
      completed_at: new Date("2025-05-03T17:51:08.502Z"),
      errors: [{
        id: null,
        code: null,
        title: null,
        detail: "A category with the external id `shoes` does not exist.",
        source: { pointer: "/data/attributes/categories/1" },
        meta: { external_id: "shoes" },
      }],
      expires_at: new Date("2025-05-10T17:50:54.164Z"),
    })
  })

  it("decodes an error whose every member is null or absent, and keeps every member of meta", async () => {
    server.script(json(failedJob([
      {},
      { id: null, code: null, title: null, detail: null, source: null, meta: null },
      { source: { pointer: null }, meta: { external_id: null, line: 3, record: { name: "" } } },
    ])))
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB_ID), server)
    expect(job.errors).toEqual([
      {},
      { id: null, code: null, title: null, detail: null, source: null, meta: null },
      { source: { pointer: null }, meta: { external_id: null, line: 3, record: { name: "" } } },
    ])
  })

  it("still refuses an error member of the wrong type, at its path", async () => {
    server.script(json(failedJob([{ detail: "d", meta: { external_id: 7 } }])))
    const error = (await runError(getCatalogCategoryBulkUpdateJob(JOB_ID), server)) as DecodeError
    expect(error).toBeInstanceOf(DecodeError)
    expect(error.path).toBe("data.attributes.errors[0].meta.external_id")
    expect(error.reason).toBe("Expected string | null, found 7")
  })
})

describe("an answer for another job", () => {
  const jobDocument = (id: Record<string, unknown>, attributes: Record<string, unknown> = {}) => ({
    data: {
      type: "catalog-category-bulk-update-job",
      ...id,
      attributes: {
        status: "complete",
        created_at: "2026-11-27T14:00:00+00:00",
        total_count: 1,
        ...attributes,
      },
    },
  })

  it("is a DecodeError at data.id, not someone else's job (a proxy or cache mix-up)", async () => {
    server.script(json(jobDocument({ id: "01JTBQ0F2V9K4XW7Y3M8N5OTHER" })))
    const error = (await runError(getCatalogCategoryBulkUpdateJob(JOB_ID), server)) as DecodeError
    expect(error).toBeInstanceOf(DecodeError)
    expect(error.path).toBe("data.id")
    expect(error.reason).toBe(`Expected "${JOB_ID}" (the id asked for), found "01JTBQ0F2V9K4XW7Y3M8N5OTHER"`)
  })

  it("is a DecodeError at data.attributes.job_id in the revisions that carry the id there", async () => {
    server.script({ ...json(jobDocument({}, { job_id: "01JTBQ0F2V9K4XW7Y3M8N5OTHER" })) })
    const error = (await runError(getCatalogCategoryBulkUpdateJob(JOB_ID), server, {
      revision: "2023-10-15",
    })) as DecodeError
    expect(error.path).toBe("data.attributes.job_id")
    expect(error.reason).toBe(`Expected "${JOB_ID}" (the id asked for), found "01JTBQ0F2V9K4XW7Y3M8N5OTHER"`)
  })

  it("is still the job asked for when only the letter case differs (ULIDs are case-insensitive)", async () => {
    server.script(json(jobDocument({ id: JOB_ID })))
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB_ID.toLowerCase()), server)
    expect(job.id).toBe(JOB_ID)
  })
})

describe("members the spec calls required, decided one by one (see src/internal/jsonapi.ts)", () => {
  const job = { type: "catalog-category-bulk-update-job", id: JOB_ID }

  it("takes a job without attributes under a fieldset that selects none (JSON:API may leave them out)", async () => {
    server.script(json({ data: job }))
    const decoded = await run(
      getCatalogCategoryBulkUpdateJob(JOB_ID, { fields: { "catalog-category-bulk-update-job": ["id"] } }),
      server,
    )
    expect(decoded).toEqual(job)
  })

  it("still refuses a full job without attributes, naming the first attribute it needs", async () => {
    server.script(json({ data: job }))
    const error = (await runError(getCatalogCategoryBulkUpdateJob(JOB_ID), server)) as DecodeError
    expect(error.issues).toEqual([
      { path: "data.attributes.status", message: "Missing key" },
      { path: "data.attributes.created_at", message: "Missing key" },
      { path: "data.attributes.total_count", message: "Missing key" },
    ])
  })

  it("needs no links anywhere, and no links or attributes in included", async () => {
    server.script(json({
      data: {
        ...job,
        attributes: { status: "queued", created_at: "2026-11-27T14:00:00+00:00", total_count: 1 },
        relationships: { categories: { data: [{ type: "catalog-category", id: "c" }] } },
      },
      included: [{ type: "catalog-category", id: "c" }],
    }))
    const decoded = await run(getCatalogCategoryBulkUpdateJob(JOB_ID, { include: ["categories"] }), server)
    expect(decoded).toEqual({
      ...job,
      status: "queued",
      created_at: new Date("2026-11-27T14:00:00Z"),
      total_count: 1,
      categories: [{ type: "catalog-category", id: "c" }],
      unresolved: [],
    })
  })
})
