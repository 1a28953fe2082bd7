/**
 * Duplicate detection in bounded memory, and the failed-records file (JSON Lines) that a fixed
 * copy of feeds another write.
 */
import { describe, expect, it } from "vitest"
import { type BulkWriteReport, failedRecordLine, failedRecordLines, readFailedRecords } from "../mod.ts"
import { fingerprint, makeDuplicateTable } from "../src/bulk-write/duplicates.ts"

describe("the duplicate table", () => {
  it("answers the index of the first record with the identity, every time it repeats", () => {
    const table = makeDuplicateTable(4)
    expect([
      table.check("$custom:::$default:::A", 0),
      table.check("$custom:::$default:::B", 1),
      table.check("$custom:::$default:::A", 2),
      table.check("$custom:::$default:::A", 3),
      table.check("$custom:::$default:::B", 4),
      table.check("$custom:::$default:::C", 5),
    ]).toEqual([undefined, undefined, 0, 0, 1, undefined])
    expect(table.size()).toBe(3)
  })

  it("keeps a million distinct ids in 25,165,824 bytes (2^21 slots of 12 bytes), none taken for another", () => {
    const table = makeDuplicateTable()
    let repeats = 0
    for (let i = 0; i < 1_000_000; i++) {
      if (table.check(`$custom:::$default:::SKU-${String(i).padStart(8, "0")}`, i) !== undefined) repeats++
    }
    expect([repeats, table.size(), table.bytes()]).toEqual([0, 1_000_000, 2 ** 21 * 12])
    expect(table.check("$custom:::$default:::SKU-00999999", 5)).toBe(999_999)
  })

  it("gives 64 bits that differ for strings that differ in one character", () => {
    expect(fingerprint("a")).not.toEqual(fingerprint("b"))
    expect(fingerprint("$custom:::$default:::SKU-1")).toEqual(fingerprint("$custom:::$default:::SKU-1"))
    expect(fingerprint("").every((lane) => Number.isInteger(lane) && lane >= 0 && lane < 2 ** 32)).toBe(true)
  })
})

const report: BulkWriteReport = {
  kind: { resource: "catalog-item", operation: "create" },
  records: 4,
  succeeded: 1,
  failed: [
    {
      outcome: "failed",
      index: 0,
      key: "A",
      record: { external_id: "A", title: "Hat", description: "Red", url: "https://example.com/a" },
      job: "01JOB",
      reason: "A category with the external id `shoes` does not exist.",
      errors: [{
        id: null,
        detail: "A category with the external id `shoes` does not exist.",
        meta: { external_id: "A" },
      }],
    },
    {
      outcome: "failed",
      index: 3,
      record: { title: "No id", custom_metadata: { n: 12n } },
      reason: "record 3: external_id is missing (required for a catalog-item to create)",
      errors: [],
      refused: "invalid",
    },
  ],
  unknown: [{
    outcome: "unknown",
    index: 2,
    key: "C",
    record: { external_id: "C", title: "Cap", description: "Blue", url: "https://example.com/c" },
    job: "02JOB",
    reason: "job 02JOB expired before it said what became of this record",
    errors: [],
  }],
  jobs: 2,
  jobErrors: [],
}

describe("the failed-records file", () => {
  it("writes one line a record, in input order: what happened first, the record last", () => {
    expect([...failedRecordLines(report)]).toEqual([
      '{"outcome":"failed","index":0,"key":"A","job":"01JOB","reason":"A category with the external id `shoes` does not exist.","errors":[{"id":null,"detail":"A category with the external id `shoes` does not exist.","meta":{"external_id":"A"}}],"record":{"external_id":"A","title":"Hat","description":"Red","url":"https://example.com/a"}}',
      '{"outcome":"unknown","index":2,"key":"C","job":"02JOB","reason":"job 02JOB expired before it said what became of this record","errors":[],"record":{"external_id":"C","title":"Cap","description":"Blue","url":"https://example.com/c"}}',
      '{"outcome":"failed","index":3,"reason":"record 3: external_id is missing (required for a catalog-item to create)","errors":[],"refused":"invalid","record":{"title":"No id","custom_metadata":{"n":"12"}}}',
    ])
    expect([...failedRecordLines(report, { unknown: false })].map((line) => JSON.parse(line).index)).toEqual([
      0,
      3,
    ])
  })

  it("reads the lines back to the records, skipping blank lines and passing other text through", () => {
    const lines = [...failedRecordLines(report), "", "   ", "not json", "[1,2]", '{"no":"record"}']
    expect([...readFailedRecords(lines)]).toEqual([
      report.failed[0]!.record,
      report.unknown[0]!.record,
      { title: "No id", custom_metadata: { n: "12" } },
      "not json",
      "[1,2]",
      '{"no":"record"}',
    ])
  })

  it("writes a record JSON cannot hold as a note, and still one line", () => {
    const circular: { self?: unknown } = {}
    circular.self = circular
    const line = failedRecordLine({ outcome: "failed", index: 9, record: circular, reason: "x", errors: [] })
    expect(
      line.startsWith('{"outcome":"failed","index":9,"reason":"x","errors":[],"record":{"unencodable":"'),
    ).toBe(
      true,
    )
    expect(line.includes("\n")).toBe(false)
    expect(JSON.parse(line).record.unencodable).toMatch(/circular|cyclic/i)
  })
})
