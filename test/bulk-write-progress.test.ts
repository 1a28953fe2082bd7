/**
 * The progress stream of a bulk write: its snapshots, counted from the write's own events, and
 * its report at the end, against the simulator behind a real local server.
 */
import { Duration, Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { type BulkWriteEvent, bulkWriteStream, type CatalogCategoryCreateRecord } from "../mod.ts"
import { finalProgress, makeProgressTracker } from "../src/bulk-write/progress.ts"
import { run } from "./support/run.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s), {
  processing: { queuedMillis: 0, perSecond: 100_000 },
  failRecords: (
    record,
  ) => (record["external_id"] === "C0042" ? "The category C0042 is not allowed." : undefined),
})

const kind = { resource: "catalog-category", operation: "create" } as const
const category = (i: number): CatalogCategoryCreateRecord => ({
  external_id: `C${String(i).padStart(4, "0")}`,
  name: `Category ${i}`,
})
/** 251 records: 250 categories and, at index 3, one with no name (refused before sending). */
const records = (): ReadonlyArray<CatalogCategoryCreateRecord> => {
  const list: Array<unknown> = Array.from({ length: 250 }, (_, i) => category(i))
  list.splice(3, 0, { external_id: "NONAME" })
  return list as ReadonlyArray<CatalogCategoryCreateRecord>
}

const counts = (event: BulkWriteEvent) => {
  const p = event._tag === "Done" ? event.progress : event
  return [event._tag, p.submitted, p.succeeded, p.failed, p.unknown, p.done, p.jobs, p.jobsInFlight]
}

describe("makeProgressTracker", () => {
  it("counts outcomes and job events, and derives the rate and the time left from the clock", () => {
    const tracker = makeProgressTracker(10_000, 400)
    expect(tracker.snapshot(10_000)).toEqual({
      _tag: "Progress",
      submitted: 0,
      succeeded: 0,
      failed: 0,
      unknown: 0,
      done: 0,
      total: 400,
      jobs: 0,
      jobsInFlight: 0,
      rate: null,
      remaining: null,
      elapsed: Duration.millis(0),
    })
    tracker.event({ _tag: "Posted", seq: 0, records: 100, job: "J0" })
    tracker.event({ _tag: "Posted", seq: 1, records: 100, job: undefined })
    tracker.event({ _tag: "Posted", seq: 2, records: 100, job: "J2" })
    for (let i = 0; i < 97; i++) tracker.outcome({ outcome: "succeeded", index: i, job: "J0" })
    tracker.outcome({ outcome: "failed", index: 97, record: {}, reason: "bad", errors: [] })
    tracker.outcome({ outcome: "unknown", index: 98, record: {}, reason: "?", errors: [] })
    tracker.outcome({ outcome: "unknown", index: 99, record: {}, reason: "?", errors: [] })
    tracker.event({ _tag: "Ended", seq: 0, records: 100, job: "J0" })
    tracker.event({ _tag: "Ended", seq: 1, records: 100, job: undefined })
    // 100 records done in 4 s: 25 a second, 300 left: 12 s.
    expect(tracker.snapshot(14_000)).toEqual({
      _tag: "Progress",
      submitted: 300,
      succeeded: 97,
      failed: 1,
      unknown: 2,
      done: 100,
      total: 400,
      jobs: 2,
      jobsInFlight: 1,
      rate: 25,
      remaining: Duration.millis(12_000),
      elapsed: Duration.millis(4_000),
    })
  })

  it("gives no time left when the number of records is not known", () => {
    const tracker = makeProgressTracker(0, undefined)
    tracker.outcome({ outcome: "succeeded", index: 0, job: "J" })
    const snapshot = tracker.snapshot(500)
    expect([snapshot.rate, snapshot.remaining, snapshot.total]).toEqual([2, null, undefined])
  })
})

describe("finalProgress", () => {
  it("takes its counts from the report, for a write whose jobs were not run again in this process", () => {
    const last = makeProgressTracker(0, 5).snapshot(2_000)
    const progress = finalProgress(last, {
      kind,
      records: 5,
      succeeded: 3,
      failed: [
        { outcome: "failed", index: 1, record: {}, reason: "bad", errors: [], refused: "invalid" },
        { outcome: "failed", index: 2, record: {}, job: "J1", reason: "no", errors: [] },
      ],
      unknown: [],
      jobs: 1,
      jobErrors: [],
    })
    expect(progress).toEqual({
      _tag: "Progress",
      submitted: 4,
      succeeded: 3,
      failed: 2,
      unknown: 0,
      done: 5,
      total: 5,
      jobs: 1,
      jobsInFlight: 0,
      rate: 2.5,
      remaining: Duration.millis(0),
      elapsed: Duration.millis(2_000),
    })
  })
})

describe("bulkWriteStream", () => {
  it("emits a snapshot as each of 3 jobs is posted and ends, then Done with the report", async () => {
    const events = await run(
      bulkWriteStream(kind, records(), { maxInFlight: 1, pollInterval: "5 millis", total: 251 }).pipe(
        Stream.runCollect,
      ),
      server,
    )
    expect(events.map(counts)).toEqual([
      ["Progress", 100, 0, 1, 0, 1, 1, 1],
      ["Progress", 100, 99, 2, 0, 101, 1, 0],
      ["Progress", 200, 99, 2, 0, 101, 2, 1],
      ["Progress", 200, 199, 2, 0, 201, 2, 0],
      ["Progress", 250, 199, 2, 0, 201, 3, 1],
      ["Progress", 250, 249, 2, 0, 251, 3, 0],
      ["Done", 250, 249, 2, 0, 251, 3, 0],
    ])
    expect(server.requests.filter((r) => r.method === "POST").length).toBe(3)
    const done = events.at(-1)!
    if (done._tag !== "Done") throw new Error("the last event is not Done")
    expect([done.report.records, done.report.succeeded, done.report.jobs]).toEqual([251, 249, 3])
    expect(done.report.failed.map((f) => [f.index, f.key, f.reason])).toEqual([
      [3, "NONAME", 'record 3 ("NONAME"): name is missing (required for a catalog-category to create)'],
      [43, "C0042", "The category C0042 is not allowed."],
    ])
    expect([done.progress.total, done.progress.remaining]).toEqual([251, Duration.millis(0)])
    expect(done.progress.rate).toBeGreaterThan(0)
  })

  it("stops the write when the stream is stopped: one POST, no other", async () => {
    const first = await run(
      bulkWriteStream(kind, records(), { maxInFlight: 1, pollInterval: "50 millis" }).pipe(
        Stream.take(1),
        Stream.runCollect,
      ),
      server,
    )
    expect(first.map(counts)).toEqual([["Progress", 100, 0, 1, 0, 1, 1, 1]])
    await Effect.runPromise(Effect.sleep("200 millis"))
    expect(server.requests.filter((r) => r.method === "POST").length).toBe(1)
  })
})
