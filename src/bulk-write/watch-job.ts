/**
 * How a bulk write watches one of its jobs to its end: through the library's watch (its shared,
 * adaptive polls: quick at first and right after a change, doubling while nothing moves, and,
 * once the job's rate is known, aimed just past its estimated end, since a write needs the end,
 * not the progress; every poll within its class's budget: for item and variant create and
 * update jobs that is the POSTs' class, so each GET saved is a POST's room), reduced to the
 * plain data the watch activity stores.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { KlaviyoClient } from "../client.ts"
import { InvalidRequest } from "../errors.ts"
import type { BulkJobError } from "../resources/bulk-job.ts"
import { awaitAny } from "../watch/watch.ts"
import type { Bounds } from "../watch/schedule.ts"
import type { KindSpec } from "./kind.ts"

/** What the watch of a job comes to: its end (a 404: it expired), or why it was lost. */
export type JobEnd =
  | {
    readonly _tag: "Ended"
    readonly status: "complete" | "cancelled" | "expired"
    readonly errors: ReadonlyArray<BulkJobError> | null
    readonly failed_count: number | null
  }
  | { readonly _tag: "Lost"; readonly reason: string }

/** The bounds of the polls between a write's jobs and their ends. */
export type PollBounds = Bounds

/** The defaults of the watch: the first polls and polls after a change 1 s apart, at most 30 s. */
export const DEFAULT_POLL_BOUNDS: PollBounds = { min: 1_000, max: 30_000 }

const expired: JobEnd = { _tag: "Ended", status: "expired", errors: null, failed_count: null }

/**
 * The bounds of a write's polls from its options: `interval` as the watch reads it, with
 * `pollInterval` (the older option) as its `min`; checked as the watch checks them.
 */
export const resolvePollBounds = (
  interval:
    | { readonly min?: Duration.Input | undefined; readonly max?: Duration.Input | undefined }
    | undefined,
  pollInterval: Duration.Input | undefined,
): PollBounds | InvalidRequest => {
  const read = (name: string, input: Duration.Input | undefined): number | undefined | InvalidRequest => {
    if (input === undefined) return undefined
    const value = Option.getOrUndefined(Duration.fromInput(input))
    return value !== undefined && Duration.isFinite(value) && Duration.toMillis(value) >= 1
      ? Duration.toMillis(value)
      : new InvalidRequest({ input: "interval", reason: `${name} must be a finite duration of 1 ms or more` })
  }
  const min = read(
    interval?.min === undefined ? "pollInterval" : "interval.min",
    interval?.min ?? pollInterval,
  )
  if (min instanceof InvalidRequest) return min
  const max = read("interval.max", interval?.max)
  if (max instanceof InvalidRequest) return max
  const bounds = {
    min: min ?? DEFAULT_POLL_BOUNDS.min,
    max: max ?? Math.max(min ?? DEFAULT_POLL_BOUNDS.min, DEFAULT_POLL_BOUNDS.max),
  }
  if (bounds.max < bounds.min) {
    return new InvalidRequest({
      input: "interval",
      reason: `interval.max (${bounds.max} ms) is shorter than interval.min (${bounds.min} ms)`,
    })
  }
  return bounds
}

/** Watches job `jobId` of the kind's type to its end, never failing: how it ended, or why it was lost. */
export const watchToEnd = (
  spec: KindSpec,
  jobId: string,
  bounds: PollBounds,
): Effect.Effect<JobEnd, never, KlaviyoClient> =>
  awaitAny({ type: spec.row.job, id: jobId }, {
    fields: { [spec.row.job]: ["status", "errors", "failed_count"] },
    interval: { min: Duration.millis(bounds.min), max: Duration.millis(bounds.max) },
    pollToEnd: true,
  }).pipe(
    Effect.map((job): JobEnd =>
      job.status === "complete" || job.status === "cancelled"
        ? {
          _tag: "Ended",
          status: job.status,
          errors: job.errors ?? null,
          failed_count: job.failed_count ?? null,
        }
        : { _tag: "Lost", reason: `the watch ended while the job was ${String(job.status)}` }
    ),
    Effect.catch((error) =>
      Effect.succeed<JobEnd>(
        // A 404: the job is gone (it expired, or was never seen: Klaviyo keeps no other kind).
        (error._tag === "KlaviyoApiError" && error.status === 404) ||
          (error._tag === "JobWatchError" && (error.reason === "expired" || error.reason === "gone"))
          ? expired
          : { _tag: "Lost", reason: error.message },
      )
    ),
  )
