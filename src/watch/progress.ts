/**
 * A job's progress from its counts: made sane, with the rate measured over recent polls and
 * the time left estimated from it.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import type { BulkJobAttributes, BulkJobStatus } from "../resources/bulk-job.ts"

/**
 * A job's progress, made sane: counts are whole and never negative, `completed + failed` never
 * exceeds `total`, and `adjusted` says what had to be corrected (Klaviyo's own example has a
 * negative `failed_count` and a `completed_count` above `total_count`).
 *
 * @example
 * ```ts
 * import type { JobProgress } from "@effect-klaviyo/catalog-jobs"
 *
 * const line = (progress: JobProgress): string =>
 *   `${progress.percent.toFixed(0)}% (${progress.completed} done, ${progress.failed} failed of ${progress.total})`
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export interface JobProgress {
  /** Operations in the job. */
  readonly total: number
  /** Operations that completed. */
  readonly completed: number
  /** Operations that failed. */
  readonly failed: number
  /** `completed + failed`: operations the job is done with. */
  readonly processed: number
  /** `processed` as a percentage of `total`, from 0 to 100 (100 once the job is complete). */
  readonly percent: number
  /**
   * Operations processed per second, measured over the recent polls while the job runs; `null`
   * until two polls of a running job have been seen.
   */
  readonly rate: number | null
  /**
   * The estimated time left: zero once the job has ended, `null` while there is no rate to
   * estimate from (queued, or nothing moved yet).
   */
  readonly remaining: Duration.Duration | null
  /** What was corrected in counts that were not sane, in words; empty when nothing was. */
  readonly adjusted: ReadonlyArray<string>
}

/** The statuses after which a job never changes. */
export const isFinal = (status: BulkJobStatus | undefined): boolean =>
  status === "complete" || status === "cancelled"

/** A count as it should be: a whole number, at least 0. */
const count = (name: string, value: unknown, adjusted: Array<string>): number => {
  if (value === null || value === undefined) return 0
  if (typeof value !== "number" || !Number.isFinite(value)) {
    adjusted.push(`${name} ${String(value)} is not a number: read as 0`)
    return 0
  }
  if (value < 0) {
    adjusted.push(`${name} ${value} is negative: read as 0`)
    return 0
  }
  if (!Number.isInteger(value)) {
    adjusted.push(`${name} ${value} is not whole: read as ${Math.floor(value)}`)
    return Math.floor(value)
  }
  return value
}

/** One observation of the processed count, for the rate. */
export interface Sample {
  readonly at: number
  readonly processed: number
}

/** How many recent samples the rate is measured over. */
export const RATE_SAMPLES = 6

/** The counts made sane, and what was corrected. */
const saneCounts = (
  job: Partial<Pick<BulkJobAttributes, "total_count" | "completed_count" | "failed_count">>,
): {
  readonly total: number
  readonly completed: number
  readonly failed: number
  adjusted: Array<string>
} => {
  const adjusted: Array<string> = []
  let total = count("total_count", job.total_count, adjusted)
  let completed = count("completed_count", job.completed_count, adjusted)
  let failed = count("failed_count", job.failed_count, adjusted)
  if (total === 0 && completed + failed > 0) {
    adjusted.push(
      `total_count is 0 with ${completed + failed} operations processed: total read as ${completed + failed}`,
    )
    total = completed + failed
  }
  if (completed > total) {
    adjusted.push(`completed_count ${completed} is above total_count ${total}: read as ${total}`)
    completed = total
  }
  if (completed + failed > total) {
    adjusted.push(
      `failed_count ${failed} leaves more than total_count processed: read as ${total - completed}`,
    )
    failed = total - completed
  }
  return { total, completed, failed, adjusted }
}

/**
 * Makes a job's counts sane and computes its progress; `samples` are the recent observations of
 * the processed count while the job ran (oldest first), for the rate and the time left, and
 * `at`, when given, counts this observation among them. A count the job lacks (its fieldset
 * left it out) reads as 0.
 */
export const jobProgress = (
  job: Partial<Pick<BulkJobAttributes, "status" | "total_count" | "completed_count" | "failed_count">>,
  samples: ReadonlyArray<Sample> = [],
  at?: number,
): JobProgress => {
  const { total, completed, failed, adjusted } = saneCounts(job)
  const processed = completed + failed
  const final = isFinal(job.status)
  let percent = total === 0 ? (final ? 100 : 0) : (100 * processed) / total
  if (job.status === "complete" && percent < 100) {
    adjusted.push(`the job is complete with ${processed} of ${total} operations counted: percent read as 100`)
    percent = 100
  }
  const window = at === undefined ? samples : [...samples, { at, processed }].slice(-RATE_SAMPLES)
  const first = window[0]
  const last = window[window.length - 1]
  const rate = first !== undefined && last !== undefined && last.at > first.at
    ? Math.max(0, (last.processed - first.processed) / ((last.at - first.at) / 1000))
    : null
  const remaining = final
    ? Duration.zero
    : rate !== null && rate > 0
    ? Duration.millis(Math.ceil((1000 * (total - processed)) / rate))
    : null
  return { total, completed, failed, processed, percent, rate, remaining, adjusted }
}
