/**
 * # @effect-klaviyo/catalog-jobs
 *
 * An Effect-native client for Klaviyo's catalog bulk-job API: for items, variants and
 * categories, POST a job (`bulkCreateCatalogItems`, ...), GET a job
 * (`getCatalogCategoryBulkUpdateJob`, ...) and list jobs (`listCatalogItemBulkCreateJobs`, ...),
 * 27 operations, each a row of one table; watch any job to its end (`watchBulkJob`,
 * `awaitBulkJob`), polling through its type's GET.
 *
 * A call is a typed Effect pipeline: build the request (checked before anything is sent),
 * send it through `HttpClient` from `effect/http`, decode the JSON:API document with Schema
 * (shaped by the fields you ask for), and resolve `included` resources. It fails with one of
 * four tagged errors: `InvalidRequest`, `KlaviyoApiError`, `TransportError`, `DecodeError`.
 *
 * @example Effect, against the built-in simulator
 * ```ts
 * import { Effect } from "effect"
 * import {
 *   getCatalogCategoryBulkUpdateJob,
 *   KlaviyoClient,
 *   KlaviyoSimulator,
 *   SIMULATED_API_KEY,
 *   SIMULATED_JOB_ID,
 * } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
 *   fields: { "catalog-category-bulk-update-job": ["status", "completed_count", "total_count"] },
 *   include: ["categories"],
 * }).pipe(
 *   Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
 *   Effect.provide(KlaviyoSimulator.layer()),
 *   Effect.runPromise,
 * )
 * console.log(job.status, `${job.completed_count}/${job.total_count}`, job.categories.map((c) => c.name))
 * ```
 *
 * @example Promises, against the real API
 * ```ts
 * import { makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const klaviyo = makeKlaviyoClient({ apiKey: process.env.KLAVIYO_API_KEY ?? "" })
 * const job = await klaviyo.getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH")
 * await klaviyo.close()
 * ```
 *
 * @module
 */
export {
  type CatalogCategoryBulkUpdateJob,
  getCatalogCategoryBulkUpdateJob,
  type GetCatalogCategoryBulkUpdateJobOptions,
  type IncludedCategories,
  type JobBase,
  type SelectedCategoryFields,
  type SelectedJobAttributes,
  type UnresolvedReference,
} from "./src/catalog-category-bulk-update-job.ts"
export {
  getCatalogCategoryBulkCreateJob,
  getCatalogCategoryBulkDeleteJob,
  getCatalogItemBulkCreateJob,
  getCatalogItemBulkDeleteJob,
  getCatalogItemBulkUpdateJob,
  getCatalogVariantBulkCreateJob,
  getCatalogVariantBulkDeleteJob,
  getCatalogVariantBulkUpdateJob,
} from "./src/endpoints/table.ts"
export {
  bulkCreateCatalogCategories,
  bulkCreateCatalogItems,
  bulkCreateCatalogVariants,
  bulkDeleteCatalogCategories,
  bulkDeleteCatalogItems,
  bulkDeleteCatalogVariants,
  bulkUpdateCatalogCategories,
  bulkUpdateCatalogItems,
  bulkUpdateCatalogVariants,
} from "./src/endpoints/table-create.ts"
export {
  listCatalogCategoryBulkCreateJobs,
  listCatalogCategoryBulkDeleteJobs,
  listCatalogCategoryBulkUpdateJobs,
  listCatalogItemBulkCreateJobs,
  listCatalogItemBulkDeleteJobs,
  listCatalogItemBulkUpdateJobs,
  listCatalogVariantBulkCreateJobs,
  listCatalogVariantBulkDeleteJobs,
  listCatalogVariantBulkUpdateJobs,
} from "./src/endpoints/table-list.ts"
export {
  type CatalogCategoryCreateRecord,
  type CatalogCategoryUpdateRecord,
  type CatalogDeleteRecord,
  type CatalogItemCreateRecord,
  type CatalogItemUpdateRecord,
  type CatalogRecordPresentation,
  type CatalogVariantCreateRecord,
  type CatalogVariantUpdateRecord,
} from "./src/endpoints/records.ts"
export {
  type BulkJob,
  type BulkJobBase,
  type CatalogResources,
  type CreateJob,
  type CreateJobOptions,
  type FlatResourceOf,
  type GetJob,
  type GetJobOptions,
  type IncludedOf,
  type JobFieldsets,
  type JobRelationship,
  type JobRelationships,
  type ListJobs,
  type ListJobsOptions,
  type SelectedFields,
} from "./src/endpoints/types.ts"
export {
  type ApiRequest,
  type ApiResponse,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  klaviyoClientConfig,
  type KlaviyoClientOptions,
  type KlaviyoClientShape,
  type LimitClass,
  type Secret,
} from "./src/client.ts"
export {
  DecodeError,
  type DecodeErrorFields,
  type DecodeIssue,
  type InvalidInput,
  InvalidRequest,
  type InvalidRequestFields,
  type JsonApiErrorObject,
  KlaviyoApiError,
  type KlaviyoApiErrorFields,
  type KlaviyoError,
  type TaggedErrorConstructor,
  TransportError,
  type TransportErrorFields,
  type TransportFailure,
} from "./src/errors.ts"
export {
  type CallOptions,
  type KlaviyoPromiseClient,
  makeKlaviyoClient,
  type MakeKlaviyoClientOptions,
  type OwnBudget,
} from "./src/promise.ts"
export { type KlaviyoBudget, makeKlaviyoBudget } from "./src/promise-budget.ts"
export { type PromiseMethod, type PromiseTable } from "./src/promise-table.ts"
export {
  type KlaviyoLogEntry,
  type KlaviyoLogger,
  type KlaviyoLogLevel,
  type PromiseLogOptions,
} from "./src/promise-log.ts"
export {
  type BulkJobAttributes,
  type BulkJobError,
  type BulkJobField,
  type BulkJobSchemaFields,
  type BulkJobStatus,
  type CatalogCategory,
  type CatalogCategoryAttributes,
  type CatalogCategoryField,
  type CatalogCategorySchemaFields,
  type CatalogItem,
  type CatalogItemAttributes,
  type CatalogItemField,
  type CatalogItemSchemaFields,
  type CatalogProductSchemaFields,
  type CatalogVariant,
  type CatalogVariantAttributes,
  type CatalogVariantField,
  type CatalogVariantSchemaFields,
} from "./src/resources.ts"
export {
  RateLimitBudget,
  type RateLimitBudgetOptions,
  type RateLimitBudgetShape,
  rateLimitClasses,
  type RateLimitClassLimits,
  type RateLimitClassOptions,
  type RateLimitOptions,
  type RateLimitWindow,
} from "./src/rate-limit.ts"
export {
  type AttemptFailure,
  backoffDelay,
  defaultRetrySettings,
  type DelaySource,
  type RetryDecision,
  retryDecision,
  type RetryOptions,
  type RetryPolicy,
  type RetrySettings,
} from "./src/retry.ts"
export { DEFAULT_REVISION, parseRevision, type Revision } from "./src/revision.ts"
export {
  KLAVIYO_RATE_LIMITS,
  type KlaviyoModel,
  KlaviyoSimulator,
  type KlaviyoSimulatorApi,
  type KlaviyoSimulatorOptions,
  makeKlaviyoModel,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
  SIMULATED_JOB_IDS,
  type SimulatedCategory,
  type SimulatedFailRecords,
  type SimulatedFault,
  type SimulatedFaultTarget,
  type SimulatedItem,
  type SimulatedJob,
  type SimulatedJobProgress,
  type SimulatedJobType,
  type SimulatedLimits,
  type SimulatedProcessing,
  type SimulatedRateLimit,
  type SimulatedRateLimits,
  type SimulatedRecord,
  type SimulatedRoute,
  type SimulatedVariant,
  type SimulatorRequest,
  type SimulatorResponse,
  type SimulatorStats,
} from "./src/simulator/mod.ts"
export {
  awaitBulkJob,
  awaitCatalogCategoryBulkUpdateJob,
  type BulkJobGetRow,
  type BulkJobIncludes,
  type BulkJobRef,
  type BulkJobType,
  type JobProgress,
  type JobSnapshot,
  JobWatchError,
  type JobWatchErrorFields,
  type JobWatchFailure,
  watchBulkJob,
  type WatchBulkJobOptions,
  watchCatalogCategoryBulkUpdateJob,
  type WatchCatalogCategoryBulkUpdateJobOptions,
  type WatchedBulkJob,
  type WatchedJob,
  type WatchedJobField,
  type WatchedJobView,
  type WatchTiming,
} from "./src/watch.ts"
export { type BulkWriteKind, type BulkWriteRecordOf, type BulkWriteRecords } from "./src/bulk-write/kind.ts"
export {
  type BulkWriteFailed,
  type BulkWriteJobErrors,
  type BulkWriteOutcome,
  type BulkWriteReport,
  type BulkWriteSucceeded,
  type BulkWriteUnknown,
} from "./src/bulk-write/outcome.ts"
export { failedRecordLine, failedRecordLines, readFailedRecords } from "./src/bulk-write/failed-file.ts"
export { bulkWrite, type BulkWriteInput, type BulkWriteOptions } from "./src/bulk-write/write.ts"
export { bulkWriteRecordFromText } from "./src/bulk-write/text-record.ts"
export {
  type BulkWriteDone,
  type BulkWriteEvent,
  type BulkWriteProgress,
  bulkWriteStream,
  type BulkWriteStreamOptions,
} from "./src/bulk-write/progress.ts"
export { InFlightCap, type InFlightCapOptions, type InFlightCapShape } from "./src/bulk-write/in-flight.ts"
export { BulkWriteEngine, type BulkWriteEngineOptions } from "./src/bulk-write/engine.ts"

/**
 * A job as `getCatalogCategoryBulkUpdateJob` returns it without options (the name the library's
 * design documents use).
 *
 * @example
 * ```ts
 * import type { Job } from "@effect-klaviyo/catalog-jobs"
 *
 * const summary = (job: Job): string => `${job.id}: ${job.status}, ${job.completed_count ?? 0}/${job.total_count}`
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export type Job = import("./src/catalog-category-bulk-update-job.ts").CatalogCategoryBulkUpdateJob
