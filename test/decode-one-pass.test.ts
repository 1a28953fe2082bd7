/**
 * The one-pass decoder (src/internal/one-pass.ts), used when `decodePrimary` is given the
 * inclusions, must answer exactly what the two stages answer without it: the same objects (keys
 * and their order), and, whenever it declines part-way through a document, the schema's exact
 * error.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import { decodePrimary, type Inclusion, resolveIncluded } from "../src/internal/jsonapi.ts"
import { parseUtcDateTime } from "../src/internal/schemas.ts"
import { bulkJobResource, catalogCategoryResource } from "../src/resources.ts"

const job = bulkJobResource("catalog-category-bulk-update-job")
const inclusions: ReadonlyArray<Inclusion> = [
  { relationship: "categories", spec: catalogCategoryResource, fields: undefined },
]
const url = "http://127.0.0.1/x"

/** Decode then resolve, in one pass (`inclusions` given to the decoder) or in two. */
const run = (body: unknown, onePass: boolean) =>
  Effect.runSyncExit(
    Effect.flatMap(
      decodePrimary(
        job,
        { id: "job", primaryFields: undefined, ...(onePass ? { inclusions } : {}) },
        body,
        url,
      ),
      (document) => resolveIncluded(document, inclusions),
    ),
  )

const attributes = {
  status: "complete",
  created_at: "2022-11-08T00:00:00",
  total_count: 3,
  errors: [{
    id: null,
    code: null,
    title: null,
    detail: "d",
    source: { pointer: "/data" },
    meta: { external_id: "e" },
  }],
}
const category = (id: string, updated: unknown = "2026-11-27T14:03:12.482913+00:00") => ({
  type: "catalog-category",
  id,
  attributes: { name: `name ${id}`, external_id: id, updated },
  links: { self: "x" },
})
const linkage = (...ids: ReadonlyArray<string>) => ({
  data: ids.map((id) => ({ type: "catalog-category", id })),
})
const document = (overrides: {
  readonly data?: Record<string, unknown>
  readonly included?: unknown
}) => ({
  data: {
    type: "catalog-category-bulk-update-job",
    id: "job",
    attributes,
    relationships: { categories: linkage("a", "b", "c") },
    ...overrides.data,
  },
  included: "included" in overrides ? overrides.included : [category("a"), category("b"), category("c")],
})

/** A value's keys in order, all the way down (what `toStrictEqual` does not compare). */
const keyOrder = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(keyOrder)
    : typeof value === "object" && value !== null && !(value instanceof Date)
    ? Object.entries(value).map(([key, member]) => [key, keyOrder(member)])
    : value

describe("the one-pass decoder", () => {
  it("gives the same joined job, key for key and in the same order", () => {
    const body = document({ data: { relationships: { categories: linkage("b", "gone", "a", "b") } } })
    const one = run(body, true)
    const two = run(body, false)
    expect(one).toStrictEqual(two)
    if (Exit.isFailure(one)) throw new Error("expected a success")
    expect(Object.keys(one.value)).toEqual([
      "type",
      "id",
      "status",
      "created_at",
      "total_count",
      "errors",
      "categories",
      "unresolved",
    ])
    expect(keyOrder(one.value)).toEqual(keyOrder(Exit.isSuccess(two) && two.value))
    expect((one.value["categories"] as ReadonlyArray<{ readonly id: string }>).map(({ id }) => id)).toEqual([
      "b",
      "a",
      "b",
    ])
    expect(one.value["unresolved"]).toEqual([{
      relationship: "categories",
      type: "catalog-category",
      id: "gone",
    }])
  })

  it("decodes the job's errors with null members (the schema decides them) as the two stages do", () => {
    const one = run(document({}), true)
    expect(one).toStrictEqual(run(document({}), false))
    expect(Exit.isSuccess(one) && one.value["errors"]).toEqual(attributes.errors)
  })

  it.each([
    [
      "a referenced category's timestamp is bad, after one decoded",
      document({
        included: [category("a"), category("b", "yesterday"), category("c")],
      }),
      "included[1].attributes.updated",
    ],
    [
      "an identifier of the relationship has no id, after one resolved",
      document({
        data: {
          relationships: { categories: { data: [{ type: "catalog-category", id: "a" }, { type: "x" }] } },
        },
      }),
      "data.relationships.categories.data[1].id",
    ],
    [
      "an unreferenced included resource has attributes that are not an object",
      document({
        included: [category("a"), category("b"), category("c"), { type: "other", id: "o", attributes: [] }],
      }),
      "included[3].attributes",
    ],
    [
      "another relationship is not well formed",
      document({
        data: { relationships: { categories: linkage("a"), other: { data: 5 } } },
      }),
      "data.relationships.other.data",
    ],
    [
      "included categories that nothing references",
      document({ data: { relationships: {} } }),
      "data.relationships.categories",
    ],
    ["the job's id is another job's", document({ data: { id: "other" } }), "data.id"],
    [
      "a required job attribute is missing",
      document({ data: { attributes: { status: "queued" } } }),
      "data.attributes.created_at",
    ],
  ])("declines and the schema reports exactly as without it: %s", (_, body, path) => {
    const one = run(body, true)
    expect(one).toStrictEqual(run(body, false))
    const reason = Exit.isFailure(one) ? one.cause.reasons[0] : undefined
    expect(reason?._tag === "Fail" && reason.error).toMatchObject({ _tag: "DecodeError", path, url })
  })

  it("without inclusions, gives the primary resource as it is (no unresolved list)", () => {
    const body = document({ included: [] })
    const exit = Effect.runSyncExit(
      decodePrimary(job, { id: "job", primaryFields: ["status"], inclusions: [] }, body, url),
    )
    expect(Exit.isSuccess(exit) && exit.value.resource).toStrictEqual({
      type: body.data.type,
      id: "job",
      status: "complete",
    })
  })

  it("refuses to resolve a one-pass document with other inclusions", () => {
    const exit = Effect.runSyncExit(
      Effect.flatMap(
        decodePrimary(job, { id: "job", primaryFields: undefined, inclusions }, document({}), url),
        (decoded) => resolveIncluded(decoded, []),
      ),
    )
    expect(Exit.isFailure(exit) && exit.cause.reasons[0]?._tag).toBe("Die")
  })
})

describe("parseUtcDateTime's day count", () => {
  it("gives the engine's own reading on the first and last day of every month, over the years 100 to 9999", () => {
    const pad = (n: number, width: number) => String(n).padStart(width, "0")
    const mismatches: Array<string> = []
    for (let year = 100; year <= 9999; year += year < 2200 ? 1 : 97) {
      for (let month = 1; month <= 12; month++) {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
        for (const day of [1, last]) {
          const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T23:59:58.999-05:30`
          if (parseUtcDateTime(text)?.getTime() !== new Date(text).getTime()) mismatches.push(text)
        }
      }
    }
    expect(mismatches).toEqual([])
  })
})

describe("a bulk job's spec", () => {
  it("is one object per job type, so that its decoders (cached by the spec) are built once per type, not per call", () => {
    expect(bulkJobResource("catalog-item-bulk-create-job")).toBe(
      bulkJobResource("catalog-item-bulk-create-job"),
    )
    expect(bulkJobResource("catalog-item-bulk-create-job")).not.toBe(
      bulkJobResource("catalog-item-bulk-update-job"),
    )
    expect(bulkJobResource("catalog-item-bulk-update-job").type).toBe("catalog-item-bulk-update-job")
  })
})
