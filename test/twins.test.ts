/**
 * The plain-code twins are derived from each resource's Schema (none written by hand): every
 * attribute of every resource has one, and each twin reads what its schema reads.
 */
import { Exit, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { twinOf } from "../src/internal/fast.ts"
import { DECLINE, UtcDateTime } from "../src/internal/schemas.ts"
import {
  bulkJobResource,
  catalogCategoryResource,
  catalogItemResource,
  catalogVariantResource,
} from "../src/resources.ts"

describe("twins derived from the schemas", () => {
  for (
    const spec of [
      bulkJobResource("catalog-item-bulk-create-job"),
      catalogItemResource,
      catalogVariantResource,
      catalogCategoryResource,
    ]
  ) {
    it(`gives every attribute of ${spec.type} a twin`, () => {
      const without = Object.entries(spec.attributes).filter(([, attribute]) => attribute.fast === undefined)
      expect(without.map(([name]) => name)).toEqual([])
    })
  }

  const cases: ReadonlyArray<readonly [string, Schema.Top, ReadonlyArray<unknown>]> = [
    ["a string", Schema.String, ["a", "", 1, null, undefined]],
    ["a number", Schema.Number, [1, 1.5, -0, "1", null]],
    ["a boolean", Schema.Boolean, [true, false, 0, "true"]],
    ["literals", Schema.Literals([0, 1, 2]), [0, 2, 3, "1"]],
    ["NullOr", Schema.NullOr(Schema.String), [null, "x", 1]],
    ["an array", Schema.Array(Schema.String), [[], ["a", "b"], ["a", 1], "a"]],
    ["an open record", Schema.Record(Schema.String, Schema.Unknown), [{}, { a: 1 }, [], null]],
  ]
  for (const [name, schema, values] of cases) {
    it(`reads ${name} as its schema does, or declines`, () => {
      const twin = twinOf(schema)!
      const decode = Schema.decodeUnknownExit(schema as Schema.Decoder<unknown>)
      for (const value of values) {
        const fast = twin(value)
        const exit = decode(value)
        if (fast === DECLINE) expect(Exit.isFailure(exit)).toBe(true)
        else expect(Exit.isSuccess(exit) ? exit.value : "schema refused").toEqual(fast)
      }
    })
  }

  it("has no twin for a schema it does not know", () => {
    expect(twinOf(Schema.Struct({ a: Schema.String }))).toBeUndefined()
    expect(twinOf(Schema.String.check(Schema.isMinLength(2)))).toBeUndefined()
  })

  it("gives back a parsed array whose elements decode to themselves, and copies one whose elements change", () => {
    const strings = ["a", "b", "c"]
    expect(twinOf(Schema.Array(Schema.String))!(strings)).toBe(strings)
    const stamps = ["2026-11-27T14:00:00+00:00", "2026-11-27T14:00:01.500000+00:00"]
    const dates = twinOf(Schema.Array(UtcDateTime))!(stamps)
    expect(dates).toEqual([new Date("2026-11-27T14:00:00Z"), new Date("2026-11-27T14:00:01.500Z")])
    expect(dates).not.toBe(stamps)
    expect(stamps).toEqual(["2026-11-27T14:00:00+00:00", "2026-11-27T14:00:01.500000+00:00"])
    expect(twinOf(Schema.Array(Schema.NullOr(UtcDateTime)))!([null, "2026-11-27T14:00:00+00:00"])).toEqual([
      null,
      new Date("2026-11-27T14:00:00Z"),
    ])
  })
})
