/**
 * One job's polls: each an ordinary GET of the job's row, made into a snapshot; the stream of
 * the snapshots worth emitting (those where something changed), ending with the job.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import type { KlaviyoApiError, KlaviyoError } from "../errors.ts"
import type { GetOptions } from "../internal/pipeline.ts"
import { isFinal, jobProgress, RATE_SAMPLES, type Sample } from "./progress.ts"
import type { AnyJob, Target } from "./rows.ts"
import { type Bounds, defaultCadence } from "./schedule.ts"
import { type JobSnapshot, JobWatchError } from "./types.ts"

/** What a watch fails with. */
export type WatchError = KlaviyoError | JobWatchError

/** The latest snapshot a poll made, emitted or not (for the deadline's error). */
export interface LastPolled {
  last: JobSnapshot<AnyJob> | undefined
}

/** What one poll asks for, and how often. */
export interface PollPlan {
  readonly target: Target
  /** The GET's options: the job fieldset with the watched attributes added, `include`. */
  readonly request: GetOptions
  readonly bounds: Bounds
  /** A schedule of the caller's, instead of the default. */
  readonly schedule: Schedule.Schedule<unknown, JobSnapshot<AnyJob>> | undefined
}

/** What decides whether a snapshot is news: everything a watcher can see change. */
const changeKey = (job: AnyJob): string =>
  JSON.stringify([
    job.status,
    job.total_count,
    job.completed_count,
    job.failed_count,
    job.errors?.length ?? 0,
    job.completed_at?.getTime() ?? null,
    job.expires_at?.getTime() ?? null,
  ])

/** A 404 for a job already seen: it is gone, or it expired. */
const vanished = (
  target: Target,
  seen: JobSnapshot<AnyJob>,
  error: KlaviyoApiError,
): Effect.Effect<never, JobWatchError> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const expiresAt = seen.job.expires_at
    const expired = expiresAt !== null && expiresAt !== undefined && expiresAt.getTime() <= now
    return Effect.fail(
      new JobWatchError({
        reason: expired ? "expired" : "gone",
        jobId: target.id,
        jobType: target.type,
        detail: expired
          ? `Klaviyo answered 404: the job expired at ${expiresAt.toISOString()} while it was ${seen.job.status}`
          : `Klaviyo answered 404 after ${seen.poll} poll${
            seen.poll === 1 ? "" : "s"
          } had seen the job ${seen.job.status}`,
        last: seen as JobWatchError["last"],
        cause: error,
      }),
    )
  })

/** The polls of one job, as a stream of the snapshots that changed something. */
export const pollJob = (
  plan: PollPlan,
  polled: LastPolled,
): Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient> =>
  Stream.unwrap(Effect.sync(() => {
    let polls = 0
    let unchanged = 0
    let lastKey: string | undefined
    let samples: ReadonlyArray<Sample> = []
    /** The snapshots that changed something since the poll before: the ones emitted. */
    const news = new WeakSet<JobSnapshot<AnyJob>>()
    const fetch = plan.target.get(plan.target.id, plan.request).pipe(
      Effect.catchTag("KlaviyoApiError", (error): Effect.Effect<never, WatchError> => {
        const seen = polled.last
        return error.status === 404 && seen !== undefined
          ? vanished(plan.target, seen, error)
          : Effect.fail(error)
      }),
    )
    const poll: Effect.Effect<JobSnapshot<AnyJob>, WatchError, KlaviyoClient> = Effect.gen(function* () {
      const job = yield* fetch
      const now = yield* Clock.currentTimeMillis
      polls++
      const key = changeKey(job)
      unchanged = key === lastKey ? unchanged + 1 : 0
      lastKey = key
      // The rate is measured while the job runs (and up to its end), not while it waits.
      const measured = job.status === "processing" || isFinal(job.status) ||
        (job.status === "queued" && samples.length > 0)
      const progress = jobProgress(job, samples, measured ? now : undefined)
      if (measured) samples = [...samples, { at: now, processed: progress.processed }].slice(-RATE_SAMPLES)
      const snapshot: JobSnapshot<AnyJob> = { job, progress, at: new Date(now), poll: polls }
      if (unchanged === 0) news.add(snapshot)
      polled.last = snapshot
      return snapshot
    })
    const cadence = plan.schedule ?? defaultCadence(plan.bounds, () => unchanged)
    return Stream.fromEffectSchedule(poll, cadence).pipe(
      Stream.filter((snapshot) => news.has(snapshot)),
      Stream.takeUntil((snapshot) => isFinal(snapshot.job.status)),
    )
  }))
