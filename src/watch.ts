/**
 * Watching a catalog category bulk update job to its end: a `Stream` of snapshots that emits
 * when something changed and ends when the job is `complete` or `cancelled`, and the final job
 * as one `Effect`.
 *
 * Polling runs on a `Schedule`: quick at first, slower while nothing moves, paced by the
 * observed progress rate while the job runs. Every poll is an ordinary
 * `getCatalogCategoryBulkUpdateJob` call, so it shares the client's rate-limit budget and retry
 * policy. Watchers of the same job (same client, same `include`, same intervals) in one process
 * share one poll.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import {
  type CatalogCategoryBulkUpdateJob,
  getCatalogCategoryBulkUpdateJob,
  type GetCatalogCategoryBulkUpdateJobOptions,
} from "./catalog-category-bulk-update-job.ts"
import { KlaviyoClient, type KlaviyoClientShape } from "./client.ts"
import { InvalidRequest, type KlaviyoError, type TaggedErrorConstructor } from "./errors.ts"
import type { BulkJobAttributes, BulkJobStatus } from "./resources.ts"

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
 * The options of {@link watchCatalogCategoryBulkUpdateJob} and
 * {@link awaitCatalogCategoryBulkUpdateJob}.
 *
 * @example
 * ```ts
 * import type { WatchCatalogCategoryBulkUpdateJobOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: WatchCatalogCategoryBulkUpdateJobOptions = {
 *   include: ["categories"],
 *   interval: { min: "500 millis", max: "10 seconds" },
 *   deadline: "15 minutes",
 * }
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export interface WatchCatalogCategoryBulkUpdateJobOptions {
  /** `["categories"]` fetches the job's categories with every poll. */
  readonly include?: ReadonlyArray<"categories"> | undefined
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
  readonly schedule?: Schedule.Schedule<unknown, JobSnapshot<BulkJobAttributes>> | undefined
  /**
   * The longest the watch may take; past it, it fails with a `JobWatchError` whose reason is
   * `deadline`, carrying the last snapshot. No deadline by default.
   */
  readonly deadline?: Duration.Input | undefined
}

/**
 * The job a watch with options `O` yields: the full job, with its categories when `include`
 * asks for them.
 *
 * @example
 * ```ts
 * import type { WatchedJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const names = (job: WatchedJob<{ include: ["categories"] }>) => job.categories.map((category) => category.name)
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export type WatchedJob<O extends WatchCatalogCategoryBulkUpdateJobOptions> = CatalogCategoryBulkUpdateJob<
  O extends { readonly include: infer I extends ReadonlyArray<"categories"> } ? { readonly include: I }
    : GetCatalogCategoryBulkUpdateJobOptions
>

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
  /** What happened, in words. */
  readonly detail: string
  /** The last snapshot seen, if any. */
  readonly last?: JobSnapshot<BulkJobAttributes> | undefined
  /** Klaviyo's answer that ended it (the 404), where there is one. */
  readonly cause?: unknown
}

const JobWatchErrorBase: TaggedErrorConstructor<"JobWatchError", JobWatchErrorFields> = Data.TaggedError(
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

/** The statuses after which a job never changes. */
const isFinal = (status: BulkJobStatus | undefined): boolean =>
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
interface Sample {
  readonly at: number
  readonly processed: number
}

/** How many recent samples the rate is measured over. */
const RATE_SAMPLES = 6

/**
 * Makes a job's counts sane and computes its progress; `samples` are the recent observations of
 * the processed count while the job ran (oldest first), for the rate and the time left, and
 * `at`, when given, counts this observation among them.
 */
export const jobProgress = (
  job: Pick<BulkJobAttributes, "status" | "total_count" | "completed_count" | "failed_count">,
  samples: ReadonlyArray<Sample> = [],
  at?: number,
): JobProgress => {
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

/** The bounds of the default schedule, in milliseconds. */
interface Bounds {
  readonly min: number
  readonly max: number
}

/**
 * The default schedule's next delay: `min` after a change when there is no rate yet; about 5%
 * of the job at the observed rate (never past the estimated end) while it moves; doubling from
 * `min` up to `max` for each poll in a row that saw nothing move.
 */
export const pollDelay = (
  progress: JobProgress,
  unchanged: number,
  bounds: Bounds,
): number => {
  const clamp = (millis: number) => Math.min(bounds.max, Math.max(bounds.min, millis))
  if (unchanged > 0) return clamp(bounds.min * 2 ** Math.min(unchanged, 30))
  if (progress.rate !== null && progress.rate > 0 && progress.remaining !== null) {
    const step = (1000 * progress.total) / 20 / progress.rate
    return clamp(Math.min(step, Duration.toMillis(progress.remaining)))
  }
  return bounds.min
}

/** What decides whether a snapshot is news: everything a watcher can see change. */
const changeKey = (job: BulkJobAttributes): string =>
  JSON.stringify([
    job.status,
    job.total_count,
    job.completed_count,
    job.failed_count,
    job.errors?.length ?? 0,
    job.completed_at?.getTime() ?? null,
    job.expires_at?.getTime() ?? null,
  ])

const DEFAULT_MIN = Duration.seconds(1)
const DEFAULT_MAX = Duration.seconds(30)

const resolveBounds = (options: WatchCatalogCategoryBulkUpdateJobOptions): Bounds | InvalidRequest => {
  const read = (name: "min" | "max", input: Duration.Input | undefined, fallback: Duration.Duration) => {
    const value = input === undefined ? fallback : Option.getOrUndefined(Duration.fromInput(input))
    return value !== undefined && Duration.isFinite(value) && Duration.isGreaterThan(value, Duration.zero)
      ? Duration.toMillis(value)
      : new InvalidRequest({
        input: "interval",
        reason: `interval.${name} must be a positive, finite duration`,
      })
  }
  const min = read("min", options.interval?.min, DEFAULT_MIN)
  if (min instanceof InvalidRequest) return min
  const max = read(
    "max",
    options.interval?.max,
    options.interval?.min === undefined
      ? DEFAULT_MAX
      : Duration.millis(Math.max(min, Duration.toMillis(DEFAULT_MAX))),
  )
  if (max instanceof InvalidRequest) return max
  if (max < min) {
    return new InvalidRequest({
      input: "interval",
      reason: `interval.max (${max} ms) is shorter than interval.min (${min} ms)`,
    })
  }
  return { min, max }
}

type AnyJob = BulkJobAttributes & { readonly id: string; readonly type: string }
type WatchError = KlaviyoError | JobWatchError

/** The latest snapshot a poll made, emitted or not (for the deadline's error). */
interface LastPolled {
  last: JobSnapshot<AnyJob> | undefined
}

/** One job's polls: each fetch, made into a snapshot; the stream of those worth emitting. */
const pollJob = (
  jobId: string,
  include: ReadonlyArray<"categories"> | undefined,
  bounds: Bounds,
  schedule: Schedule.Schedule<unknown, JobSnapshot<BulkJobAttributes>> | undefined,
  polled: LastPolled,
): Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient> =>
  Stream.unwrap(Effect.sync(() => {
    let polls = 0
    let unchanged = 0
    let lastKey: string | undefined
    let samples: ReadonlyArray<Sample> = []
    /** The snapshots that changed something since the poll before: the ones emitted. */
    const news = new WeakSet<JobSnapshot<AnyJob>>()
    const poll: Effect.Effect<JobSnapshot<AnyJob>, WatchError, KlaviyoClient> = Effect.gen(function* () {
      const job: AnyJob = yield* getCatalogCategoryBulkUpdateJob(
        jobId,
        include === undefined ? {} : { include },
      ).pipe(
        Effect.catchTag("KlaviyoApiError", (error): Effect.Effect<never, WatchError> => {
          const seen = polled.last
          if (error.status !== 404 || seen === undefined) return Effect.fail(error)
          return Effect.flatMap(Clock.currentTimeMillis, (now) => {
            const expiresAt = seen.job.expires_at
            const expired = expiresAt !== null && expiresAt !== undefined && expiresAt.getTime() <= now
            return Effect.fail(
              new JobWatchError({
                reason: expired ? "expired" : "gone",
                jobId,
                detail: expired
                  ? `Klaviyo answered 404: the job expired at ${expiresAt.toISOString()} while it was ${seen.job.status}`
                  : `Klaviyo answered 404 after ${seen.poll} poll${
                    seen.poll === 1 ? "" : "s"
                  } had seen the job ${seen.job.status}`,
                last: seen,
                cause: error,
              }),
            )
          })
        }),
      )
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
    const cadence: Schedule.Schedule<unknown, JobSnapshot<BulkJobAttributes>> = schedule ??
      Schedule.forever.pipe(
        Schedule.modifyDelay(({ input }) =>
          Effect.succeed(Duration.millis(pollDelay(input.progress, unchanged, bounds)))
        ),
      )
    return Stream.fromEffectSchedule(poll, cadence).pipe(
      Stream.filter((snapshot) => news.has(snapshot)),
      Stream.takeUntil((snapshot) => isFinal(snapshot.job.status)),
    )
  }))

/** A shared poll: the stream every watcher of the same key reads, and how many do. */
interface SharedPoll {
  readonly stream: Stream.Stream<JobSnapshot<AnyJob>, WatchError>
  readonly scope: Scope.Closeable
  readonly polled: LastPolled
  watchers: number
}

/** Shared polls by client, then by job, `include` and intervals. */
const sharedPolls = new WeakMap<KlaviyoClientShape, Map<string, SharedPoll>>()
/** Joining and leaving shared polls go one at a time, so that two watchers never start two polls. */
const registry = Semaphore.makeUnsafe(1)

/** Takes a poll out of the registry (once it failed, or its last watcher left): the next watcher starts afresh. */
const detach = (client: KlaviyoClientShape, key: string, entry: SharedPoll): void => {
  const polls = sharedPolls.get(client)
  if (polls?.get(key) === entry) polls.delete(key)
}

const joinShared = (
  client: KlaviyoClientShape,
  key: string,
  source: (polled: LastPolled) => Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient>,
): Effect.Effect<SharedPoll, never, Scope.Scope> =>
  Effect.acquireRelease(
    registry.withPermits(1)(Effect.gen(function* () {
      let polls = sharedPolls.get(client)
      if (polls === undefined) {
        polls = new Map()
        sharedPolls.set(client, polls)
      }
      const existing = polls.get(key)
      if (existing !== undefined) {
        existing.watchers++
        return existing
      }
      const scope = yield* Scope.make()
      const polled: LastPolled = { last: undefined }
      const entry: { -readonly [K in keyof SharedPoll]: SharedPoll[K] } = {
        stream: Stream.empty,
        scope,
        polled,
        watchers: 1,
      }
      entry.stream = yield* Stream.share(
        source(polled).pipe(
          Stream.provideService(KlaviyoClient, client),
          // A failed poll is not handed to watchers who join later: they start a new one.
          Stream.tapError(() => Effect.sync(() => detach(client, key, entry))),
        ),
        { capacity: "unbounded", replay: 1 },
      ).pipe(Scope.provide(scope))
      polls.set(key, entry)
      return entry
    })),
    (entry) =>
      registry.withPermits(1)(Effect.gen(function* () {
        entry.watchers--
        if (entry.watchers > 0) return
        detach(client, key, entry)
        yield* Scope.close(entry.scope, Exit.void)
      })),
  )

/**
 * Watches a catalog category bulk update job: a `Stream` of snapshots, each emitted when
 * something a person would see changed (status, counts, errors, completion), ending after the
 * snapshot that shows the job `complete` or `cancelled`.
 *
 * Each snapshot carries the job and its progress: completed, failed, total, percent, the rate
 * and an estimate of the time left, made sane when the counts are not. Polls are ordinary
 * calls: they share the client's rate-limit budget and retry policy, and fail as calls fail.
 * A job that answers 404 after it was seen ends the stream with a {@link JobWatchError}
 * (`gone`, or `expired` past its `expires_at`); `deadline` bounds the whole watch.
 *
 * Watchers of the same job with the same `include` and intervals, on the same client, share
 * one poll; one that joins late starts from the latest snapshot.
 *
 * @example
 * ```ts
 * import { Console, Effect, Stream } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { KlaviyoClient, watchCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = watchCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH").pipe(
 *   Stream.runForEach(({ job, progress }) =>
 *     Console.log(`${job.status} ${progress.percent.toFixed(0)}% (${progress.failed} failed)`)
 *   ),
 *   Effect.provide(KlaviyoClient.layerConfig()),
 *   Effect.provide(FetchHttpClient.layer),
 * )
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export const watchCatalogCategoryBulkUpdateJob = <
  const O extends WatchCatalogCategoryBulkUpdateJobOptions = WatchCatalogCategoryBulkUpdateJobOptions,
>(
  jobId: string,
  options?: O,
): Stream.Stream<JobSnapshot<WatchedJob<O>>, KlaviyoError | JobWatchError, KlaviyoClient> =>
  Stream.unwrap(Effect.gen(function* () {
    const client = yield* Effect.service(KlaviyoClient)
    const settings: WatchCatalogCategoryBulkUpdateJobOptions = options ?? {}
    const bounds = resolveBounds(settings)
    if (bounds instanceof InvalidRequest) return yield* bounds
    let deadline: number | undefined
    if (settings.deadline !== undefined) {
      const value = Option.getOrUndefined(Duration.fromInput(settings.deadline))
      if (value === undefined || !Duration.isGreaterThan(value, Duration.zero)) {
        return yield* new InvalidRequest({
          input: "deadline",
          reason: "the watch's deadline must be a positive duration",
        })
      }
      deadline = Duration.isFinite(value) ? Duration.toMillis(value) : undefined
    }
    const include = settings.include === undefined || settings.include.length === 0
      ? undefined
      : settings.include
    let polled: LastPolled = { last: undefined }
    let stream: Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient>
    if (settings.schedule === undefined) {
      const key = JSON.stringify([jobId, include ?? [], bounds.min, bounds.max])
      const shared = yield* joinShared(
        client,
        key,
        (holder) => pollJob(jobId, include, bounds, undefined, holder),
      )
      polled = shared.polled
      stream = shared.stream
    } else {
      stream = pollJob(jobId, include, bounds, settings.schedule, polled)
    }
    if (deadline !== undefined) {
      const millis = deadline
      stream = stream.pipe(
        Stream.interruptWhen(
          Effect.sleep(Duration.millis(millis)).pipe(
            Effect.andThen(Effect.suspend(() => {
              const last = polled.last
              return Effect.fail(
                new JobWatchError({
                  reason: "deadline",
                  jobId,
                  detail: `the job was still ${last?.job.status ?? "unseen"} when the watch's deadline of ${
                    Duration.format(Duration.millis(millis))
                  } passed`,
                  last,
                }),
              )
            })),
          ),
        ),
      )
    }
    // A watch's own errors hold the last snapshot (Klaviyo's data) and the call's error: they
    // leave through the client's scrubber, as every call's errors do.
    return stream.pipe(Stream.mapError(client.redact)) as unknown as Stream.Stream<
      JobSnapshot<WatchedJob<O>>,
      WatchError,
      KlaviyoClient
    >
  }))

/**
 * Waits for a catalog category bulk update job to end and returns it as it ended (`complete`
 * or `cancelled`): {@link watchCatalogCategoryBulkUpdateJob}'s last snapshot.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { awaitCatalogCategoryBulkUpdateJob, KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* awaitCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { deadline: "30 minutes" })
 *   if (job.status === "cancelled" || (job.failed_count ?? 0) > 0) yield* Effect.logWarning(job.errors)
 * }).pipe(Effect.provide(KlaviyoClient.layerConfig()), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category watch
 */
export const awaitCatalogCategoryBulkUpdateJob = <
  const O extends WatchCatalogCategoryBulkUpdateJobOptions = WatchCatalogCategoryBulkUpdateJobOptions,
>(
  jobId: string,
  options?: O,
): Effect.Effect<WatchedJob<O>, KlaviyoError | JobWatchError, KlaviyoClient> =>
  Effect.flatMap(
    Stream.runLast(watchCatalogCategoryBulkUpdateJob(jobId, options)),
    (last): Effect.Effect<WatchedJob<O>, JobWatchError, KlaviyoClient> =>
      Option.isSome(last) && isFinal((last.value.job as unknown as BulkJobAttributes).status)
        ? Effect.succeed(last.value.job)
        : Effect.flatMap(Effect.service(KlaviyoClient), (client) =>
          Effect.fail(client.redact(
            new JobWatchError({
              reason: "stopped",
              jobId,
              detail: "the polling schedule ended before the job did",
              last: Option.getOrUndefined(last) as JobSnapshot<BulkJobAttributes> | undefined,
            }),
          ))),
  )
