/**
 * The plain-code record check (`recordCheckOf`, derived from each record's Schema) against the
 * Schema itself, for every kind a job-creating POST takes: a record the check passes is one the
 * Schema decodes to an equal value, and every refusal reads as it did with the Schema alone
 * (`recordCodec` given a check that never knows is the path without it).
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import { describe, expect, it } from "vitest"
import { kindSpec } from "../src/bulk-write/kind.ts"
import { type CreateRow, MAX_BODY_BYTES, recordCodec } from "../src/endpoints/create.ts"
import { type RecordCheck, recordCheckOf } from "../src/internal/fast.ts"
import { DECLINE } from "../src/internal/schemas.ts"
import { bulkCreateCatalogCategories } from "../mod.ts"
import { Effect } from "effect"
import { FetchHttpClient } from "effect/http"
import { KlaviyoClient, SIMULATED_API_KEY } from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

const resources = ["catalog-item", "catalog-variant", "catalog-category"] as const
const operations = ["create", "update", "delete"] as const
const kinds = resources.flatMap((resource) => operations.map((operation) => ({ resource, operation })))

const rowOf = (resource: typeof resources[number], operation: typeof operations[number]) => {
  const spec = kindSpec({ resource, operation })
  if (spec === undefined) throw new Error(`no kind ${resource}/${operation}`)
  return spec.row
}

/** A small seeded generator (mulberry32), so that every run sees the same records. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
type Random = () => number

const strings = ["", "x", "Shirt", "$custom:::$default:::SHIRT-1", "é ✓ 𝄞", 'a"b\\c\n', " ".repeat(3)]
const pick = <A>(next: Random, values: ReadonlyArray<A>): A => values[Math.floor(next() * values.length)]!

/** A value the AST accepts, generated from the AST (the shapes the record schemas use). */
const valueOf = (ast: SchemaAST.AST, next: Random): unknown => {
  switch (ast._tag) {
    case "String":
      return pick(next, strings)
    case "Number":
      return pick(next, [0, -0, 1, -1.5, 42, 1e21, Number.MAX_VALUE, Number.MIN_VALUE])
    case "Boolean":
      return next() < 0.5
    case "Null":
      return null
    case "Literal":
      return ast.literal
    case "Union":
      return valueOf(pick(next, ast.types), next)
    case "Arrays":
      return Array.from({ length: Math.floor(next() * 4) }, () => valueOf(ast.rest[0]!, next))
    case "Objects":
      return pick(next, [{}, { color: "blue", sizes: [1, 2], nested: { deep: null } }, { "": undefined }])
    default:
      throw new Error(`no generator for ${ast._tag}`)
  }
}

interface Member {
  readonly name: string
  readonly ast: SchemaAST.AST
  readonly optional: boolean
}
const membersOf = (row: CreateRow<string, unknown>): ReadonlyArray<Member> =>
  (row.record.ast as SchemaAST.Objects).propertySignatures.map((p) => ({
    name: String(p.name),
    ast: p.type,
    optional: p.type.context?.isOptional === true,
  }))

/** A valid record: every required member, each optional one half the time. */
const validRecord = (members: ReadonlyArray<Member>, next: Random): Record<string, unknown> => {
  const record: Record<string, unknown> = {}
  for (const member of members) {
    if (!member.optional || next() < 0.5) record[member.name] = valueOf(member.ast, next)
  }
  return record
}

/** The tags and literals a member's AST takes, its unions flattened. */
const shapesOf = (ast: SchemaAST.AST): { tags: Set<string>; literals: Set<unknown> } => {
  const tags = new Set<string>()
  const literals = new Set<unknown>()
  const go = (node: SchemaAST.AST): void => {
    if (node._tag === "Union") node.types.forEach(go)
    else {
      tags.add(node._tag)
      if (node._tag === "Literal") literals.add(node.literal)
    }
  }
  go(ast)
  return { tags, literals }
}

/** Values of another kind than the AST takes (each refused). */
const wrongValues = (ast: SchemaAST.AST): ReadonlyArray<unknown> => {
  const { tags, literals } = shapesOf(ast)
  const out: Array<unknown> = [undefined, Symbol("s"), DECLINE, 10n]
  if (!tags.has("String")) out.push("1", "")
  if (!tags.has("Number")) out.push(1, 0)
  if (!tags.has("Boolean")) out.push(true)
  if (!tags.has("Null")) out.push(null)
  if (!tags.has("Arrays")) out.push([], ["a"])
  if (!tags.has("Objects")) out.push({}, { a: 1 })
  if (tags.has("Number")) out.push(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)
  if (tags.has("Arrays")) out.push(["a", 1], ["a", null], [undefined], new Array(2), [["a"]])
  if (tags.has("Objects")) out.push([], { [Symbol("k")]: 1 })
  return out.filter((value) => !literals.has(value))
}

/**
 * The records a valid one is mutated into: `wrong` ones the Schema refuses (a member of another
 * kind, a required one missing, an excess key), and `reshaped` ones whose values are right but
 * whose shape the check leaves to the Schema (not enumerable, inherited, another prototype).
 */
const mutations = (members: ReadonlyArray<Member>, valid: Record<string, unknown>) => {
  const wrong: Array<unknown> = []
  for (const member of members) {
    for (const value of wrongValues(member.ast)) wrong.push({ ...valid, [member.name]: value })
    if (!member.optional) {
      const { [member.name]: _, ...without } = valid
      wrong.push(without)
    }
  }
  wrong.push({ ...valid, extra: 1 }, { ...valid, extra: undefined }, { ...valid, [Symbol("extra")]: 1 })
  const reshaped: Array<unknown> = []
  const first = members[0]!
  const concealed = { ...valid }
  Object.defineProperty(concealed, first.name, { value: valid[first.name], enumerable: false })
  reshaped.push(concealed)
  reshaped.push(Object.assign(Object.create({ [first.name]: 1 }), valid))
  const inherited = { ...valid }
  delete inherited[first.name]
  reshaped.push(Object.assign(Object.create({ [first.name]: valid[first.name] }), inherited))
  reshaped.push(Object.assign(Object.create(null), valid))
  class Shaped {
    constructor() {
      Object.assign(this, valid)
    }
  }
  reshaped.push(new Shaped())
  for (const member of members) {
    const { tags } = shapesOf(member.ast)
    if (tags.has("Arrays")) {
      reshaped.push({ ...valid, [member.name]: Object.assign(new (class extends Array {})(), ["a"]) })
    }
    if (tags.has("Objects")) {
      reshaped.push({ ...valid, [member.name]: new Date(0) }, {
        ...valid,
        [member.name]: Object.create(null),
      })
    }
  }
  return { wrong, reshaped }
}

/** What the Schema alone says of a record: the decoded value, or its refusal message. */
const schemaOf = (row: CreateRow<string, unknown>) => {
  const decode = Schema.decodeUnknownExit(row.record)
  const before = recordCodec(row, () => false)
  return (record: unknown) => ({
    exit: decode(record, { errors: "all", onExcessProperty: "error" }),
    refusal: before.refusal(7, record),
  })
}

/** The records tried for a row: valid ones, and each of the first 20 mutated every way. */
const samples = (row: CreateRow<string, unknown>) => {
  const members = membersOf(row)
  const next = random(row.job.length * 1000 + members.length)
  const valid = Array.from({ length: 200 }, () => validRecord(members, next))
  // Every optional member present, and none.
  valid.push(Object.fromEntries(members.map((m) => [m.name, valueOf(m.ast, next)])))
  valid.push(
    Object.fromEntries(members.filter((m) => !m.optional).map((m) => [m.name, valueOf(m.ast, next)])),
  )
  const mutated = valid.slice(0, 20).map((record) => mutations(members, record))
  const wrong = mutated.flatMap((m) => m.wrong)
  wrong.push(null, undefined, "x", 1, [], [valid[0]], new Map())
  const reshaped = mutated.flatMap((m) => m.reshaped)
  return { valid, wrong, reshaped, invalid: [...wrong, ...reshaped] }
}

/**
 * What goes wrong with a check on a row's samples: a record it passes that the Schema refuses or
 * changes, or a refusal that reads otherwise than the Schema's.
 */
const violations = (row: CreateRow<string, unknown>, check: RecordCheck): ReadonlyArray<string> => {
  const schema = schemaOf(row)
  const after = recordCodec(row, check)
  const out: Array<string> = []
  const { valid, invalid } = samples(row)
  for (const record of [...valid, ...invalid]) {
    const { exit, refusal } = schema(record)
    if (check(record)) {
      if (Exit.isFailure(exit)) out.push(`passed a refused record: ${refusal}`)
      else {
        try {
          expect(exit.value).toStrictEqual(record)
        } catch {
          out.push(`passed a record the Schema changes: ${String(Object.keys(record as object))}`)
        }
      }
    }
    const now = after.refusal(7, record)
    if (now !== refusal) out.push(`refusal ${JSON.stringify(now)} for ${JSON.stringify(refusal)}`)
  }
  return out
}

describe("recordCheckOf, against the record's Schema", () => {
  for (const { resource, operation } of kinds) {
    describe(`${resource} ${operation}`, () => {
      const row = rowOf(resource, operation)
      const check = recordCheckOf(row.record)
      const schema = schemaOf(row)
      const { valid, wrong, reshaped } = samples(row)

      it("passes every generated valid record, which the Schema decodes to an equal value", () => {
        expect(valid.length).toBe(202)
        for (const record of valid) {
          expect(check(record)).toBe(true)
          const { exit } = schema(record)
          expect(Exit.isSuccess(exit) ? exit.value : exit).toStrictEqual(record)
        }
      })

      it("passes no wrong record (each refused by the Schema) nor a reshaped one (left to it)", () => {
        expect(wrong.length).toBeGreaterThan(100)
        expect(wrong.filter((record) => check(record) || schema(record).refusal === undefined)).toEqual([])
        expect(reshaped.length).toBeGreaterThanOrEqual(100)
        expect(reshaped.filter((record) => check(record))).toEqual([])
      })

      it("leaves every refusal as the Schema words it", () => {
        expect(violations(row, check)).toEqual([])
      })
    })
  }

  it("refuses as before, word for word (one record per reason)", () => {
    const row = rowOf("catalog-variant", "create")
    const { refusal } = recordCodec(row)
    const base = {
      external_id: "V1",
      title: "T",
      description: "D",
      sku: "S",
      inventory_quantity: 1,
      price: 2,
      url: "u",
      item: "$custom:::$default:::I1",
    }
    expect([
      refusal(0, { ...base, price: Number.NaN }),
      refusal(1, { ...base, inventory_quantity: Number.POSITIVE_INFINITY }),
      refusal(2, { ...base, extra: 1 }),
      refusal(3, { ...base, sku: undefined }),
      refusal(4, { ...base, inventory_policy: 3 }),
      refusal(5, null),
      refusal(6, base),
    ]).toEqual([
      'record 0 ("V1"): price: Expected a finite number, found a number',
      'record 1 ("V1"): inventory_quantity: Expected a finite number, found a number',
      'record 2 ("V1"): extra is not an attribute of a catalog-variant to create (unknown attribute; it takes: external_id, title, description, sku, inventory_quantity, price, url, catalog_type, integration_type, inventory_policy, image_full_url, image_thumbnail_url, images, custom_metadata, published, item)',
      'record 3 ("V1"): sku: Expected string, found a undefined',
      'record 4 ("V1"): inventory_policy: Expected 0 | 1 | 2, found a number',
      "record 5 must be an object, not null",
      undefined,
    ])
  })

  it("the harness catches a broken check", () => {
    const variant = rowOf("catalog-variant", "create")
    const item = rowOf("catalog-item", "update")
    // Passes everything.
    expect(violations(variant, () => true).length).toBeGreaterThan(100)
    // Derived from a looser schema (every value for the SKU).
    const looser = Schema.Struct({
      ...(variant.record as unknown as Schema.Struct<Schema.Struct.Fields>).fields,
      sku: Schema.Unknown,
    })
    expect(violations(variant, recordCheckOf(looser)).some((v) => v.startsWith("passed a refused record")))
      .toBe(
        true,
      )
    // Blind to excess keys: the check of the record without them.
    const check = recordCheckOf(item.record)
    const blind: RecordCheck = (record) => {
      if (typeof record !== "object" || record === null) return false
      const { extra: _, ...rest } = record as Record<string, unknown>
      return check(rest)
    }
    expect(violations(item, blind).filter((v) => v.startsWith("passed a refused record")).length).toBe(40)
  })

  it("passes a record with a key that is not enumerable and not a member: the Schema ignores it", () => {
    const row = rowOf("catalog-category", "update")
    const record = { id: "$custom:::$default:::APPAREL", name: "Apparel" }
    Object.defineProperty(record, "hidden", { value: 1, enumerable: false })
    expect(recordCheckOf(row.record)(record)).toBe(true)
    expect(Schema.decodeUnknownExit(row.record)(record, { errors: "all", onExcessProperty: "error" }))
      .toStrictEqual(
        Exit.succeed({ id: "$custom:::$default:::APPAREL", name: "Apparel" }),
      )
    expect(violations(row, recordCheckOf(row.record))).toEqual([])
  })

  it("leaves to the Schema a member found on Object.prototype (read by the Schema as `name in record`)", () => {
    const row = rowOf("catalog-item", "update")
    const check = recordCheckOf(row.record)
    const decode = Schema.decodeUnknownExit(row.record)
    const record = { id: "$custom:::$default:::SHIRT-1" }
    Object.defineProperty(Object.prototype, "title", {
      value: "Polluted",
      configurable: true,
      enumerable: false,
      writable: true,
    })
    try {
      expect(check(record)).toBe(false)
      expect(decode(record, { errors: "all", onExcessProperty: "error" })).toStrictEqual(
        Exit.succeed({ id: "$custom:::$default:::SHIRT-1", title: "Polluted" }),
      )
    } finally {
      delete (Object.prototype as { title?: unknown }).title
    }
    expect(check(record)).toBe(true)
  })

  it("never knows a struct with a check it cannot prove, nor a member with one", () => {
    const refined = recordCheckOf(Schema.Struct({ id: Schema.String.check(Schema.isNonEmpty()) }))
    expect([refined({ id: "a" }), refined({ id: "" })]).toEqual([false, false])
    const struct = recordCheckOf(Schema.Struct({ id: Schema.String }).check(Schema.makeFilter(() => true)))
    expect(struct({ id: "a" })).toBe(false)
    const encoded = recordCheckOf(Schema.Struct({ n: Schema.NumberFromString }))
    expect(encoded({ n: "1" })).toBe(false)
    const optional = recordCheckOf(
      Schema.Struct({ id: Schema.String, n: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty())) }),
    )
    expect([optional({ id: "a" }), optional({ id: "a", n: "x" }), optional({ id: "a", n: "" })]).toEqual([
      true,
      false,
      false,
    ])
    const indexed = recordCheckOf(Schema.Record(Schema.String, Schema.String))
    expect(indexed({ a: "b" })).toBe(false)
  })
})

describe("the POST's body, encoded once", () => {
  let server: TestServer
  useServer((s) => (server = s))

  const run = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>) =>
    effect.pipe(
      Effect.provide(
        KlaviyoClient.layer({
          apiKey: SIMULATED_API_KEY,
          retry: false,
          baseUrl: server.url,
          rateLimit: false,
        }),
      ),
      Effect.provide(FetchHttpClient.layer),
      Effect.runPromise,
    )
  const bodyOf = (records: ReadonlyArray<{ external_id: string; name: string }>): string =>
    JSON.stringify({
      data: {
        type: "catalog-category-bulk-create-job",
        attributes: {
          categories: { data: records.map((r) => ({ type: "catalog-category", attributes: r })) },
        },
      },
    })

  it("sends the text it measured, as it is", async () => {
    const records = [{ external_id: "C1", name: "Äpfel ✓" }, { external_id: "C2", name: "" }]
    const job = await run(bulkCreateCatalogCategories(records))
    expect(job.status).toBe("queued")
    expect(server.requests.map((r) => [r.method, r.body, r.headers["content-length"]])).toEqual([
      ["POST", bodyOf(records), String(new TextEncoder().encode(bodyOf(records)).byteLength)],
    ])
  })

  it("counts the UTF-8 bytes of a text past a third of the cap: within it, sent; past it, refused", async () => {
    // 1.67 M code units (past the 1,666,666 that are surely within 5 MB) of two- and three-byte characters.
    const within = Array.from({ length: 100 }, (_, i) => ({ external_id: `C${i}`, name: "é".repeat(16_700) }))
    expect(bodyOf(within).length * 3).toBeGreaterThan(MAX_BODY_BYTES)
    expect(new TextEncoder().encode(bodyOf(within)).byteLength).toBeLessThan(MAX_BODY_BYTES)
    const job = await run(bulkCreateCatalogCategories(within))
    expect(job.status).toBe("queued")
    const over = within.map((r) => ({ ...r, name: "✓".repeat(16_700) }))
    const bytes = new TextEncoder().encode(bodyOf(over)).byteLength
    expect(bytes).toBe(5_017_381)
    const error = await run(Effect.flip(bulkCreateCatalogCategories(over)))
    expect([error._tag, (error as { input?: string }).input, (error as { reason?: string }).reason]).toEqual([
      "InvalidRequest",
      "records",
      `the body is ${bytes} bytes of JSON; a job takes at most ${MAX_BODY_BYTES} (split the records into several jobs)`,
    ])
    expect(server.requests.map((r) => r.body.length)).toEqual([bodyOf(within).length])
  })
})
