/**
 * The watch of any bulk job: a `Stream` of snapshots polled through the GET row of the job's
 * type, and the job as it ended as one `Effect`. Every other watch is this one.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { KlaviyoClient } from "../client.ts"
import { InvalidRequest, type KlaviyoError } from "../errors.ts"
import type { GetOptions } from "../internal/pipeline.ts"
import { isFinal } from "./progress.ts"
import { type LastPolled, pollJob, type PollPlan, type WatchError } from "./poll.ts"
import { type AnyJob, type BulkJobRef, type BulkJobType, resolveTarget } from "./rows.ts"
import { resolveBounds, resolveDeadline } from "./schedule.ts"
import { joinShared } from "./shared.ts"
import {
  type JobSnapshot,
  JobWatchError,
  type WatchBulkJobOptions,
  type WatchedBulkJob,
  watchedJobFields,
  type WatchTiming,
} from "./types.ts"

/** A watch's options, untyped by job type (the public functions narrow them). */
interface WatchSettings extends WatchTiming<never>, GetOptions {
  /** Internal (a bulk write's): aim the polls at the job's estimated end (see `Bounds.toEnd`). */
  readonly pollToEnd?: boolean
}

/** A job fieldset of the caller's (a non-empty array) gains the attributes the watch reads. */
const withWatchedFields = (type: string, fields: GetOptions["fields"]): GetOptions["fields"] => {
  const own: unknown = fields?.[type]
  if (fields === undefined || !Array.isArray(own) || own.length === 0) return fields
  return { ...fields, [type]: [...own, ...watchedJobFields.filter((name) => !own.includes(name))] }
}

/** The watch's plan, checked before anything is sent: the job, the request, the timing. */
const planWatch = (
  job: unknown,
  settings: WatchSettings,
): { readonly plan: PollPlan; readonly deadline: number | undefined } | InvalidRequest => {
  const target = resolveTarget(job)
  if (target instanceof InvalidRequest) return target
  const resolved = resolveBounds(settings)
  if (resolved instanceof InvalidRequest) return resolved
  const bounds = settings.pollToEnd === true ? { ...resolved, toEnd: true } : resolved
  const deadline = resolveDeadline(settings)
  if (deadline instanceof InvalidRequest) return deadline
  const request: GetOptions = {
    fields: withWatchedFields(target.type, settings.fields),
    include: settings.include,
  }
  const schedule = settings.schedule as PollPlan["schedule"]
  return { plan: { target, request, bounds, schedule }, deadline }
}

/** Reads the options, JavaScript callers' odd ones included: what cannot be read is refused. */
const readPlan = (job: unknown, settings: unknown): ReturnType<typeof planWatch> => {
  try {
    return planWatch(job, (settings ?? {}) as WatchSettings)
  } catch {
    return new InvalidRequest({ input: "job", reason: "the job or the watch's options could not be read" })
  }
}

/** Fails the stream with a `deadline` error once `millis` have passed. */
const withDeadline = (
  stream: Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient>,
  plan: PollPlan,
  millis: number,
  polled: LastPolled,
): Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient> =>
  stream.pipe(
    Stream.interruptWhen(
      Effect.sleep(Duration.millis(millis)).pipe(
        Effect.andThen(Effect.suspend(() => {
          const last = polled.last
          return Effect.fail(
            new JobWatchError({
              reason: "deadline",
              jobId: plan.target.id,
              jobType: plan.target.type,
              detail: `the job was still ${last?.job.status ?? "unseen"} when the watch's deadline of ${
                Duration.format(Duration.millis(millis))
              } passed`,
              last: last as JobWatchError["last"],
            }),
          )
        })),
      ),
    ),
  )

/** The watch of any job, untyped: what {@link watchBulkJob} and the category watch run. */
export const watchAny = (
  job: unknown,
  settings: unknown,
): Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient> =>
  Stream.unwrap(Effect.gen(function* () {
    const client = yield* KlaviyoClient
    const checked = readPlan(job, settings)
    if (checked instanceof InvalidRequest) return yield* Effect.fail(client.redact(checked))
    const { plan, deadline } = checked
    let polled: LastPolled = { last: undefined }
    let stream: Stream.Stream<JobSnapshot<AnyJob>, WatchError, KlaviyoClient>
    if (plan.schedule === undefined) {
      const shared = yield* joinShared(client, plan)
      polled = shared.polled
      stream = shared.stream
    } else {
      stream = pollJob(plan, polled)
    }
    if (deadline !== undefined) stream = withDeadline(stream, plan, deadline, polled)
    // A watch's own errors hold the last snapshot (Klaviyo's data) and the call's error: they
    // leave through the client's scrubber, as every call's errors do.
    return stream.pipe(Stream.mapError(client.redact))
  }))

/** The job a watch ended with: its last snapshot's, or a `stopped` error when the job had not ended. */
export const awaitAny = (job: unknown, settings: unknown): Effect.Effect<AnyJob, WatchError, KlaviyoClient> =>
  Effect.flatMap(
    Stream.runLast(watchAny(job, settings)),
    (last): Effect.Effect<AnyJob, JobWatchError, KlaviyoClient> =>
      Option.isSome(last) && isFinal(last.value.job.status)
        ? Effect.succeed(last.value.job)
        : Effect.flatMap(Effect.service(KlaviyoClient), (client) => {
          const { id, type } = job as BulkJobRef
          return Effect.fail(client.redact(
            new JobWatchError({
              reason: "stopped",
              jobId: id,
              jobType: type,
              detail: "the polling schedule ended before the job did",
              last: Option.getOrUndefined(last) as JobWatchError["last"],
            }),
          ))
        }),
  )

/**
 * Watches a catalog bulk job of any of the 9 types (anything with its `type` and `id`: the job
 * a POST such as `bulkCreateCatalogItems` answered with, a listed job): a `Stream` of
 * snapshots, each emitted when something a person would see changed (status, counts, errors,
 * completion), ending after the snapshot that shows the job `complete` or `cancelled`.
 *
 * Every poll is the GET of the job's type (`getCatalogItemBulkCreateJob`, ...), with the
 * `fields` and `include` given, typed for that type; a job fieldset of yours gains the
 * attributes the watch reads (status, counts, completion, expiry). Each snapshot carries the
 * job and its progress (completed, failed, total, percent, the rate and the time left, made
 * sane when the counts are not). Polls share the client's rate-limit budget and retry policy,
 * and fail as calls fail; a job that answers 404 after it was seen ends the stream with a
 * `JobWatchError` (`gone`, or `expired` past its `expires_at`); `deadline` bounds the whole
 * watch. An unknown `type`, or a job without an id, is an `InvalidRequest` before anything is
 * sent.
 *
 * Watchers of the same job (same type and id) with the same `fields`, `include` and intervals,
 * on the same client, share one poll; one that joins late starts from the latest snapshot.
 *
 * @example
 * ```ts
 * import { Console, Effect, Stream } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { bulkCreateCatalogItems, KlaviyoClient, watchBulkJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* bulkCreateCatalogItems([
 *     { external_id: "SHIRT", title: "Shirt", description: "A shirt", url: "https://example.com/shirt" },
 *   ])
 *   yield* watchBulkJob(job, { include: ["items"] }).pipe(
 *     Stream.runForEach(({ job, progress }) =>
 *       Console.log(`${job.status} ${progress.percent.toFixed(0)}%: ${job.items.length} items so far`)
 *     ),
 *   )
 * }).pipe(Effect.provide(KlaviyoClient.layerConfig()), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export const watchBulkJob = <
  T extends BulkJobType,
  const O extends WatchBulkJobOptions<T> = WatchBulkJobOptions<T>,
>(
  job: BulkJobRef<T>,
  options?: O,
): Stream.Stream<JobSnapshot<WatchedBulkJob<T, O>>, KlaviyoError | JobWatchError, KlaviyoClient> =>
  watchAny(job, options) as unknown as Stream.Stream<
    JobSnapshot<WatchedBulkJob<T, O>>,
    KlaviyoError | JobWatchError,
    KlaviyoClient
  >

/**
 * Waits for a catalog bulk job of any of the 9 types to end and returns it as it ended
 * (`complete` or `cancelled`): {@link watchBulkJob}'s last snapshot. A polling schedule of
 * your own that ends first fails it with a `JobWatchError` whose reason is `stopped`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { awaitBulkJob, bulkDeleteCatalogVariants, KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = Effect.gen(function*() {
 *   const posted = yield* bulkDeleteCatalogVariants([{ id: "$custom:::$default:::SHIRT-M" }])
 *   const job = yield* awaitBulkJob(posted, { deadline: "30 minutes" })
 *   if (job.status === "cancelled" || (job.failed_count ?? 0) > 0) yield* Effect.logWarning(job.errors)
 * }).pipe(Effect.provide(KlaviyoClient.layerConfig()), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export const awaitBulkJob = <
  T extends BulkJobType,
  const O extends WatchBulkJobOptions<T> = WatchBulkJobOptions<T>,
>(
  job: BulkJobRef<T>,
  options?: O,
): Effect.Effect<WatchedBulkJob<T, O>, KlaviyoError | JobWatchError, KlaviyoClient> =>
  awaitAny(job, options) as unknown as Effect.Effect<
    WatchedBulkJob<T, O>,
    KlaviyoError | JobWatchError,
    KlaviyoClient
  >
