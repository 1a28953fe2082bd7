/**
 * What a watch takes and gives: its options, its snapshots, the job it ends with, and the error
 * of a watch that ended before its job did.
 *
 * @module
 */
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import type * as Schedule from "effect/Schedule"
import type { BulkJob, GetJobOptions } from "../endpoints/types.ts"
import type { TaggedErrorConstructor } from "../errors.ts"
import type { BulkJobAttributes } from "../resources/bulk-job.ts"
import type { JobProgress } from "./progress.ts"
import type { BulkJobIncludes, BulkJobType } from "./rows.ts"

/**
 * One observation of a watched job.
 *
 * @example
 * ```ts
 * import type { Job, JobSnapshot } from "@effect-klaviyo/catalog-jobs"
 *
 * const describe = (snapshot: JobSnapshot<Job>): string =>
 *   `poll ${snapshot.poll} at ${snapshot.at.toISOString()}: ${snapshot.job.status}, ${snapshot.progress.percent}%`
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export interface JobSnapshot<J> {
  /** The job as this poll fetched it. */
  readonly job: J
  /** Its progress, made sane, with the rate and the time left. */
  readonly progress: JobProgress
  /** When the poll answered (the `Clock`'s time). */
  readonly at: Date
  /** Which poll this was, from 1. */
  readonly poll: number
}

/**
 * The job attributes a watch reads (status, counts, completion, expiry): it asks for them with
 * every poll, on top of a job fieldset of yours, so a watched job always has them.
 *
 * @example
 * ```ts
 * import type { WatchedJobField } from "@effect-klaviyo/catalog-jobs"
 *
 * const read: ReadonlyArray<WatchedJobField> = ["status", "total_count", "completed_count", "failed_count"]
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export type WatchedJobField =
  | "status"
  | "total_count"
  | "completed_count"
  | "failed_count"
  | "completed_at"
  | "expires_at"

/** The attributes a watch reads, as a value (see {@link WatchedJobField}). */
export const watchedJobFields: ReadonlyArray<WatchedJobField> = [
  "status",
  "total_count",
  "completed_count",
  "failed_count",
  "completed_at",
  "expires_at",
]

/**
 * What every watched job has, whatever its fieldset: its `type`, `id` and the attributes the
 * watch reads. A polling schedule of your own sees snapshots of it.
 *
 * @example
 * ```ts
 * import type { JobSnapshot, WatchedJobView } from "@effect-klaviyo/catalog-jobs"
 *
 * const done = (snapshot: JobSnapshot<WatchedJobView>): boolean => snapshot.job.status === "complete"
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export type WatchedJobView =
  & { readonly type: string; readonly id: string }
  & Pick<BulkJobAttributes, WatchedJobField>

/**
 * The timing options every watch takes, `J` being what its snapshots' jobs are known to hold
 * (what a polling schedule of your own sees).
 *
 * @example
 * ```ts
 * import type { WatchedJobView, WatchTiming } from "@effect-klaviyo/catalog-jobs"
 *
 * const timing: WatchTiming<WatchedJobView> = { interval: { min: "500 millis", max: "10 seconds" }, deadline: "15 minutes" }
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export interface WatchTiming<J> {
  /**
   * The bounds of the default polling schedule: the first polls, and polls right after a
   * change, come `min` apart; while nothing moves the gap doubles up to `max`; while the job
   * moves, polls come about every 5% of progress at the observed rate, within the bounds.
   * @default { min: "1 second", max: "30 seconds" }
   */
  readonly interval?: {
    readonly min?: Duration.Input | undefined
    readonly max?: Duration.Input | undefined
  } | undefined
  /**
   * A polling schedule of your own, instead of the default: it receives each poll's snapshot
   * as its input, and the watch ends (without an error) when it ends. A watcher with its own
   * schedule polls on its own rather than sharing a poll.
   */
  readonly schedule?: Schedule.Schedule<unknown, JobSnapshot<J>> | undefined
  /**
   * The longest the watch may take; past it, it fails with a `JobWatchError` whose reason is
   * `deadline`, carrying the last snapshot. No deadline by default.
   */
  readonly deadline?: Duration.Input | undefined
}

/**
 * The options of {@link watchBulkJob} and {@link awaitBulkJob} on a job of type `T`: the GET's
 * own `fields` and `include` (typed for that type, narrowing the watched job), and the
 * watch's timing.
 *
 * @example
 * ```ts
 * import type { WatchBulkJobOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: WatchBulkJobOptions<"catalog-item-bulk-create-job"> = {
 *   fields: { "catalog-item-bulk-create-job": ["status", "errors"], "catalog-item": ["external_id"] },
 *   include: ["items"],
 *   interval: { min: "500 millis", max: "10 seconds" },
 *   deadline: "15 minutes",
 * }
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export interface WatchBulkJobOptions<T extends BulkJobType>
  extends GetJobOptions<T, BulkJobIncludes<T>>, WatchTiming<WatchedJobView> {}

/**
 * The job a watch of a job of type `T` with options `O` yields: the job the GET returns with
 * `O`'s `fields` and `include` ({@link BulkJob}), and the attributes the watch reads.
 *
 * @example
 * ```ts
 * import type { WatchedBulkJob } from "@effect-klaviyo/catalog-jobs"
 *
 * type Job = WatchedBulkJob<"catalog-item-bulk-create-job", { include: ["items"] }>
 * const titles = (job: Job) => job.items.map((item) => item.title)
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export type WatchedBulkJob<T extends BulkJobType, O = WatchBulkJobOptions<T>> =
  & BulkJob<T, BulkJobIncludes<T>, O>
  & Pick<BulkJobAttributes, WatchedJobField>

/**
 * Why a watch ended without the job ending: `gone` (the job answered 404 after it had been
 * seen), `expired` (the same, past the job's `expires_at`), `deadline` (the watch's deadline
 * passed), `stopped` (a polling schedule of your own ended before the job did).
 *
 * @example
 * ```ts
 * import type { JobWatchFailure } from "@effect-klaviyo/catalog-jobs"
 *
 * const retryable = (reason: JobWatchFailure): boolean => reason === "deadline"
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export type JobWatchFailure = "gone" | "expired" | "deadline" | "stopped"

/**
 * The fields of a {@link JobWatchError}.
 *
 * @example
 * ```ts
 * import { JobWatchError, type JobWatchErrorFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: JobWatchErrorFields = { reason: "gone", jobId: "01GSQPBF74KQ5YTDEPP41T1BZH", detail: "404 after 3 polls" }
 * const error = new JobWatchError(fields)
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export interface JobWatchErrorFields {
  /** Why the watch ended. */
  readonly reason: JobWatchFailure
  /** The job watched. */
  readonly jobId: string
  /** The watched job's type (`catalog-item-bulk-create-job`, ...). */
  readonly jobType?: string | undefined
  /** What happened, in words. */
  readonly detail: string
  /**
   * The last snapshot seen, if any. A watch with a job fieldset of yours fetched only those
   * attributes and the ones it reads ({@link WatchedJobField}).
   */
  readonly last?: JobSnapshot<BulkJobAttributes> | undefined
  /** Klaviyo's answer that ended it (the 404), where there is one. */
  readonly cause?: unknown
}

const JobWatchErrorBase: TaggedErrorConstructor<"JobWatchError", JobWatchErrorFields> = /* @__PURE__ */ Data
  .TaggedError(
    "JobWatchError",
  )

/**
 * A watch ended before the job did: the job disappeared or expired while watched, or the
 * watch's deadline passed. `reason` tells which; `last` is the last snapshot seen.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { awaitCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = awaitCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { deadline: "10 minutes" }).pipe(
 *   Effect.catchTag("JobWatchError", (error) => Effect.logWarning(`${error.reason}: ${error.detail}`)),
 * )
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export class JobWatchError extends JobWatchErrorBase {
  /** A readable summary: the job, the reason and the detail. */
  override get message(): string {
    return `Watch of job ${this.jobId} ended (${this.reason}): ${this.detail}`
  }
}
