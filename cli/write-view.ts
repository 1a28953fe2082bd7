/**
 * What `write` shows: a live bar on a terminal (redrawn in place with `log-update`), one plain
 * line per change when the output is a pipe or a file, and the summary at the end. The render
 * functions are plain functions of the data, tested without a terminal.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import { createLogUpdate } from "log-update"
import type {
  BulkWriteFailed,
  BulkWriteKind,
  BulkWriteProgress,
  BulkWriteReport,
  BulkWriteUnknown,
} from "../mod.ts"
import { bar, formatDuration } from "./render.ts"

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`

const outcomes = (p: Pick<BulkWriteProgress, "succeeded" | "failed" | "unknown">): string =>
  `${p.succeeded} succeeded, ${p.failed} failed, ${p.unknown} unknown`

const rate = (perSecond: number): string =>
  `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s`

/** One plain line for a snapshot, with its counts only (no clock, so that a log reads the same each run). */
export const renderWriteLine = (p: BulkWriteProgress): string =>
  `${p.submitted}/${p.total ?? "?"} submitted, ${p.done} done (${outcomes(p)}), ${
    plural(p.jobsInFlight, "job")
  } in flight`

/** The live view: the bar with the percentage done; the counts; what is submitted and in flight, the rate, the time left, the time elapsed. */
export const renderWriteLive = (
  p: BulkWriteProgress,
  kind: BulkWriteKind,
  elapsed: Duration.Duration,
  columns: number,
): string => {
  const percent = p.total === undefined || p.total === 0 ? (p.done > 0 ? 100 : 0) : (p.done * 100) / p.total
  const tail = `  ${`${Math.floor(percent)}%`.padStart(4)}  ${kind.resource} ${kind.operation}`
  const width = Math.max(10, Math.min(40, columns - tail.length - 3))
  const pace = [
    `${p.submitted} submitted`,
    `${plural(p.jobsInFlight, "job")} in flight`,
    p.rate === null ? "measuring rate" : rate(p.rate),
    p.remaining === null ? "time left unknown" : `${formatDuration(p.remaining)} left`,
    `${formatDuration(elapsed)} elapsed`,
  ]
  return [
    `▕${bar(percent, width)}▏${tail}`,
    `  ${p.done}/${p.total ?? "?"} done (${outcomes(p)})`,
    `  ${pace.join(" · ")}`,
  ].join("\n")
}

/** A record not written, as the summary names it: its line, its key, why. */
export interface ShownRecord {
  readonly line: number
  readonly outcome: BulkWriteFailed | BulkWriteUnknown
}

/** At most this many failed (then unknown) records are listed in the summary. */
export const LISTED = 20

/** The summary: the counts, the records not written (the first {@link LISTED}), where the files are. */
export const renderWriteSummary = (
  report: BulkWriteReport,
  lineOf: (index: number) => number,
  files: { readonly report?: string | undefined; readonly failed?: string | undefined },
): string => {
  const { kind } = report
  const lines = [
    `Wrote ${kind.resource} ${kind.operation}: ${plural(report.records, "record")} in ${
      plural(report.jobs, "job")
    }, ${
      outcomes({ succeeded: report.succeeded, failed: report.failed.length, unknown: report.unknown.length })
    }.`,
  ]
  const list = (title: string, entries: ReadonlyArray<BulkWriteFailed | BulkWriteUnknown>, room: number) => {
    if (entries.length === 0) return room
    lines.push(`${title} (${entries.length}):`)
    for (const entry of entries.slice(0, room)) {
      const line = lineOf(entry.index)
      const key = entry.key === undefined ? "" : ` (${entry.key})`
      // A line that is not JSON has a reason that names its line already.
      lines.push(
        entry.reason.startsWith(`line ${line} `)
          ? `  - ${entry.reason}`
          : `  - line ${line}${key}: ${entry.reason}`,
      )
    }
    if (entries.length > room) lines.push(`  … and ${entries.length - Math.max(0, room)} more`)
    return Math.max(0, room - entries.length)
  }
  const room = list("Failed", report.failed, LISTED)
  list("Unknown", report.unknown, room)
  if (files.report !== undefined) lines.push(`Report: ${files.report} (${plural(report.records, "outcome")})`)
  const notWritten = report.failed.length + report.unknown.length
  if (files.failed !== undefined) {
    lines.push(`To fix and resubmit: ${files.failed} (${plural(notWritten, "record")})`)
  }
  return lines.join("\n")
}

/** Where `write` shows its progress. */
export interface WriteDisplay {
  readonly show: (progress: BulkWriteProgress) => void
  /** Time passes (a terminal redraws its elapsed time and time left). */
  readonly tick: () => void
  /** The write is over or stopped: keep what is shown, free the terminal. */
  readonly close: () => void
}

/** A bar redrawn in place; `now` is the wall clock (a parameter for tests). */
export const liveWriteDisplay = (
  output: typeof process.stdout,
  kind: BulkWriteKind,
  started: number,
  now: () => number = Date.now,
): WriteDisplay => {
  const update = createLogUpdate(output)
  let last: BulkWriteProgress | undefined
  let shownAt = 0
  let closed = false
  const draw = () => {
    if (last === undefined) return
    const time = now()
    const remaining = last.remaining === null
      ? null
      : Duration.millis(Math.max(0, Duration.toMillis(last.remaining) - (time - shownAt)))
    update(
      renderWriteLive({ ...last, remaining }, kind, Duration.millis(time - started), output.columns ?? 80),
    )
  }
  return {
    show: (progress) => {
      last = progress
      shownAt = now()
      if (!closed) draw()
    },
    tick: () => {
      if (!closed) draw()
    },
    close: () => {
      if (closed) return
      closed = true
      draw()
      update.done()
    },
  }
}

/** One line per snapshot that differs from the one before. */
export const plainWriteDisplay = (output: { write(text: string): unknown }): WriteDisplay => {
  let previous = ""
  return {
    show: (progress) => {
      const line = renderWriteLine(progress)
      if (line !== previous) output.write(`${line}\n`)
      previous = line
    },
    tick: () => {},
    close: () => {},
  }
}
