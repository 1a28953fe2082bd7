/**
 * What the command-line program prints, as plain functions of the data: the job table, the
 * progress bar and the plain progress lines, the summary after a watch. Nothing here writes
 * anywhere, so all of it can be tested without a terminal.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import type {
  BulkJobError,
  BulkJobStatus,
  CatalogCategory,
  CatalogCategoryAttributes,
  CatalogItem,
  CatalogItemAttributes,
  CatalogVariant,
  CatalogVariantAttributes,
  JobProgress,
  UnresolvedReference,
} from "../mod.ts"

/** A job as `get` may receive it: with `--fields`, any attribute can be missing. */
export interface ShownJob {
  readonly type: string
  readonly id: string
  readonly status?: BulkJobStatus
  readonly total_count?: number
  readonly completed_count?: number | null
  readonly failed_count?: number | null
  readonly created_at?: Date
  readonly completed_at?: Date | null
  readonly expires_at?: Date | null
  readonly errors?: ReadonlyArray<BulkJobError> | null
  readonly categories?: ReadonlyArray<CatalogCategory>
  readonly items?: ReadonlyArray<CatalogItem>
  readonly variants?: ReadonlyArray<CatalogVariant>
  readonly unresolved?: ReadonlyArray<UnresolvedReference>
}

/** An included record of any resource, as the table shows it. */
type ShownRecord =
  & Partial<CatalogCategoryAttributes & CatalogItemAttributes & CatalogVariantAttributes>
  & { readonly id: string }

/** The details shown beside a record's id: its name (or title), SKU, external id, last update. */
const recordDetails = (record: ShownRecord): string => {
  const name = record.name !== undefined ? record.name : record.title
  return [
    name === undefined ? undefined : name ?? "-",
    record.sku === undefined ? undefined : `sku ${record.sku ?? "-"}`,
    record.external_id === undefined ? undefined : `external id ${record.external_id ?? "-"}`,
    record.updated === undefined ? undefined : `updated ${when(record.updated)}`,
  ].filter((part) => part !== undefined).join("  ")
}

/** The lines of a job's included records (`categories`, `items` or `variants`) and of the unresolved ones. */
const recordLines = (
  label: string,
  records: ReadonlyArray<ShownRecord>,
  unresolved: ReadonlyArray<UnresolvedReference>,
): ReadonlyArray<string> => {
  const width = Math.max(0, ...records.map((r) => r.id.length), ...unresolved.map((u) => u.id.length))
  return [
    `  ${label.padEnd(11)} ${records.length + unresolved.length}`,
    ...records.map((record) => `    ${record.id.padEnd(width)}  ${recordDetails(record)}`.trimEnd()),
    ...unresolved.map((missing) =>
      `    ${missing.id.padEnd(width)}  (not in the response's included resources)`
    ),
  ]
}

/** The progress figures the display needs: the library's, without its notes on what was corrected. */
export type ShownProgress = Omit<JobProgress, "adjusted">

/** A date as the table shows it: `2026-11-27 14:00:00 UTC`, `-` for none. */
export const when = (date: Date | null | undefined): string =>
  date === null || date === undefined
    ? "-"
    : `${date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "")} UTC`

const has = <K extends keyof ShownJob>(job: ShownJob, key: K): boolean => Object.hasOwn(job, key)

/**
 * One line for a job error: the record (`meta.external_id`), the code and title when Klaviyo
 * gives them (it sends them as `null`), the detail, then where (`source.pointer`).
 */
export const errorLine = (error: BulkJobError): string => {
  const parts = [error.meta?.external_id, error.code, error.title, error.detail]
    .filter((part): part is string => typeof part === "string" && part !== "")
  const where = error.source?.pointer ? ` (at ${error.source.pointer})` : ""
  return `${parts.length === 0 ? "no details" : parts.join(": ")}${where}`
}

/**
 * Renders a job for a person: a table of the attributes it has (all of them unless `--fields`
 * chose some), then its errors and, when they were included, its categories.
 */
export const renderJob = (job: ShownJob): string => {
  const lines = [`Job ${job.id} (${job.type})`]
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(11)} ${value}`)
  if (has(job, "status")) row("status", job.status ?? "-")
  if (has(job, "total_count") || has(job, "completed_count") || has(job, "failed_count")) {
    const parts = [
      has(job, "completed_count") ? `${job.completed_count ?? 0}` : "?",
      has(job, "total_count") ? ` of ${job.total_count}` : "",
      " completed",
      has(job, "failed_count") ? `, ${job.failed_count ?? 0} failed` : "",
    ]
    row("progress", parts.join(""))
  }
  if (has(job, "created_at")) row("created", when(job.created_at))
  if (has(job, "completed_at")) row("completed", when(job.completed_at))
  if (has(job, "expires_at")) row("expires", when(job.expires_at))
  if (has(job, "errors")) {
    const errors = job.errors ?? []
    row("errors", errors.length === 0 ? "none" : `${errors.length}`)
    for (const error of errors) lines.push(`    - ${errorLine(error)}`)
  }
  for (const label of ["categories", "items", "variants"] as const) {
    const records: ReadonlyArray<ShownRecord> | undefined = job[label]
    if (records !== undefined) lines.push(...recordLines(label, records, job.unresolved ?? []))
  }
  return lines.join("\n")
}

/** The header of `list`'s table. */
export const listHeader = (): string => listRow("ID", "STATUS", "PROGRESS", "CREATED")

const listRow = (id: string, status: string, progress: string, created: string): string =>
  `${id.padEnd(26)}  ${status.padEnd(10)}  ${progress.padEnd(22)}  ${created}`.trimEnd()

/** One job of `list`: its id, status, counts and creation time. */
export const renderListed = (job: ShownJob): string =>
  listRow(
    job.id,
    job.status ?? "-",
    job.total_count === undefined
      ? "-"
      : `${job.completed_count ?? 0}/${job.total_count} done, ${job.failed_count ?? 0} failed`,
    when(job.created_at),
  )

/** A job as `--json` prints it: the job value itself, dates as ISO 8601 UTC strings. */
export const renderJson = (value: unknown): string => JSON.stringify(value, null, 2)

/** A duration for people: `850ms`, `4.2s`, `3m 05s`, `2h 10m`. */
export const formatDuration = (duration: Duration.Duration): string => {
  const millis = Math.max(0, Duration.toMillis(duration))
  if (millis < 1_000) return `${Math.round(millis)}ms`
  const seconds = millis / 1_000
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${`${Math.round(seconds % 60)}`.padStart(2, "0")}s`
  return `${Math.floor(minutes / 60)}h ${`${minutes % 60}`.padStart(2, "0")}m`
}

const formatRate = (rate: number): string => `${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s`

/** `120/s · 3s left`, or what is known of them so far. */
const pace = (progress: ShownProgress, status: BulkJobStatus): ReadonlyArray<string> => {
  if (status !== "processing") return []
  return [
    progress.rate === null ? "measuring rate" : formatRate(progress.rate),
    progress.remaining === null ? "time left unknown" : `${formatDuration(progress.remaining)} left`,
  ]
}

const counts = (progress: ShownProgress): string =>
  `${progress.processed}/${progress.total} processed (${progress.completed} completed, ${progress.failed} failed)`

/**
 * The bar itself: `width` cells, full blocks for what is done, eighths for the partial cell (but
 * not the one-eighth block, which looks like the bar's right edge).
 */
export const bar = (percent: number, width: number): string => {
  const cells = (Math.min(100, Math.max(0, percent)) / 100) * width
  const full = Math.floor(cells)
  const partial = full < width ? "  ▎▍▌▋▊▉"[Math.floor((cells - full) * 8)] ?? "" : ""
  return `${"█".repeat(full)}${partial}${" ".repeat(Math.max(0, width - full - partial.length))}`
}

/**
 * The live view on a terminal: a bar with the percentage and the status, then the counts, the
 * rate and the time left. `columns` is the terminal's width; the bar shrinks to fit.
 */
export const renderLive = (
  progress: ShownProgress,
  status: BulkJobStatus,
  elapsed: Duration.Duration,
  columns: number,
): string => {
  const percent = `${Math.floor(progress.percent)}%`.padStart(4)
  const tail = `  ${percent}  ${status}`
  const width = Math.max(10, Math.min(40, columns - tail.length - 3))
  const details = [counts(progress), ...pace(progress, status), `${formatDuration(elapsed)} elapsed`]
  return [`▕${bar(progress.percent, width)}▏${tail}`, `  ${details.join(" · ")}`].join("\n")
}

/** One plain line per change, for a log or a pipe (no escape codes, no redrawing). */
export const renderLine = (progress: ShownProgress, status: BulkJobStatus, at: Date): string =>
  [
    at.toISOString().replace(/\.\d{3}Z$/, "Z"),
    status.padEnd(10),
    `${Math.floor(progress.percent)}%`.padStart(4),
    counts(progress),
    ...pace(progress, status),
  ].join("  ").trimEnd()

/** The summary printed when a watch ends: the outcome, then each error the job reported. */
export const renderSummary = (job: ShownJob, progress: ShownProgress): string => {
  const status = job.status ?? "complete"
  // Klaviyo's timestamps have whole seconds.
  const seconds = job.completed_at && job.created_at
    ? Math.max(0, Math.round((job.completed_at.getTime() - job.created_at.getTime()) / 1_000))
    : undefined
  const took = seconds === undefined
    ? ""
    : seconds === 0
    ? " within a second of its creation"
    : ` ${seconds < 60 ? `${seconds}s` : formatDuration(Duration.seconds(seconds))} after its creation`
  const lines = [
    `Job ${job.id} ${status}${took}: ${progress.completed} of ${progress.total} completed, ${progress.failed} failed.`,
  ]
  const errors = job.errors ?? []
  if (errors.length === 0) {
    lines.push(progress.failed === 0 ? "No errors." : "The job reported no error details.")
  } else {
    lines.push(`Errors (${errors.length}):`)
    const shown = errors.slice(0, 20)
    for (const error of shown) lines.push(`  - ${errorLine(error)}`)
    if (errors.length > shown.length) {
      lines.push(`  … and ${errors.length - shown.length} more (see \`get ${job.id} --json\`)`)
    }
  }
  return lines.join("\n")
}
