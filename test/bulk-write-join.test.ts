/**
 * The join of a finished job's `errors` to its chunk's records, record by record: the index in
 * `source.pointer`, checked against `meta.external_id`; what cannot be joined stays at the job
 * level and leaves the records it may belong to `unknown`.
 */
import { describe, expect, it } from "vitest"
import type { BulkJobError } from "../mod.ts"
import { type FinishedJob, joinJob, pointerIndex } from "../src/bulk-write/join.ts"
import { makeReportBuilder } from "../src/bulk-write/outcome.ts"
import type { PlannedJob } from "../src/bulk-write/plan.ts"

/** A chunk of category creates whose records are input records 100, 101, ... */
const categories = (...names: ReadonlyArray<string>): PlannedJob => ({
  _tag: "Job",
  seq: 1,
  bodyBytes: 0,
  records: names.map((name, i) => ({
    index: 100 + i,
    key: name,
    record: { external_id: name, name: `Category ${name}` },
  })),
})

/** A chunk of item updates (by id). */
const updates = (...ids: ReadonlyArray<string>): PlannedJob => ({
  _tag: "Job",
  seq: 0,
  bodyBytes: 0,
  records: ids.map((id, i) => ({ index: i, key: id, record: { id, price: i } })),
})

/** Klaviyo's per-record error as the wire sends it (issue #88). */
const wireError = (pointer: string | null, externalId: string | null, detail: string): BulkJobError => ({
  id: null,
  code: null,
  title: null,
  detail,
  source: pointer === null ? null : { pointer },
  meta: externalId === null ? null : { external_id: externalId },
})

const complete = (errors: ReadonlyArray<BulkJobError>, failed_count?: number): FinishedJob => ({
  id: "01JOB",
  status: "complete",
  errors,
  ...(failed_count === undefined ? {} : { failed_count }),
})

const succeeded = (index: number, key: string) => ({ outcome: "succeeded", index, key, job: "01JOB" })

describe("pointerIndex", () => {
  it("reads the first whole-number segment of the pointer", () => {
    expect([
      pointerIndex("/data/attributes/categories/1"),
      pointerIndex("/data/attributes/items/data/2"),
      pointerIndex("/data/attributes/items/data/3/attributes/images/0"),
      pointerIndex("/data/12"),
      pointerIndex("/data/attributes/items/data/01"),
      pointerIndex("/data/attributes/items/-1"),
      pointerIndex("/data"),
      pointerIndex(""),
      pointerIndex(null),
      pointerIndex(undefined),
    ]).toEqual([1, 2, 3, 12, undefined, undefined, undefined, undefined, undefined, undefined])
  })
})

describe("a complete job", () => {
  it("fails the record at the pointer's index when meta.external_id agrees; the others succeed", () => {
    const error = wireError(
      "/data/attributes/categories/1",
      "shoes",
      "A category with the external id `shoes` already exists.",
    )
    const { outcomes, unjoined } = joinJob(categories("hats", "shoes", "socks"), complete([error], 1))
    expect(outcomes).toEqual([
      succeeded(100, "hats"),
      {
        outcome: "failed",
        index: 101,
        key: "shoes",
        record: { external_id: "shoes", name: "Category shoes" },
        job: "01JOB",
        reason: "A category with the external id `shoes` already exists.",
        errors: [error],
      },
      succeeded(102, "socks"),
    ])
    expect(unjoined).toEqual([])
  })

  it("reads the pointer of the body as we send it (/data/attributes/<collection>/data/<i>)", () => {
    const error = wireError("/data/attributes/categories/data/2", null, "Invalid name.")
    const { outcomes } = joinJob(categories("a", "b", "c"), complete([error]))
    expect(outcomes.map((o) => [o.index, o.outcome])).toEqual([[100, "succeeded"], [101, "succeeded"], [
      102,
      "failed",
    ]])
  })

  it("joins by meta.external_id when the pointer names another record", () => {
    const error = wireError("/data/attributes/categories/0", "c", "Bad.")
    const { outcomes, unjoined } = joinJob(categories("a", "b", "c"), complete([error], 1))
    expect(outcomes.map((o) => [o.index, o.outcome])).toEqual([[100, "succeeded"], [101, "succeeded"], [
      102,
      "failed",
    ]])
    expect(unjoined).toEqual([])
  })

  it("joins by meta.external_id when the pointer is missing or past the chunk's end", () => {
    const errors = [wireError(null, "a", "One."), wireError("/data/attributes/categories/7", "b", "Two.")]
    const { outcomes } = joinJob(categories("a", "b", "c"), complete(errors, 2))
    expect(outcomes.map((o) => [o.index, o.outcome, o.outcome === "failed" ? o.reason : ""])).toEqual([
      [100, "failed", "One."],
      [101, "failed", "Two."],
      [102, "succeeded", ""],
    ])
  })

  it("matches an update's id by its last ::: part, and gathers two errors of one record", () => {
    const errors = [
      wireError("/data/attributes/items/1", "SHIRT-2", "Price too low."),
      { detail: null, title: "Invalid", source: { pointer: "/data/attributes/items/1/attributes/price" } },
    ]
    const chunk = updates("$custom:::$default:::SHIRT-1", "$custom:::$default:::SHIRT-2")
    for (const failed_count of [1, 2]) {
      const { outcomes } = joinJob(chunk, complete(errors, failed_count))
      expect(outcomes).toEqual([
        succeeded(0, "$custom:::$default:::SHIRT-1"),
        {
          outcome: "failed",
          index: 1,
          key: "$custom:::$default:::SHIRT-2",
          record: { id: "$custom:::$default:::SHIRT-2", price: 1 },
          job: "01JOB",
          reason: "Price too low.; Invalid",
          errors,
        },
      ])
    }
  })

  it("keeps an error that names no record at the job level, and the records it may be are unknown", () => {
    const stray = wireError(null, "nobody", "Something failed.")
    const named = wireError("/data/attributes/categories/0", "a", "Bad a.")
    const { outcomes, unjoined } = joinJob(categories("a", "b", "c"), complete([named, stray], 2))
    expect(unjoined).toEqual([stray])
    expect(outcomes.map((o) => [o.index, o.outcome])).toEqual([[100, "failed"], [101, "unknown"], [
      102,
      "unknown",
    ]])
    expect(outcomes[1]).toEqual({
      outcome: "unknown",
      index: 101,
      key: "b",
      record: { external_id: "b", name: "Category b" },
      job: "01JOB",
      reason:
        "job 01JOB reported 2 failed, but its errors name only 1 of its records (1 name none, neither by source.pointer nor by meta.external_id): this record may have failed",
      errors: [stray],
    })
  })

  it("leaves a name two records answer to unjoined (ambiguous), not guessed", () => {
    const chunk = updates("$custom:::$default:::X", "$custom:::other:::X")
    const error = wireError(null, "X", "Which?")
    const { outcomes, unjoined } = joinJob(chunk, complete([error], 1))
    expect(unjoined).toEqual([error])
    expect(outcomes.map((o) => o.outcome)).toEqual(["unknown", "unknown"])
  })

  it("says unknown when failed_count is more than the records its errors name", () => {
    const error = wireError("/data/attributes/categories/0", "a", "Bad a.")
    const { outcomes, unjoined } = joinJob(categories("a", "b"), complete([error], 2))
    expect(unjoined).toEqual([])
    expect(outcomes.map((o) => o.outcome)).toEqual(["failed", "unknown"])
    expect(outcomes[1]!.outcome === "unknown" && outcomes[1]!.reason).toBe(
      "job 01JOB reported 2 failed, but its errors name only 1 of its records (0 name none, neither by source.pointer nor by meta.external_id): this record may have failed",
    )
  })

  it("succeeds every record of a job with no errors, errors null, or failed_count 0", () => {
    for (
      const job of [complete([]), complete([], 0), { id: "01JOB", status: "complete", errors: null } as const]
    ) {
      expect(joinJob(categories("a", "b"), job).outcomes).toEqual([succeeded(100, "a"), succeeded(101, "b")])
    }
  })
})

describe("a job that did not say", () => {
  it("cancelled: records with errors failed, the others unknown", () => {
    const error = wireError("/data/attributes/categories/1", "b", "Bad b.")
    const { outcomes } = joinJob(categories("a", "b"), { id: "01JOB", status: "cancelled", errors: [error] })
    expect(outcomes.map((o) => [o.index, o.outcome])).toEqual([[100, "unknown"], [101, "failed"]])
    expect(outcomes[0]!.outcome === "unknown" && outcomes[0]!.reason).toBe(
      "job 01JOB was cancelled before it said what became of this record",
    )
  })

  it("expired: every record unknown, with the reason", () => {
    const { outcomes } = joinJob(categories("a"), { id: "01JOB", status: "expired" })
    expect(outcomes).toEqual([{
      outcome: "unknown",
      index: 100,
      key: "a",
      record: { external_id: "a", name: "Category a" },
      job: "01JOB",
      reason: "job 01JOB expired before it said what became of this record",
      errors: [],
    }])
  })
})

describe("the report", () => {
  it("counts successes, lists failures and unknowns in input order, and keeps unjoined errors by job", () => {
    const builder = makeReportBuilder({ resource: "catalog-category", operation: "create" })
    const stray = wireError(null, null, "?")
    const second = joinJob(categories("c", "d"), { id: "02JOB", status: "complete", errors: [stray] })
    const first = joinJob(updates("a", "b"), complete([wireError("/data/attributes/items/0", "a", "No.")], 1))
    for (const [id, joined] of [["02JOB", second], ["01JOB", first]] as const) {
      joined.outcomes.forEach(builder.add)
      builder.addJob(id, joined.unjoined)
    }
    const report = builder.report()
    expect({
      ...report,
      failed: report.failed.map((o) => o.index),
      unknown: report.unknown.map((o) => o.index),
    })
      .toEqual({
        kind: { resource: "catalog-category", operation: "create" },
        records: 4,
        succeeded: 1,
        failed: [0],
        unknown: [100, 101],
        jobs: 2,
        jobErrors: [{ job: "02JOB", errors: [stray] }],
      })
  })
})
