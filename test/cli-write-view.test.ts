/**
 * The pieces of `write` that need no subprocess: the lines of a records file, the exit code of
 * a report, and what the bar and the summary draw.
 */
import * as NodeFileSystem from "@effect/platform-node-shared/NodeFileSystem"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Duration, Effect, FileSystem, Stream } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import type { BulkWriteProgress, BulkWriteReport } from "../mod.ts"
import { readRecords, scanFile } from "../cli/records-file.ts"
import { writeExitCode } from "../cli/write.ts"
import { renderWriteLine, renderWriteLive, renderWriteSummary } from "../cli/write-view.ts"

const dir = mkdtempSync(join(tmpdir(), "cli-write-view-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const withFs = <A, E>(use: (fs: FileSystem.FileSystem) => Effect.Effect<A, E>): Promise<A> =>
  Effect.runPromise(
    Effect.gen(function* () {
      return yield* use(yield* FileSystem.FileSystem)
    }).pipe(Effect.provide(NodeFileSystem.layer)),
  )

describe("the records file", () => {
  const lines = ["", "", '{"a":1}', "", "x", '{"b":2}', "", "", "[3]", ""]
  const path = join(dir, "lines.jsonl")
  writeFileSync(path, lines.join("\n"))

  it("reads one record a line that is not blank, and knows each record's line", async () => {
    const { records, book } = readRecords(
      // One instance, so that the book is the one filled by this reading.
      await withFs((fs) => Effect.succeed(fs)),
      path,
    )
    const read = await Effect.runPromise(Stream.runCollect(records))
    expect(read).toEqual([{ a: 1 }, "x", { b: 2 }, [3]])
    expect([0, 1, 2, 3].map(book.lineOf)).toEqual([3, 5, 6, 9])
    expect([0, 1, 2, 3].map((i) => book.notJson(i) === undefined)).toEqual([true, false, true, true])
    expect(book.notJson(1)).toMatch(/^line 5 is not JSON \(.+\)$/)
  })

  it("counts the records, and gives the same id for the same kind, path and content only", async () => {
    const kind = { resource: "catalog-item", operation: "create" }
    const [a, b, c] = await withFs((fs) =>
      Effect.all([
        scanFile(fs, path, kind),
        scanFile(fs, path, kind),
        scanFile(fs, path, { resource: "catalog-item", operation: "delete" }),
      ])
    )
    expect(a.records).toBe(4)
    expect(a.id).toMatch(/^cli-catalog-item-create-[0-9a-f]{24}$/)
    expect(b.id).toBe(a.id)
    expect(c.id).toMatch(/^cli-catalog-item-delete-[0-9a-f]{24}$/)
    expect(c.id.slice(-24)).not.toBe(a.id.slice(-24))
  })
})

const report = (over: Partial<BulkWriteReport>): BulkWriteReport => ({
  kind: { resource: "catalog-item", operation: "create" },
  records: 3,
  succeeded: 3,
  failed: [],
  unknown: [],
  jobs: 1,
  jobErrors: [],
  ...over,
})

describe("the exit code of a write", () => {
  it("0 all written, 1 a record failed or unknown in its job or refused, 3 a job not created", () => {
    const failed = { outcome: "failed", index: 1, record: {}, reason: "r", errors: [] } as const
    const unknown = { outcome: "unknown", index: 2, record: {}, reason: "r", errors: [] } as const
    expect([
      writeExitCode(report({})),
      writeExitCode(report({ succeeded: 2, failed: [{ ...failed, job: "J" }] })),
      writeExitCode(report({ succeeded: 2, failed: [{ ...failed, refused: "invalid" }] })),
      writeExitCode(report({ succeeded: 2, unknown: [{ ...unknown, job: "J" }] })),
      writeExitCode(report({ succeeded: 2, failed: [failed] })),
      writeExitCode(report({ succeeded: 2, unknown: [unknown] })),
    ]).toEqual([0, 1, 1, 1, 3, 3])
  })
})

const progress: BulkWriteProgress = {
  _tag: "Progress",
  submitted: 300,
  succeeded: 140,
  failed: 8,
  unknown: 2,
  done: 150,
  total: 400,
  jobs: 3,
  jobsInFlight: 1,
  rate: 37.5,
  remaining: Duration.seconds(7),
  elapsed: Duration.seconds(4),
}

describe("what write draws", () => {
  it("a plain line of counts", () => {
    expect(renderWriteLine(progress)).toBe(
      "300/400 submitted, 150 done (140 succeeded, 8 failed, 2 unknown), 1 job in flight",
    )
    expect(renderWriteLine({ ...progress, total: undefined, jobsInFlight: 2 })).toBe(
      "300/? submitted, 150 done (140 succeeded, 8 failed, 2 unknown), 2 jobs in flight",
    )
  })

  it("the live bar: percentage done, counts, pace", () => {
    expect(
      renderWriteLive(progress, { resource: "catalog-item", operation: "create" }, Duration.seconds(4), 60)
        .split(
          "\n",
        ),
    ).toEqual([
      `▕${"█".repeat(11)}▎${" ".repeat(18)}▏   37%  catalog-item create`, // 30 cells: 11.25 full
      "  150/400 done (140 succeeded, 8 failed, 2 unknown)",
      "  300 submitted · 1 job in flight · 38/s · 7.0s left · 4.0s elapsed",
    ])
  })

  it("the summary: counts, the first 20 records not written with their lines, the files", () => {
    const failed = Array.from({ length: 21 }, (_, i) => ({
      outcome: "failed" as const,
      index: i * 2,
      key: `K${i}`,
      record: {},
      job: "J",
      reason: `bad ${i}`,
      errors: [],
    }))
    const text = renderWriteSummary(
      report({
        records: 50,
        succeeded: 28,
        jobs: 1,
        failed,
        unknown: [{ outcome: "unknown", index: 49, record: {}, job: "J", reason: "cancelled", errors: [] }],
      }),
      (index) => index + 10,
      { report: "out.jsonl", failed: "failed.jsonl" },
    )
    expect(text.split("\n")).toEqual([
      "Wrote catalog-item create: 50 records in 1 job, 28 succeeded, 21 failed, 1 unknown.",
      "Failed (21):",
      ...Array.from({ length: 20 }, (_, i) => `  - line ${i * 2 + 10} (K${i}): bad ${i}`),
      "  … and 1 more",
      "Unknown (1):",
      "  … and 1 more",
      "Report: out.jsonl (50 outcomes)",
      "To fix and resubmit: failed.jsonl (22 records)",
    ])
  })
})
