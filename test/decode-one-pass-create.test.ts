/**
 * The one-pass decoder without inclusions (`decodePrimaryNow`, used by the job-creating POST and
 * by each job of a list page) answers exactly what the schema path of `decodePrimary` answers:
 * the same resource (keys and their order) and relationships, job errors with null ids included;
 * and it declines (leaving the schema to report) what the schema refuses.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import { decodePrimary, decodePrimaryNow } from "../src/internal/jsonapi.ts"
import { bulkJobResource } from "../src/resources.ts"
import { createAnswerText, listPageText } from "../bench/support/family-documents.ts"

const create = bulkJobResource("catalog-category-bulk-create-job")
const origin = "http://127.0.0.1:9"

const schemaPath = (body: unknown, primaryFields?: ReadonlyArray<string>) =>
  Effect.runSyncExit(decodePrimary(create, { id: undefined, primaryFields }, body, "http://x/"))

/** A create job as the wire sends it once it ran: errors with null id, code and title, and meta. */
const ranJob = {
  type: "catalog-category-bulk-create-job",
  id: "01JOB",
  attributes: {
    status: "complete",
    created_at: "2026-11-27T14:03:12.482913+00:00",
    total_count: 2,
    completed_count: 1,
    failed_count: 1,
    completed_at: "2026-11-27T14:03:15.000001+00:00",
    expires_at: "2026-12-04T14:03:12+00:00",
    errors: [{
      id: null,
      code: null,
      title: null,
      detail: "A catalog category with this external_id already exists.",
      source: { pointer: "/data/attributes/categories/1" },
      meta: { external_id: "shoes" },
    }, { detail: "absent members too" }],
  },
  relationships: {
    categories: {
      data: [{ type: "catalog-category", id: "$custom:::$default:::shoes" }],
      links: { self: "s" },
    },
  },
  links: { self: "x" },
}

const expectSame = (body: unknown, primaryFields?: ReadonlyArray<string>) => {
  const fast = decodePrimaryNow(create, primaryFields, body)
  const slow = schemaPath(body, primaryFields)
  expect(fast).toBeDefined()
  expect(Exit.isSuccess(slow)).toBe(true)
  if (fast === undefined || !Exit.isSuccess(slow)) return
  expect(fast.resource).toStrictEqual(slow.value.resource)
  expect(Object.keys(fast.resource)).toEqual(Object.keys(slow.value.resource))
  expect(fast.relationships).toStrictEqual(slow.value.relationships)
}

describe("decodePrimaryNow (one pass, no inclusions)", () => {
  it("decodes a POST's answer (the queued job) as the schema does", () => {
    expectSame(JSON.parse(createAnswerText({ records: 100, origin })))
  })

  it("decodes every job of a list page as the schema does", () => {
    const page = JSON.parse(listPageText({ jobs: 100, origin })) as { readonly data: ReadonlyArray<unknown> }
    expect(page.data.length).toBe(100)
    for (const job of page.data) expectSame({ data: job })
  })

  it("decodes job errors with null ids and meta as the schema does, under a fieldset too", () => {
    expectSame({ data: ranJob })
    expectSame({ data: ranJob }, ["status", "errors"])
    const fast = decodePrimaryNow(create, undefined, { data: ranJob })
    expect((fast?.resource as { readonly errors?: unknown } | undefined)?.errors).toStrictEqual(
      ranJob.attributes.errors,
    )
  })

  it("declines what the schema refuses, which then reports it", () => {
    const broken = { data: { ...ranJob, attributes: { ...ranJob.attributes, total_count: "2" } } }
    expect(decodePrimaryNow(create, undefined, broken)).toBeUndefined()
    expect(Exit.isFailure(schemaPath(broken))).toBe(true)
    const noId = { data: { ...ranJob, id: undefined } }
    expect(decodePrimaryNow(create, undefined, noId)).toBeUndefined()
  })
})
