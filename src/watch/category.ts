/**
 * The watch of a catalog category bulk update job, as it was before every job type could be
 * watched: a specialisation of `watchBulkJob` under its own names and types.
 *
 * @module
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type {
  CatalogCategoryBulkUpdateJob,
  GetCatalogCategoryBulkUpdateJobOptions,
} from "../catalog-category-bulk-update-job.ts"
import type { KlaviyoClient } from "../client.ts"
import type { KlaviyoError } from "../errors.ts"
import type { BulkJobAttributes } from "../resources/bulk-job.ts"
import type { JobSnapshot, JobWatchError, WatchTiming } from "./types.ts"
import { awaitAny, watchAny } from "./watch.ts"

const JOB_TYPE = "catalog-category-bulk-update-job"

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
export interface WatchCatalogCategoryBulkUpdateJobOptions extends WatchTiming<BulkJobAttributes> {
  /** `["categories"]` fetches the job's categories with every poll. */
  readonly include?: ReadonlyArray<"categories"> | undefined
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
 * Watches a catalog category bulk update job: a `Stream` of snapshots, each emitted when
 * something a person would see changed (status, counts, errors, completion), ending after the
 * snapshot that shows the job `complete` or `cancelled`. The same as `watchBulkJob` on
 * `{ type: "catalog-category-bulk-update-job", id: jobId }`.
 *
 * Each snapshot carries the job and its progress: completed, failed, total, percent, the rate
 * and an estimate of the time left, made sane when the counts are not. Polls are ordinary
 * calls: they share the client's rate-limit budget and retry policy, and fail as calls fail.
 * A job that answers 404 after it was seen ends the stream with a `JobWatchError`
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
  watchAny({ type: JOB_TYPE, id: jobId }, options) as unknown as Stream.Stream<
    JobSnapshot<WatchedJob<O>>,
    KlaviyoError | JobWatchError,
    KlaviyoClient
  >

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
  awaitAny({ type: JOB_TYPE, id: jobId }, options) as unknown as Effect.Effect<
    WatchedJob<O>,
    KlaviyoError | JobWatchError,
    KlaviyoClient
  >
