/**
 * bulkWrite end to end on WorkflowEngine.layerMemory, against a real local HTTP server that
 * plays Klaviyo's category create jobs: the jobs it receives, how many are in progress at once
 * (counted at the server), and one outcome for every record.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  bulkWrite,
  type BulkWriteOutcome,
  type BulkWriteReport,
  type CatalogCategoryCreateRecord,
  type InvalidRequest,
  KlaviyoClient,
} from "../mod.ts"
import { groups } from "../src/bulk-write/group.ts"

const PATH = "/api/catalog-category-bulk-create-jobs"
const TYPE = "catalog-category-bulk-create-job"

interface FakeJob {
  readonly records: ReadonlyArray<
    { readonly attributes: { readonly external_id: string; readonly name: string } }
  >
  polls: number
  open: boolean
}

/** Klaviyo's category create jobs, in memory: a job is `processing` at its first poll, ended at its second. */
const fake = {
  jobs: new Map<string, FakeJob>(),
  posts: [] as Array<ReadonlyArray<string>>,
  open: 0,
  maxOpen: 0,
  reset() {
    this.jobs.clear()
    this.posts.length = 0
    this.open = 0
    this.maxOpen = 0
  },
}

const send = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/vnd.api+json" })
  res.end(JSON.stringify(body))
}

const jobDocument = (id: string, attributes: Record<string, unknown>) => ({
  data: { type: TYPE, id, attributes: { created_at: "2026-12-01T00:00:00+00:00", ...attributes } },
})

const onPost = (body: string, res: http.ServerResponse) => {
  const records = JSON.parse(body).data.attributes.categories.data as FakeJob["records"]
  const first = records[0]!.attributes.external_id
  fake.posts.push(records.map((r) => r.attributes.external_id))
  if (first.startsWith("post400")) {
    return send(res, 400, {
      errors: [{ status: 400, code: "invalid", title: "Invalid input.", detail: "Bad job." }],
    })
  }
  if (first.startsWith("post500")) {
    return send(res, 500, { errors: [{ status: 500, title: "Server error." }] })
  }
  const id = `J${String(fake.jobs.size).padStart(3, "0")}`
  fake.jobs.set(id, { records, polls: 0, open: true })
  fake.open++
  fake.maxOpen = Math.max(fake.maxOpen, fake.open)
  send(res, 202, jobDocument(id, { status: "queued", total_count: records.length }))
}

const onGet = (id: string, res: http.ServerResponse) => {
  const job = fake.jobs.get(id)
  if (job === undefined) {
    return send(res, 404, { errors: [{ status: 404, code: "not_found", title: "Not found." }] })
  }
  job.polls++
  const total_count = job.records.length
  if (job.polls < 2) return send(res, 200, jobDocument(id, { status: "processing", total_count }))
  const first = job.records[0]!.attributes.external_id
  if (job.open) {
    job.open = false
    fake.open--
  }
  if (first.startsWith("vanish")) {
    fake.jobs.delete(id)
    return send(res, 404, { errors: [{ status: 404, code: "not_found", title: "Not found." }] })
  }
  const errors = job.records.flatMap((record, i) =>
    record.attributes.name.startsWith("bad")
      ? [{
        id: null,
        code: null,
        title: null,
        detail: `The name of ${record.attributes.external_id} is not allowed.`,
        source: { pointer: `/data/attributes/categories/${i}` },
        meta: { external_id: record.attributes.external_id },
      }]
      : []
  )
  const status = first.startsWith("cancel") ? "cancelled" : "complete"
  send(res, 200, jobDocument(id, { status, total_count, failed_count: errors.length, errors }))
}

const server = http.createServer((req, res) => {
  const chunks: Array<Buffer> = []
  req.on("data", (chunk: Buffer) => chunks.push(chunk))
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    if (req.method === "POST" && url.pathname === PATH) {
      return onPost(Buffer.concat(chunks).toString("utf8"), res)
    }
    if (req.method === "GET" && url.pathname.startsWith(`${PATH}/`)) {
      return onGet(decodeURIComponent(url.pathname.slice(PATH.length + 1)), res)
    }
    send(res, 404, { errors: [{ status: 404, title: "No route." }] })
  })
})
let baseUrl = ""
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
// Deno keeps the client's idle keep-alive connections open: close them, or close() waits for them.
afterAll(() =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
)
beforeEach(() => fake.reset())

const run = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>): Promise<A> =>
  effect.pipe(
    Effect.provide(
      KlaviyoClient.layer({ apiKey: "pk_test_bulkwrite", baseUrl, rateLimit: false, retry: false }),
    ),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )

const kind = { resource: "catalog-category", operation: "create" } as const
const category = (i: number, name = `Category ${i}`): CatalogCategoryCreateRecord => ({
  external_id: `C${String(i).padStart(4, "0")}`,
  name,
})

describe("bulkWrite", () => {
  it("runs its jobs by groups (here of 3 jobs: 9 groups) with 4 in progress across the groups' boundaries, posted in input order", async () => {
    const records = Array.from({ length: 2500 }, (_, i) => category(i))
    const seen: Array<number> = []
    groups.jobs = 3
    const report = await run(
      bulkWrite(kind, records, {
        maxInFlight: 4,
        pollInterval: "5 millis",
        onOutcome: (o) => seen.push(o.index),
      }),
    ).finally(() => (groups.jobs = 100))
    expect(fake.posts.flat()).toEqual(records.map((r) => r.external_id))
    expect(fake.maxOpen).toBe(4)
    expect([report.records, report.succeeded, report.jobs, report.failed.length]).toEqual([2500, 2500, 25, 0])
    expect(seen.sort((a, b) => a - b)).toEqual(records.map((_, i) => i))
  })

  it("writes 2,500 categories in 25 jobs, at most 4 in progress at once (counted at the server), one outcome each", async () => {
    const records: Array<unknown> = Array.from(
      { length: 2500 },
      (_, i) => category(i, i % 100 === 7 ? `bad ${i}` : `Category ${i}`),
    )
    records.push(category(3), { external_id: "X" })
    const seen: Array<BulkWriteOutcome> = []
    const report = await run(
      bulkWrite(kind, records as ReadonlyArray<CatalogCategoryCreateRecord>, {
        maxInFlight: 4,
        pollInterval: "5 millis",
        onOutcome: (outcome) => seen.push(outcome),
      }),
    )
    // The server: 25 POSTs of 100 records, every valid record posted exactly once, 4 jobs at most open.
    expect(fake.posts.map((p) => p.length)).toEqual(Array(25).fill(100))
    expect(new Set(fake.posts.flat()).size).toBe(2500)
    expect(fake.maxOpen).toBe(4)
    expect(fake.open).toBe(0)
    // The report: one outcome per record.
    const bad = Array.from({ length: 25 }, (_, j) => j * 100 + 7)
    expect([report.records, report.succeeded, report.jobs, report.unknown.length, report.jobErrors]).toEqual([
      2502,
      2475,
      25,
      0,
      [],
    ])
    expect(report.failed.map((f) => [f.index, f.key, f.reason])).toEqual([
      ...bad.map((
        i,
      ) => [i, category(i).external_id, `The name of ${category(i).external_id} is not allowed.`]),
      [
        2500,
        "C0003",
        'record 2500 ("C0003") has the same external_id (and catalog) as record 3: only record 3 is sent',
      ],
      [2501, "X", 'record 2501 ("X"): name is missing (required for a catalog-category to create)'],
    ])
    expect(report.failed[0]).toMatchObject({
      outcome: "failed",
      index: 7,
      record: { external_id: "C0007", name: "bad 7" },
      errors: [{ source: { pointer: "/data/attributes/categories/7" }, meta: { external_id: "C0007" } }],
    })
    expect(report.failed[0]!.job).toMatch(/^J\d{3}$/)
    expect(report.failed.slice(-2).map((f) => [f.refused, f.duplicateOf, f.job])).toEqual([
      ["duplicate", 3, undefined],
      ["invalid", undefined, undefined],
    ])
    expect(seen.map((o) => o.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 2502 }, (_, i) => i))
    expect(seen.filter((o) => o.outcome === "succeeded").length).toBe(2475)
  })

  it("says which jobs were not created, may have been, were cancelled or vanished", async () => {
    const group = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ external_id: `${prefix}-${i}`, name: `N ${i}` }))
    const summary = (report: BulkWriteReport) =>
      [...report.failed, ...report.unknown].sort((a, b) => a.index - b.index).map((o) => [
        o.index,
        o.outcome,
        o.reason.replace(/J\d{3}/, "J"),
      ])
    // Each group is its own job: one job is 100 records, so groups of 100.
    const report = await run(
      bulkWrite(kind, [
        ...group("post400", 100),
        ...group("post500", 100),
        ...group("cancel", 100),
        ...group("vanish", 100),
        ...group("fine", 100),
      ], { maxInFlight: 2, pollInterval: "5 millis" }),
    )
    expect([report.records, report.succeeded, report.failed.length, report.unknown.length]).toEqual([
      500,
      100,
      100,
      300,
    ])
    const lines = summary(report)
    expect(lines[0]).toEqual([
      0,
      "failed",
      `its job was not created: Klaviyo answered 400 to POST ${baseUrl}${PATH}: Invalid input: Bad job`,
    ])
    expect(lines[100]![1]).toBe("unknown")
    expect(lines[100]![2]).toMatch(
      /^the POST of its job may have created a job although it failed \(Klaviyo answered 500/,
    )
    expect(lines[200]).toEqual([
      200,
      "unknown",
      "job J was cancelled before it said what became of this record",
    ])
    expect(lines[300]).toEqual([300, "unknown", "job J expired before it said what became of this record"])
    expect(report.failed[0]!.errors).toEqual([{
      status: 400,
      code: "invalid",
      title: "Invalid input.",
      detail: "Bad job.",
    }])
    expect(fake.posts.length).toBe(5)
  })

  it("reads an AsyncIterable and a Stream; a failing Stream fails the write with its error", async () => {
    async function* lines() {
      for (let i = 0; i < 150; i++) yield category(i)
    }
    const fromAsync = await run(bulkWrite(kind, lines(), { pollInterval: "5 millis" }))
    expect([fromAsync.records, fromAsync.succeeded, fake.posts.map((p) => p.length)]).toEqual([150, 150, [
      100,
      50,
    ]])
    const failing = Stream.concat(Stream.make(category(1)), Stream.fail("disk gone" as const))
    const error = await run(Effect.flip(bulkWrite(kind, failing, { pollInterval: "5 millis" })))
    expect(error).toBe("disk gone")
  })

  it("refuses a bad kind or maxInFlight before sending anything", async () => {
    const refusal = async (effect: Effect.Effect<unknown, unknown, KlaviyoClient>) =>
      (await run(Effect.flip(effect))) as InvalidRequest
    const noKind = await refusal(
      bulkWrite({ resource: "catalog-thing", operation: "create" } as unknown as typeof kind, [category(1)]),
    )
    const zero = await refusal(bulkWrite(kind, [category(1)], { maxInFlight: 0 }))
    const many = await refusal(bulkWrite(kind, [category(1)], { maxInFlight: 501 }))
    expect([noKind, zero, many].map((e) => [e._tag, e.input])).toEqual([
      ["InvalidRequest", "kind"],
      ["InvalidRequest", "maxInFlight"],
      ["InvalidRequest", "maxInFlight"],
    ])
    expect(zero.reason).toBe(
      "maxInFlight must be a whole number from 1 to 500 (Klaviyo's limit of jobs in progress), not 0",
    )
    expect(fake.posts).toEqual([])
  })
})
