/**
 * `write <resource> <operation> --file records.jsonl`: a bulk write of a JSON Lines file, with
 * its progress shown as it goes, a summary at the end, and optionally the report (one outcome a
 * record, in input order) and the records to fix and resubmit, each in a JSON Lines file.
 *
 * @module
 */
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import type * as PlatformError from "effect/PlatformError"
import type { SqlError } from "effect/sql/SqlError"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import {
  type BulkWriteKind,
  type BulkWriteOutcome,
  type BulkWriteRecordOf,
  type BulkWriteReport,
  bulkWriteStream,
  failedRecordLine,
  failedRecordLines,
  type InvalidRequest,
  type KlaviyoApiError,
  type KlaviyoClient,
} from "../mod.ts"
import { WriteLedger } from "./ledger.ts"
import { readCsvRecords, scanCsvFile } from "./csv-file.ts"
import { type LineBook, readRecords, scanFile } from "./records-file.ts"
import { liveWriteDisplay, plainWriteDisplay, renderWriteSummary, type WriteDisplay } from "./write-view.ts"

/** What the command line gave. */
export interface WriteInput {
  readonly kind: BulkWriteKind
  readonly file: string
  readonly report: string | undefined
  readonly failed: string | undefined
  readonly id: string | undefined
  readonly maxInFlight: number | undefined
  /** The state file of the durable engine; none when the engine is in memory. */
  readonly state: string | undefined
}

/** Where and how the write runs. */
export interface WriteSetting {
  readonly terminal: boolean
  readonly pollInterval: number | undefined
}

/** Whether the records file is CSV (its name ends in `.csv`); JSON Lines otherwise. */
const isCsv = (file: string): boolean => file.toLowerCase().endsWith(".csv")

/** The exit code of a finished write: 0 all written, 3 a job's POST failed, 1 otherwise. */
export const writeExitCode = (report: BulkWriteReport): 0 | 1 | 3 => {
  const posting = (o: { readonly job?: string | undefined; readonly refused?: string | undefined }) =>
    o.job === undefined && o.refused === undefined
  if (report.failed.some(posting) || report.unknown.some(posting)) return 3
  return report.failed.length + report.unknown.length === 0 ? 0 : 1
}

/** An outcome with the line of its record, and a reason that names the line for a line that is not JSON. */
const relabel = <O extends BulkWriteOutcome>(book: LineBook, outcome: O): O & { readonly line: number } => {
  const notJson = outcome.outcome === "failed" ? book.notJson(outcome.index) : undefined
  // The line right after the index in the JSON (members keep the order they were first set in).
  const head = { outcome: outcome.outcome, index: outcome.index, line: book.lineOf(outcome.index) }
  return Object.assign(head, outcome, notJson === undefined ? {} : { reason: notJson }) as O & {
    readonly line: number
  }
}

/** One line of the report file. */
const reportLine = (outcome: BulkWriteOutcome & { readonly line: number }): string =>
  outcome.outcome === "succeeded" ? JSON.stringify(outcome) : failedRecordLine(outcome)

/**
 * The report file, written in input order as outcomes arrive in any order: the outcomes ahead
 * of the first missing one wait (about the records of the jobs in flight). It is opened (and
 * emptied) with the first outcome: a finished write answered from its state file has none, and
 * leaves the report of the run that finished it as it was.
 */
const reportFile = (path: string): Effect.Effect<(line: string, index: number) => void, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const file = { fd: undefined as number | undefined }
      const waiting = new Map<number, string>()
      let next = 0
      const add = (line: string, index: number) => {
        waiting.set(index, line)
        let chunk = ""
        for (let ready = waiting.get(next); ready !== undefined; ready = waiting.get(next)) {
          waiting.delete(next++)
          chunk += `${ready}\n`
        }
        if (chunk === "") return
        file.fd ??= openSync(path, "w")
        writeSync(file.fd, chunk)
      }
      return { file, add }
    }),
    ({ file }) => Effect.sync(() => file.fd === undefined ? undefined : closeSync(file.fd)),
  ).pipe(Effect.map(({ add }) => add))

/** Writes the records to fix and resubmit (failed, then unknown, in input order). */
const writeFailedFile = (path: string, report: BulkWriteReport): void => {
  const fd = openSync(path, "w")
  try {
    for (const line of failedRecordLines(report)) writeSync(fd, `${line}\n`)
  } finally {
    closeSync(fd)
  }
}

/** The summary's last line on a durable engine: the write is over, and what the same command does now. */
const finishedLine = (id: string, state: string, stored: boolean): string =>
  stored
    ? `Write ${id} had finished before: this is its stored report, nothing was sent (${state}; delete it to write the records again).`
    : `Write ${id} finished; its report is kept in ${state} (the same command shows it again, sending nothing).`

/** The write: its value is the exit code. */
export const runWrite = (
  input: WriteInput,
  setting: WriteSetting,
): Effect.Effect<
  number,
  InvalidRequest | KlaviyoApiError | PlatformError.PlatformError | SqlError,
  KlaviyoClient | FileSystem.FileSystem | WorkflowEngine.WorkflowEngine | WriteLedger
> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const csv = isCsv(input.file)
    const scanned = yield* (csv ? scanCsvFile(input.file, input.kind) : scanFile(fs, input.file, input.kind))
    const id = input.id ?? scanned.id
    const resume = input.state === undefined ? "" : " Run the same command again to resume it."
    const count = `${scanned.records} ${scanned.records === 1 ? "record" : "records"}`
    const kept = input.state === undefined ? "" : ` (state in ${input.state})`
    yield* Console.error(`Write ${id}: ${count} from ${input.file}${kept}.`)
    const ledger = yield* WriteLedger
    for (const other of yield* ledger.start(id, input.file)) {
      yield* Console.error(
        `This is a new write: ${input.state} holds the unfinished write ${other.id} of ${other.file} as it was then, which this write does not resume (the records it posted are posted again).`,
      )
    }
    let report: BulkWriteReport | undefined
    let outcomes = 0
    // Added before the display's release, so it runs after it: below the last bar.
    yield* Effect.addFinalizer((exit) =>
      exit._tag === "Failure" && Cause.hasInterruptsOnly(exit.cause)
        ? Console.error(`Stopped write ${id} before its end.${resume}`).pipe(Effect.ignore)
        : Effect.void
    )
    const { records, book } = csv ? readCsvRecords(input.file, input.kind) : readRecords(fs, input.file)
    const toReport = input.report === undefined ? undefined : yield* reportFile(input.report)
    const display: WriteDisplay = yield* Effect.acquireRelease(
      Effect.sync(() =>
        setting.terminal
          ? liveWriteDisplay(process.stdout, input.kind, Date.now())
          : plainWriteDisplay(process.stdout)
      ),
      (display) => Effect.sync(display.close),
    )
    yield* Effect.sync(display.tick).pipe(Effect.repeat(Schedule.spaced("250 millis")), Effect.forkScoped)
    yield* bulkWriteStream(
      input.kind,
      records as Stream.Stream<BulkWriteRecordOf<BulkWriteKind>, PlatformError.PlatformError>,
      {
        id,
        total: scanned.records,
        ...(input.maxInFlight === undefined ? {} : { maxInFlight: input.maxInFlight }),
        ...(setting.pollInterval === undefined ? {} : { pollInterval: setting.pollInterval }),
        onOutcome: (outcome) => {
          outcomes++
          if (toReport === undefined) return
          toReport(reportLine(relabel(book, outcome)), outcome.index)
        },
      },
    ).pipe(
      Stream.runForEach((event) =>
        Effect.sync(() => {
          if (event._tag === "Progress") display.show(event)
          else {
            display.show(event.progress)
            report = event.report
          }
        })
      ),
    )
    yield* Effect.sync(display.close)
    if (report === undefined) return yield* Effect.die("the write ended without its report")
    yield* ledger.finish(id)
    const done: BulkWriteReport = {
      ...report,
      failed: report.failed.map((o) => relabel(book, o)),
      unknown: report.unknown.map((o) => relabel(book, o)),
    }
    if (input.failed !== undefined) writeFailedFile(input.failed, done)
    // A finished write started again is answered from its state file, without its records' outcomes.
    const stored = input.state !== undefined && outcomes === 0 && done.records > 0
    const files = { report: stored ? undefined : input.report, failed: input.failed }
    yield* Console.log(renderWriteSummary(done, book.lineOf, files))
    if (input.state !== undefined) yield* Console.log(finishedLine(id, input.state, stored))
    // A write of no records has no outcome to open the report file with.
    if (!stored && input.report !== undefined && outcomes === 0) writeFileSync(input.report, "")
    if (stored && input.report !== undefined) {
      yield* Console.error(
        `The report file ${input.report} was left as the run that finished the write wrote it (the stored report lists only the records not written).`,
      )
    } else if (input.report !== undefined && outcomes < done.records) {
      yield* Console.error(`The report file holds ${outcomes} of ${done.records} outcomes.`)
    }
    const code = writeExitCode(done)
    if (code === 3) {
      yield* Console.error("Some jobs could not be created (an API or network error): see the reasons above.")
    }
    return code
  }).pipe(Effect.scoped)
