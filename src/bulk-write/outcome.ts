/**
 * The outcome of each record of a bulk write, and the report: exactly one outcome for every
 * input record. Outcomes are plain data (JSON as they are), so that they can be persisted,
 * sent between processes and written to a file.
 *
 * @module
 */
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { BulkWriteKind } from "./kind.ts"

/**
 * A record Klaviyo wrote: its job ended `complete` with no error for it.
 *
 * @example
 * ```ts
 * import type { BulkWriteSucceeded } from "@effect-klaviyo/catalog-jobs"
 *
 * const outcome: BulkWriteSucceeded = { outcome: "succeeded", index: 0, key: "SHIRT-1", job: "01J0000000000000000000000A" }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteSucceeded {
  /** Written. */
  readonly outcome: "succeeded"
  /** The record's position in the input, from 0. */
  readonly index: number
  /** Its `external_id` (create) or `id` (update, delete), where it has one. */
  readonly key?: string
  /** The id of the job that wrote it. */
  readonly job: string
}

/**
 * A record that was not written: Klaviyo's errors for it (joined from its job's `errors`), or,
 * with `refused` set, the reason it was never sent (it does not match its record Schema, it
 * repeats an earlier record's id, or it alone is over the 5 MB a job takes).
 *
 * @example
 * ```ts
 * import type { BulkWriteFailed } from "@effect-klaviyo/catalog-jobs"
 *
 * const line = (outcome: BulkWriteFailed): string => `record ${outcome.index}: ${outcome.reason}`
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteFailed {
  /** Not written. */
  readonly outcome: "failed"
  /** The record's position in the input, from 0. */
  readonly index: number
  /** Its `external_id` (create) or `id` (update, delete), where it has one. */
  readonly key?: string
  /** The record as given, to fix and submit again. */
  readonly record: unknown
  /** The job that reported the failure; absent for a record refused before sending. */
  readonly job?: string
  /** Why, in one sentence: Klaviyo's `detail`s, or the reason it was refused. */
  readonly reason: string
  /** Klaviyo's errors for this record, as sent (empty for a refused record). */
  readonly errors: ReadonlyArray<BulkJobError>
  /** Why it was not sent, for a record refused before sending. */
  readonly refused?: "invalid" | "duplicate" | "too-large"
  /** For a duplicate: the index of the earlier record sent in its place. */
  readonly duplicateOf?: number
}

/**
 * A record whose fate nobody can tell: its job was cancelled or expired before it said, or it
 * ended with errors that name no record, one of which may be this one's.
 *
 * @example
 * ```ts
 * import type { BulkWriteUnknown } from "@effect-klaviyo/catalog-jobs"
 *
 * const retry = (outcome: BulkWriteUnknown): unknown => outcome.record
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteUnknown {
  /** Nobody can tell. */
  readonly outcome: "unknown"
  /** The record's position in the input, from 0. */
  readonly index: number
  /** Its `external_id` (create) or `id` (update, delete), where it has one. */
  readonly key?: string
  /** The record as given. */
  readonly record: unknown
  /** Its job, where one was created. */
  readonly job?: string
  /** Why its fate is not known. */
  readonly reason: string
  /** The job's errors that name no record (one may be this record's). */
  readonly errors: ReadonlyArray<BulkJobError>
}

/**
 * One record's outcome: `succeeded`, `failed` or `unknown`.
 *
 * @example
 * ```ts
 * import type { BulkWriteOutcome } from "@effect-klaviyo/catalog-jobs"
 *
 * const done = (outcome: BulkWriteOutcome): boolean => outcome.outcome !== "unknown"
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export type BulkWriteOutcome = BulkWriteSucceeded | BulkWriteFailed | BulkWriteUnknown

/**
 * A job's errors that could be joined to none of its records, kept at the job level.
 *
 * @example
 * ```ts
 * import type { BulkWriteJobErrors } from "@effect-klaviyo/catalog-jobs"
 *
 * const count = (entry: BulkWriteJobErrors): number => entry.errors.length
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteJobErrors {
  /** The job's id. */
  readonly job: string
  /** Its errors that name no record of the job. */
  readonly errors: ReadonlyArray<BulkJobError>
}

/**
 * The report of a bulk write: `records` = `succeeded` + `failed.length` + `unknown.length`.
 * Successes are counted, failures and unknowns listed with their records (so memory follows
 * the failures, not the input); every outcome, successes included, is also on the write's
 * event stream.
 *
 * @example
 * ```ts
 * import type { BulkWriteReport } from "@effect-klaviyo/catalog-jobs"
 *
 * const summary = (report: BulkWriteReport): string =>
 *   `${report.succeeded}/${report.records} written, ${report.failed.length} failed, ${report.unknown.length} unknown`
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteReport {
  /** What was written. */
  readonly kind: BulkWriteKind
  /** How many records came in. */
  readonly records: number
  /** How many were written. */
  readonly succeeded: number
  /** The records that were not, in input order. */
  readonly failed: ReadonlyArray<BulkWriteFailed>
  /** The records whose fate is not known, in input order. */
  readonly unknown: ReadonlyArray<BulkWriteUnknown>
  /** How many jobs were created. */
  readonly jobs: number
  /** Errors that named no record, by job. */
  readonly jobErrors: ReadonlyArray<BulkWriteJobErrors>
}

/** Builds a report from outcomes arriving in any order. */
export interface ReportBuilder {
  readonly add: (outcome: BulkWriteOutcome) => void
  readonly addJob: (job: string, unjoined: ReadonlyArray<BulkJobError>) => void
  readonly report: () => BulkWriteReport
}

/** An empty report of a kind. */
export const makeReportBuilder = (kind: BulkWriteKind): ReportBuilder => {
  let records = 0
  let succeeded = 0
  let jobs = 0
  const failed: Array<BulkWriteFailed> = []
  const unknown: Array<BulkWriteUnknown> = []
  const jobErrors: Array<BulkWriteJobErrors> = []
  const byIndex = (a: { readonly index: number }, b: { readonly index: number }) => a.index - b.index
  return {
    add: (outcome) => {
      records++
      if (outcome.outcome === "succeeded") succeeded++
      else if (outcome.outcome === "failed") failed.push(outcome)
      else unknown.push(outcome)
    },
    addJob: (job, unjoined) => {
      jobs++
      if (unjoined.length > 0) jobErrors.push({ job, errors: unjoined })
    },
    report: () => ({
      kind,
      records,
      succeeded,
      failed: failed.slice().sort(byIndex),
      unknown: unknown.slice().sort(byIndex),
      jobs,
      jobErrors: jobErrors.slice(),
    }),
  }
}
