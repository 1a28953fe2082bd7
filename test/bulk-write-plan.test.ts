/**
 * The plan of a bulk write: records checked with their row's Schema, duplicates refused, the
 * rest grouped into jobs of at most 100 records and 5 MB of the exact body bytes the POST sends.
 */
import { Effect, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import { bulkCreateCatalogItems, type CatalogItemCreateRecord, KlaviyoClient } from "../mod.ts"
import { type BulkWriteKind, type KindSpec, kindSpec, utf8Length } from "../src/bulk-write/kind.ts"
import { plan, type Planned, type PlannedJob, type RefusedRecord } from "../src/bulk-write/plan.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))

const spec = (kind: BulkWriteKind): KindSpec => kindSpec(kind)!
const itemCreate = spec({ resource: "catalog-item", operation: "create" })

const item = (index: number, extra: Partial<CatalogItemCreateRecord> = {}): CatalogItemCreateRecord => ({
  external_id: `S${index}`,
  title: "Shirt",
  description: "Blue",
  url: `https://example.com/s/${index}`,
  ...extra,
})

const planOf = (s: KindSpec, records: Iterable<unknown>): Promise<ReadonlyArray<Planned>> =>
  Effect.runPromise(Stream.runCollect(plan(s, Stream.fromIterable(records))))

const jobs = (planned: ReadonlyArray<Planned>): ReadonlyArray<PlannedJob> =>
  planned.filter((p): p is PlannedJob => p._tag === "Job")
const refused = (planned: ReadonlyArray<Planned>): ReadonlyArray<RefusedRecord> =>
  planned.filter((p): p is RefusedRecord => p._tag === "Refused")
const indexes = (job: PlannedJob): ReadonlyArray<number> => job.records.map((r) => r.index)
const range = (from: number, to: number): ReadonlyArray<number> =>
  Array.from({ length: to - from }, (_, i) => from + i)

describe("grouping", () => {
  it("groups 250 records into jobs of 100, 100 and 50, in input order, numbered from 0", async () => {
    const planned = await planOf(itemCreate, Array.from({ length: 250 }, (_, i) => item(i)))
    expect(planned.map((p) => p._tag)).toEqual(["Job", "Job", "Job"])
    const [a, b, c] = jobs(planned)
    expect([a!.seq, b!.seq, c!.seq]).toEqual([0, 1, 2])
    expect(indexes(a!)).toEqual(range(0, 100))
    expect(indexes(b!)).toEqual(range(100, 200))
    expect(indexes(c!)).toEqual(range(200, 250))
    expect(a!.records[7]).toEqual({ index: 7, key: "S7", record: item(7) })
  })

  it("plans nothing for no records", async () => {
    expect(await planOf(itemCreate, [])).toEqual([])
  })

  it("puts every record out exactly once, in a job or refused, over 1,000 mixed records", async () => {
    const records = Array.from(
      { length: 1000 },
      (_, i) => i % 7 === 3 ? { external_id: `S${i}` } : i % 11 === 5 ? item(i - 1) : item(i),
    )
    const planned = await planOf(itemCreate, records)
    const seen = planned.flatMap((p) => p._tag === "Job" ? indexes(p) : [p.index]).sort((x, y) => x - y)
    expect(seen).toEqual(range(0, 1000))
    for (const job of jobs(planned)) {
      expect(job.records.length).toBeLessThanOrEqual(100)
      expect(job.bodyBytes).toBeLessThanOrEqual(5_000_000)
    }
    const why = refused(planned)
    expect(why.filter((r) => r.refusal === "invalid").length).toBe(143)
    // i % 11 === 5 repeats record i - 1's external_id, unless record i - 1 was itself refused.
    const repeats = range(0, 1000).filter((i) => i % 11 === 5 && (i - 1) % 7 !== 3)
    expect(why.filter((r) => r.refusal === "duplicate").map((r) => r.index)).toEqual(
      repeats.filter((i) => i % 7 !== 3),
    )
  })

  it("reads the input lazily: one job of an endless input pulls at most one chunk of the stream past it", async () => {
    let pulled = 0
    function* endless(): Generator<CatalogItemCreateRecord> {
      for (let i = 0;; i++) {
        pulled++
        yield item(i)
      }
    }
    const first = await Effect.runPromise(
      Stream.runCollect(Stream.take(plan(itemCreate, Stream.fromIterable(endless())), 1)),
    )
    expect(indexes(first[0] as PlannedJob)).toEqual(range(0, 100))
    expect(pulled).toBeLessThanOrEqual(Stream.DefaultChunkSize + 101)
  })

  it("emits a full job as soon as its 100th record is read, planning 100 records at a time", async () => {
    // The source comes in one chunk of 10,000; the records planned are counted as they are named.
    let planned = 0
    const counting: KindSpec = {
      ...itemCreate,
      key: (record) => {
        planned++
        return itemCreate.key(record)
      },
    }
    let plannedAtFirstJob = 0
    await Effect.runPromise(
      plan(counting, Stream.fromIterable(Array.from({ length: 10_000 }, (_, i) => item(i)))).pipe(
        Stream.take(1),
        Stream.runForEach(() => Effect.sync(() => (plannedAtFirstJob = planned))),
      ),
    )
    expect(plannedAtFirstJob).toBe(100)
  })

  it("takes an AsyncIterable through Stream.fromAsyncIterable", async () => {
    async function* three() {
      for (let i = 0; i < 3; i++) yield item(i)
    }
    const planned = await Effect.runPromise(
      Stream.runCollect(plan(itemCreate, Stream.fromAsyncIterable(three(), (e) => e))),
    )
    expect(planned.map((p) => p._tag === "Job" ? indexes(p) : p.index)).toEqual([[0, 1, 2]])
  })
})

describe("checking", () => {
  it("refuses a record that does not match the row's Schema, naming it as the POST would", async () => {
    const { url: _, ...noUrl } = item(1)
    const planned = await planOf(itemCreate, [item(0), noUrl, item(2)])
    expect(planned.map((p) => p._tag)).toEqual(["Refused", "Job"])
    const [bad] = refused(planned)
    expect(bad).toMatchObject({ index: 1, key: "S1", refusal: "invalid", record: noUrl })
    expect([bad!.error._tag, bad!.error.input, bad!.error.reason]).toEqual([
      "InvalidRequest",
      "records",
      'record 1 ("S1"): url is missing (required for a catalog-item to create)',
    ])
    expect(indexes(jobs(planned)[0]!)).toEqual([0, 2])
  })

  it("refuses a record that is not an object, and one JSON cannot hold", async () => {
    const planned = await planOf(itemCreate, [42, item(1, { custom_metadata: { big: 10n } })])
    expect(refused(planned).map((r) => [r.index, r.refusal])).toEqual([[0, "invalid"], [1, "invalid"]])
    expect(refused(planned)[0]!.error.reason).toBe("record 0 must be an object, not a number")
    // The engine's own words follow (V8: "Do not know how to serialize a BigInt"; JSC differs).
    expect(refused(planned)[1]!.error.reason).toMatch(
      /^record 1 \("S1"\) cannot be written as JSON: .*BigInt/i,
    )
  })

  it("refuses a repeated external_id, keeping the first; another catalog is another item", async () => {
    const planned = await planOf(itemCreate, [
      item(0),
      item(1),
      { ...item(9), external_id: "S0" },
      { ...item(0), catalog_type: "$other" },
      { ...item(1) },
    ])
    expect(refused(planned).map((r) => [r.index, r.refusal, r.duplicateOf, r.error.reason])).toEqual([
      [
        2,
        "duplicate",
        0,
        'record 2 ("S0") has the same external_id (and catalog) as record 0: only record 0 is sent',
      ],
      [
        4,
        "duplicate",
        1,
        'record 4 ("S1") has the same external_id (and catalog) as record 1: only record 1 is sent',
      ],
    ])
    expect(indexes(jobs(planned)[0]!)).toEqual([0, 1, 3])
  })

  it("refuses a repeated id in an update, and counts an invalid first record as not sent", async () => {
    const update = spec({ resource: "catalog-variant", operation: "update" })
    const planned = await planOf(update, [
      { id: "V1", price: "free" },
      { id: "V1", price: 3 },
      { id: "V2" },
      { id: "V1", price: 4 },
    ])
    expect(refused(planned).map((r) => [r.index, r.refusal, r.duplicateOf])).toEqual([
      [0, "invalid", undefined],
      [3, "duplicate", 1],
    ])
    expect(refused(planned)[0]!.error.reason).toBe(
      'record 0 ("V1"): price: Expected number | null, found a string',
    )
    expect(indexes(jobs(planned)[0]!)).toEqual([1, 2])
  })
})

describe("the 5 MB of body", () => {
  it("counts the exact UTF-8 bytes bulkCreateCatalogItems sends", async () => {
    const records = [
      item(0, { title: "Chemise é", description: "€ 20, 😀" }),
      item(1, { description: 'lone \ud800 surrogate, quote " and \\ and \n' }),
      item(2, { categories: ["$custom:::$default:::Ä"], price: 1.5 }),
    ]
    const [job] = jobs(await planOf(itemCreate, records))
    server.script({
      status: 202,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({
        data: {
          type: "catalog-item-bulk-create-job",
          id: "01J",
          attributes: { status: "queued", created_at: "2026-01-01T00:00:00+00:00", total_count: 3 },
        },
      }),
    })
    await bulkCreateCatalogItems(records).pipe(
      Effect.provide(KlaviyoClient.layer({ apiKey: "pk_test_plan", baseUrl: server.url, rateLimit: false })),
      Effect.provide(FetchHttpClient.layer),
      Effect.runPromise,
    )
    const sent = server.requests[0]!.body
    expect(job!.bodyBytes).toBe(new TextEncoder().encode(sent).byteLength)
    expect(utf8Length(sent)).toBe(job!.bodyBytes)
    // The body the plan encoded (each record once) is exactly the one the POST sends.
    expect(job!.body?.text).toBe(sent)
  })

  // Two records whose body is `size` bytes: the first's description pads it out.
  const pair = (size: number) => {
    const small = item(1)
    const smallBytes = utf8Length(JSON.stringify(itemCreate.toResource({ ...small })))
    const emptyBig = utf8Length(JSON.stringify(itemCreate.toResource({ ...item(0), description: "" })))
    const pad = size - itemCreate.overheadBytes - emptyBig - 1 - smallBytes
    return [item(0, { description: "x".repeat(pad) }), small]
  }

  it("keeps two records in one job when the body is exactly 5,000,000 bytes", async () => {
    const [job, ...rest] = await planOf(itemCreate, pair(5_000_000))
    expect(rest).toEqual([])
    expect([indexes(job as PlannedJob), (job as PlannedJob).bodyBytes]).toEqual([[0, 1], 5_000_000])
  })

  it("starts a second job when the body would be 5,000,001 bytes", async () => {
    const planned = jobs(await planOf(itemCreate, pair(5_000_001)))
    expect(planned.map((j) => [j.seq, indexes(j)])).toEqual([[0, [0]], [1, [1]]])
    expect(planned[0]!.bodyBytes + planned[1]!.bodyBytes - itemCreate.overheadBytes).toBe(5_000_000)
  })

  it("refuses one record over 5 MB on its own, and sends its neighbours", async () => {
    const huge = item(1, { description: "€".repeat(1_700_000) })
    const planned = await planOf(itemCreate, [item(0), huge, item(2)])
    const size = utf8Length(JSON.stringify(itemCreate.toResource({ ...huge })))
    expect(size).toBe(
      5_100_000 + utf8Length(JSON.stringify(itemCreate.toResource({ ...item(1), description: "" }))),
    )
    expect(refused(planned).map((r) => [r.index, r.refusal, r.error.reason])).toEqual([[
      1,
      "too-large",
      `record 1 ("S1") is ${size} bytes of JSON: with the body around it (${itemCreate.overheadBytes} bytes) it is over the 5000000 bytes a job takes, so it cannot be sent`,
    ]])
    expect(indexes(jobs(planned)[0]!)).toEqual([0, 2])
  })

  it("knows the body around the records for each of the 9 kinds", () => {
    const sizes = (["catalog-item", "catalog-variant", "catalog-category"] as const).flatMap((resource) =>
      (["create", "update", "delete"] as const).map((operation) =>
        spec({ resource, operation }).overheadBytes
      )
    )
    // {"data":{"type":"<job>","attributes":{"<collection>":{"data":[]}}}}
    expect(sizes).toEqual([83, 83, 83, 89, 89, 89, 92, 92, 92])
    expect(kindSpec({ resource: "catalog-item", operation: "upsert" } as unknown as BulkWriteKind)).toBe(
      undefined,
    )
  })
})
