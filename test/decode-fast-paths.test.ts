/**
 * The decode stage's fast paths (written for `bench/decode.ts`) must read exactly what the slow
 * paths read: the date-time scanner against the engine's ISO parser, and the document check
 * against the envelope schema (a document it refuses still gets the schema's issues).
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import { decodePrimary, resolveIncluded, type ResourceSpec } from "../src/internal/jsonapi.ts"
import { parseUtcDateTime } from "../src/internal/schemas.ts"
import { bulkJobResource, catalogCategoryResource } from "../src/resources.ts"

describe("parseUtcDateTime", () => {
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    ["2022-11-08T00:00:00", "2022-11-08T00:00:00.000Z"],
    ["2022-11-08t00:00", "2022-11-08T00:00:00.000Z"],
    ["2022-11-08 23:59:59z", "2022-11-08T23:59:59.000Z"],
    ["2022-11-08T00:00:00.5+00:00", "2022-11-08T00:00:00.500Z"],
    ["2022-11-08T00:00:00.123456789Z", "2022-11-08T00:00:00.123Z"],
    ["2022-11-08T00:00:00+05", "2022-11-07T19:00:00.000Z"],
    ["2022-11-08T00:00:00-0530", "2022-11-08T05:30:00.000Z"],
    ["2022-11-08T00:00:00+23:59", "2022-11-07T00:01:00.000Z"],
    ["2000-02-29T12:00:00Z", "2000-02-29T12:00:00.000Z"],
    ["0100-01-01T00:00:00+01:00", "0099-12-31T23:00:00.000Z"],
    // Years before 100 keep the engine's reading (and its day check, which maps them to 19xx).
    ["0050-06-01T00:00:00Z", "0050-06-01T00:00:00.000Z"],
    ["0000-02-29T00:00:00Z", undefined],
    ["1900-02-29T00:00:00Z", undefined],
    ["2022-02-30T00:00:00Z", undefined],
    ["2022-13-01T00:00:00Z", undefined],
    ["2022-00-01T00:00:00Z", undefined],
    ["2022-11-00T00:00:00Z", undefined],
    ["2022-11-08T24:00:00Z", undefined],
    ["2022-11-08T00:60:00Z", undefined],
    ["2022-11-08T00:00:60Z", undefined],
    ["2022-11-08T00:00:00+24:00", undefined],
    ["2022-11-08T00:00:00+05:60", undefined],
    ["2022-11-08T00:00:00+05:", undefined],
    ["2022-11-08T00:00:00+053", undefined],
    ["2022-11-08T00:00:00.", undefined],
    ["2022-11-08T00:00:00.Z", undefined],
    ["2022-11-08T00:00:0", undefined],
    ["2022-11-08T00:00:00ZZ", undefined],
    ["2022-11-08", undefined],
    ["2022-11-08X00:00:00", undefined],
    ["22-11-08T00:00:00", undefined],
    ["\uFF12022-11-08T00:00:00Z", undefined],
    ["", undefined],
  ]
  it.each(cases)("%s", (text, expected) => {
    expect(parseUtcDateTime(text)?.toISOString()).toBe(expected)
  })
})

describe("the document check", () => {
  const spec = bulkJobResource("catalog-category-bulk-update-job")
  const decode = (body: unknown) =>
    Effect.runSyncExit(
      Effect.flatMap(
        decodePrimary(spec, { id: "job", primaryFields: undefined }, body, "http://127.0.0.1/x"),
        (document) =>
          resolveIncluded(document, [{
            relationship: "categories",
            spec: catalogCategoryResource,
            fields: undefined,
          }]),
      ),
    )
  const attributes = { status: "queued", created_at: "2022-11-08T00:00:00", total_count: 1 }
  const failure = (exit: Exit.Exit<unknown, unknown>) => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const reason = exit.cause.reasons[0]
    return reason?._tag === "Fail" ? reason.error : undefined
  }

  it("reads only the members the schema keeps (links, meta and unknown members are ignored)", () => {
    const exit = decode({
      data: {
        type: "catalog-category-bulk-update-job",
        id: "job",
        attributes: { ...attributes, extra: 1 },
        relationships: {
          categories: { data: [{ type: "catalog-category", id: "a", meta: {} }], links: {} },
          other: {},
        },
        links: { self: "x" },
      },
      included: [{ type: "catalog-category", id: "a", attributes: { name: "A", other: 2 }, links: {} }],
      meta: {},
    })
    expect(Exit.isSuccess(exit) && exit.value).toEqual({
      type: "catalog-category-bulk-update-job",
      id: "job",
      status: "queued",
      created_at: new Date("2022-11-08T00:00:00Z"),
      total_count: 1,
      categories: [{ type: "catalog-category", id: "a", name: "A" }],
      unresolved: [],
    })
  })

  it.each([
    ["data is an array", { data: [] }, "data"],
    ["attributes is an array", { data: { type: "t", attributes: [] } }, "data.attributes"],
    ["an identifier without an id", {
      data: {
        type: "catalog-category-bulk-update-job",
        attributes,
        relationships: { categories: { data: [{ type: "catalog-category" }] } },
      },
    }, "data.relationships.categories.data[0].id"],
    ["included is not an array", {
      data: { type: "catalog-category-bulk-update-job", attributes },
      included: {},
    }, "included"],
    ["an included resource with attributes null", {
      data: { type: "catalog-category-bulk-update-job", attributes },
      included: [{ type: "catalog-category", id: "a", attributes: null }],
    }, "included[0].attributes"],
  ])("a document it refuses gets the schema's issues: %s", (_, body, path) => {
    expect(failure(decode(body))).toMatchObject({ _tag: "DecodeError", path })
  })
})

describe("the attributes' plain-code decoders", () => {
  /** The same resource with no fast decoders: every value goes through the schema. */
  const schemaOnly = (spec: ResourceSpec): ResourceSpec => ({
    ...spec,
    attributes: Object.fromEntries(
      Object.entries(spec.attributes).map(([name, attribute]) => [name, { ...attribute, fast: undefined }]),
    ),
  })
  const job = bulkJobResource("catalog-category-bulk-update-job")
  const slowJob = schemaOnly(job)
  const slowCategory = schemaOnly(catalogCategoryResource)
  const run = (jobSpec: ResourceSpec, categorySpec: ResourceSpec, attributes: unknown, included: unknown) =>
    Effect.runSyncExit(
      Effect.flatMap(
        decodePrimary(jobSpec, { id: "j", primaryFields: undefined }, {
          data: {
            type: "catalog-category-bulk-update-job",
            id: "j",
            attributes,
            relationships: { categories: { data: [{ type: "catalog-category", id: "c" }] } },
          },
          included: [{ type: "catalog-category", id: "c", attributes: included }],
        }, "http://127.0.0.1/x"),
        (document) =>
          resolveIncluded(document, [{ relationship: "categories", spec: categorySpec, fields: undefined }]),
      ),
    )
  // Values of every kind for every attribute: good ones, nulls, wrong types, odd numbers and dates.
  const values: ReadonlyArray<unknown> = [
    null,
    "",
    "queued",
    "complete",
    "2022-11-08T00:00:00",
    "2022-02-30T00:00:00Z",
    "0050-06-01T00:00:00Z",
    0,
    -3,
    1.5,
    2 ** 60,
    [],
    [{ id: "e", code: "c", title: "t", detail: "d" }],
    [{ id: 1 }],
    // A job error as Klaviyo sends it, and one whose meta names the record with a number.
    [{
      id: null,
      code: null,
      title: null,
      detail: "d",
      source: { pointer: "/p/0" },
      meta: { external_id: "x" },
    }],
    [{ meta: { external_id: 1 } }],
    {},
    true,
  ]
  it("decode every combination exactly as the schema does, issues included", () => {
    const base = { status: "processing", created_at: "2022-11-08T00:00:00+00:00", total_count: 10 }
    let compared = 0
    let decoded = 0
    for (const name of [...Object.keys(job.attributes), "absent"]) {
      for (const value of [...values, undefined]) {
        const attributes: Record<string, unknown> = { ...base }
        if (value === undefined) delete attributes[name]
        else attributes[name] = value
        const category = {
          name: value ?? null,
          external_id: "x",
          updated: value === undefined ? null : value,
        }
        const fastExit = run(job, catalogCategoryResource, attributes, category)
        const slowExit = run(slowJob, slowCategory, attributes, category)
        expect(fastExit).toEqual(slowExit)
        compared++
        if (Exit.isSuccess(fastExit)) decoded++
      }
    }
    expect(compared).toBe(9 * 19)
    // Both sides decoding, not only failing alike (a comparison of two failures proves little):
    // the values the category also accepts (null, absent, the two valid date-times) for each
    // optional attribute, the dates for created_at, and all four for "absent".
    expect(decoded).toBe(20)
  })
})
