/**
 * How a bulk write watches one of its jobs to its end: through the library's watch (its shared,
 * adaptive polls: quick at first and right after a change, doubling while nothing moves, and,
 * once the job's rate is known, aimed just past its estimated end, since a write needs the end,
 * not the progress; every poll within its class's budget: for item and variant create and
 * update jobs that is the POSTs' class, so each GET saved is a POST's room), reduced to the
 * plain data the watch activity stores.
 *
 * A write also learns how long its jobs take: each job that completes gives its duration
 * (`completed_at` minus `created_at`, both Klaviyo's clock, so no skew between the clocks), and
 * the next job of the same size is first polled just past that duration after its creation (its
 * `created_at` placed on this clock by the POSTs' times, and never later than that long after
 * its POST's answer), instead of at once and again while it is queued: one GET a job when the jobs run alike, and the
 * end seen a few milliseconds after it. A job that is not done by then is watched as before.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type { KlaviyoClient } from "../client.ts"
import { InvalidRequest } from "../errors.ts"
import type { BulkJobError } from "../resources/bulk-job.ts"
import { awaitAny } from "../watch/watch.ts"
import type { Bounds } from "../watch/schedule.ts"
import { isFinal } from "../watch/progress.ts"
import type { KindSpec, WatchedState } from "./kind.ts"

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

/** A POST that created a job: sent and answered (this process's clock), the job's `created_at` (Klaviyo's). */
export interface PostTimes {
  readonly sentAt: number
  readonly answeredAt: number
  readonly createdAt: number | undefined
}

/** What a write learned: the durations its jobs took, by their count of records, most recent last. */
interface Learned {
  readonly durations: Map<number, Array<number>>
  /**
   * The least that Klaviyo's clock can be ahead of this one: each job was created between its
   * POST's sending and its answer, so the clock is at least `created_at - answeredAt` ahead; the
   * largest of these, over the write's POSTs, is the bound nearest the truth.
   */
  aheadAtLeast: number | undefined
  /** Done when the first duration is learned. */
  readonly first: Deferred.Deferred<void>
}

/** What each write learned, by the bounds object its jobs share (one per running write). */
const learnedBy = /* @__PURE__ */ new WeakMap<PollBounds, Learned>()

const learnedOf = (bounds: PollBounds): Learned => {
  let learned = learnedBy.get(bounds)
  if (learned === undefined) {
    learned = { durations: new Map(), aheadAtLeast: undefined, first: Deferred.makeUnsafe<void>() }
    learnedBy.set(bounds, learned)
  }
  return learned
}

/** How many recent durations of a size the estimate is taken over (their median). */
const DURATION_SAMPLES = 5

/** Records a job's duration (ms from its creation to its completion). */
const learn = (bounds: PollBounds, records: number, millis: number): void => {
  const learned = learnedOf(bounds)
  const samples = learned.durations.get(records) ?? []
  samples.push(millis)
  if (samples.length > DURATION_SAMPLES) samples.shift()
  learned.durations.set(records, samples)
  Deferred.doneUnsafe(learned.first, Exit.void)
}

/** Records a POST's times: they bound how far Klaviyo's clock is ahead of this one. */
export const observePost = (bounds: PollBounds, times: PostTimes): void => {
  if (times.createdAt === undefined) return
  const learned = learnedOf(bounds)
  const ahead = times.createdAt - times.answeredAt
  if (learned.aheadAtLeast === undefined || ahead > learned.aheadAtLeast) learned.aheadAtLeast = ahead
}

/**
 * The expected duration of a job of `records` records: the median of the recent jobs of that
 * size, or else of the largest size below it (a job of fewer records is not expected to take
 * longer), or `undefined` when the write has seen none.
 */
export const expectedDuration = (bounds: PollBounds, records: number): number | undefined => {
  const durations = learnedBy.get(bounds)?.durations
  if (durations === undefined) return undefined
  let size = durations.has(records) ? records : -1
  if (size < 0) { for (const known of durations.keys()) if (known < records && known > size) size = known }
  const samples = durations.get(size)
  if (samples === undefined || samples.length === 0) return undefined
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

/**
 * When a job is first polled (this process's clock): just past its expected end (its duration
 * 1% and 2 ms later, at most `max`, after its creation, placed on this clock by the bound on
 * the clocks' gap, and never later than that long after the POST's answer), or `min` after the
 * answer when no duration is known yet (the answer is the first look: the job is queued).
 */
export const firstPollAt = (bounds: PollBounds, records: number, posted: PostTimes): number => {
  const expected = expectedDuration(bounds, records)
  if (expected === undefined) return posted.answeredAt + bounds.min
  const wait = Math.min(bounds.max, Math.ceil(expected * 1.01) + 2)
  const ahead = learnedBy.get(bounds)?.aheadAtLeast
  const created = posted.createdAt === undefined || ahead === undefined
    ? posted.answeredAt
    : Math.min(posted.answeredAt, posted.createdAt - ahead)
  return created + wait
}

/** The job's duration from Klaviyo's timestamps, when it has both. */
const durationOf = (job: { readonly [key: string]: unknown }): number | undefined => {
  const created = job["created_at"]
  const completed = job["completed_at"]
  return created instanceof Date && completed instanceof Date && completed.getTime() >= created.getTime()
    ? completed.getTime() - created.getTime()
    : undefined
}

/** What the watch knows of the job besides its id: its count of records, its POST's times. */
export interface WatchedJob {
  readonly records: number
  /** `undefined` when the POST ran elsewhere (a replay): polled at once. */
  readonly posted: PostTimes | undefined
}

/** Sleeps until `at` (this process's clock). */
const sleepUntil = (at: number): Effect.Effect<void> =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (now) => at > now ? Effect.sleep(Duration.millis(at - now)) : Effect.void,
  )

/**
 * For a job watched before its write knew how long a job takes (the first jobs): once another
 * job of the write has completed, one GET just past the duration learned, ending the watch if
 * the job is done by then; otherwise (or when that GET fails) it never completes, and the watch
 * goes on.
 */
const lookOnceLearned = (
  spec: KindSpec,
  jobId: string,
  bounds: PollBounds,
  watched: WatchedJob,
): Effect.Effect<WatchedState, never, KlaviyoClient> => {
  const posted = watched.posted
  if (posted === undefined || watched.records === 0) return Effect.never
  return Deferred.await(learnedOf(bounds).first).pipe(
    Effect.andThen(
      Effect.suspend(() =>
        expectedDuration(bounds, watched.records) === undefined
          ? Effect.never
          : sleepUntil(firstPollAt(bounds, watched.records, posted))
      ),
    ),
    Effect.andThen(spec.get(jobId)),
    Effect.flatMap((job) => isFinal(job.status) ? Effect.succeed(job) : Effect.never),
    Effect.catch(() => Effect.never),
  )
}

/** Watches job `jobId` of the kind's type to its end, never failing: how it ended, or why it was lost. */
export const watchToEnd = (
  spec: KindSpec,
  jobId: string,
  bounds: PollBounds,
  watched: WatchedJob = { records: 0, posted: undefined },
): Effect.Effect<JobEnd, never, KlaviyoClient> =>
  Effect.gen(function* () {
    const known = expectedDuration(bounds, watched.records) !== undefined
    if (watched.posted !== undefined) yield* sleepUntil(firstPollAt(bounds, watched.records, watched.posted))
    const watch = awaitAny({ type: spec.row.job, id: jobId }, {
      fields: { [spec.row.job]: ["status", "errors", "failed_count", "created_at"] },
      interval: { min: Duration.millis(bounds.min), max: Duration.millis(bounds.max) },
      pollToEnd: true,
    }).pipe(Effect.map((job) => {
      const millis = job.status === "complete"
        ? durationOf(job as { readonly [key: string]: unknown })
        : undefined
      if (millis !== undefined && watched.records > 0) {
        learn(bounds, watched.records, millis)
      }
      return job as WatchedState
    }))
    return yield* (known ? watch : Effect.raceFirst(watch, lookOnceLearned(spec, jobId, bounds, watched)))
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
