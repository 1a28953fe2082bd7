/**
 * The one generic type family of the bulk-job endpoints: the options a call takes and the job it
 * returns, narrowed by `fields` (per JSON:API type) and `include`, for any of the 9 job types.
 *
 * @module
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import type { KlaviyoError } from "../errors.ts"
import type { UnresolvedReference } from "../internal/jsonapi.ts"
import type { BulkJobAttributes, BulkJobField, BulkJobStatus } from "../resources/bulk-job.ts"
import type { CatalogCategoryAttributes, CatalogCategoryField } from "../resources/catalog-category.ts"
import type { CatalogItemAttributes, CatalogItemField } from "../resources/catalog-item.ts"
import type { CatalogVariantAttributes, CatalogVariantField } from "../resources/catalog-variant.ts"

/**
 * The catalog resources a job can include, by JSON:API type: their attributes and the names
 * their fieldset accepts.
 *
 * @example
 * ```ts
 * import type { CatalogResources } from "@effect-klaviyo/catalog-jobs"
 *
 * type ItemTitle = CatalogResources["catalog-item"]["attributes"]["title"] // string | null | undefined
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogResources {
  /** A catalog item: its attributes and its fieldset's names. */
  readonly "catalog-item": { readonly attributes: CatalogItemAttributes; readonly field: CatalogItemField }
  /** A catalog variant: its attributes and its fieldset's names. */
  readonly "catalog-variant": {
    readonly attributes: CatalogVariantAttributes
    readonly field: CatalogVariantField
  }
  /** A catalog category: its attributes and its fieldset's names. */
  readonly "catalog-category": {
    readonly attributes: CatalogCategoryAttributes
    readonly field: CatalogCategoryField
  }
}

/**
 * What `include` accepts on create and update jobs, and the resource type each relationship
 * points to.
 *
 * @example
 * ```ts
 * import type { JobRelationships } from "@effect-klaviyo/catalog-jobs"
 *
 * const type: JobRelationships["items"] = "catalog-item"
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface JobRelationships {
  /** The items of an item create or update job. */
  readonly items: "catalog-item"
  /** The variants of a variant create or update job. */
  readonly variants: "catalog-variant"
  /** The categories of a category create or update job. */
  readonly categories: "catalog-category"
}

/**
 * A relationship name `include` may hold.
 *
 * @example
 * ```ts
 * import type { JobRelationship } from "@effect-klaviyo/catalog-jobs"
 *
 * const include: ReadonlyArray<JobRelationship> = ["items"]
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type JobRelationship = keyof JobRelationships

/**
 * The sparse fieldsets of a call on job type `T` that may include `I`: the job's fieldset and
 * that of each includable resource, under their JSON:API types.
 *
 * @example
 * ```ts
 * import type { JobFieldsets } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: JobFieldsets<"catalog-item-bulk-create-job", "items"> = {
 *   "catalog-item-bulk-create-job": ["status"],
 *   "catalog-item": ["title"],
 * }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type JobFieldsets<T extends string, I extends JobRelationship = never> =
  & { readonly [K in T]?: ReadonlyArray<BulkJobField> }
  & { readonly [K in JobRelationships[I]]?: ReadonlyArray<CatalogResources[K]["field"]> }

/**
 * The options of a GET of one job of type `T` (`I`: what it may include).
 *
 * @example
 * ```ts
 * import type { GetJobOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: GetJobOptions<"catalog-item-bulk-create-job", "items"> = {
 *   fields: { "catalog-item-bulk-create-job": ["status"], "catalog-item": ["title"] },
 *   include: ["items"],
 * }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface GetJobOptions<T extends string, I extends JobRelationship = never> {
  /** Sparse fieldsets: only these attributes are requested, decoded and typed. */
  readonly fields?: JobFieldsets<T, I>
  /** The relationships to resolve from `included` (create and update jobs only). */
  readonly include?: ReadonlyArray<I>
}

/**
 * The options of a list of jobs of type `T`.
 *
 * @example
 * ```ts
 * import type { ListJobsOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: ListJobsOptions<"catalog-item-bulk-create-job"> = { status: "processing" }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface ListJobsOptions<T extends string> {
  /** Only the jobs in this status (`filter=equals(status,'…')`). */
  readonly status?: BulkJobStatus
  /** The job's sparse fieldset. */
  readonly fields?: { readonly [K in T]?: ReadonlyArray<BulkJobField> }
}

/**
 * The names a fieldset of type `K` in options `O` selects, or `All` without one.
 *
 * @example
 * ```ts
 * import type { SelectedFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const field: SelectedFields<{ fields: { "catalog-item": ["title"] } }, "catalog-item", string> = "title"
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type SelectedFields<O, K extends string, All> = O extends {
  readonly fields: { readonly [P in K]: ReadonlyArray<infer F> }
} ? F & All
  : All

/**
 * A flat resource of JSON:API type `K` with the attributes `F` selects.
 *
 * @example
 * ```ts
 * import type { FlatResourceOf } from "@effect-klaviyo/catalog-jobs"
 *
 * const item: FlatResourceOf<"catalog-item", "title"> = { type: "catalog-item", id: "$custom:::$default:::SHIRT", title: "Shirt" }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type FlatResourceOf<
  K extends keyof CatalogResources,
  F extends string = CatalogResources[K]["field"],
> =
  & { readonly type: K; readonly id: string }
  & Pick<CatalogResources[K]["attributes"], Extract<F, keyof CatalogResources[K]["attributes"]>>

/**
 * What `include` adds to a job for options `O`: one list per included relationship, resolved
 * from `included` in relationship order, and the identifiers `included` did not hold.
 *
 * @example
 * ```ts
 * import type { IncludedOf } from "@effect-klaviyo/catalog-jobs"
 *
 * const included: IncludedOf<"items", { include: ["items"] }> = { items: [], unresolved: [] }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type IncludedOf<I extends JobRelationship, O> = O extends { readonly include: ReadonlyArray<infer J> }
  ? [J & I] extends [never] ? unknown
  :
    & {
      readonly [R in J & I]: ReadonlyArray<
        FlatResourceOf<
          JobRelationships[R],
          SelectedFields<O, JobRelationships[R], CatalogResources[JobRelationships[R]]["field"]>
        >
      >
    }
    & {
      /** Identifiers named by a relationship whose resource `included` did not hold. */
      readonly unresolved: ReadonlyArray<UnresolvedReference>
    }
  : unknown

/**
 * The part of a job every call returns: `type`, `id` and the attributes the job fieldset of
 * `O` selects (all of them without one).
 *
 * @example
 * ```ts
 * import type { BulkJobBase } from "@effect-klaviyo/catalog-jobs"
 *
 * const job: BulkJobBase<"catalog-item-bulk-create-job", { fields: { "catalog-item-bulk-create-job": ["status"] } }> = {
 *   type: "catalog-item-bulk-create-job",
 *   id: "01GSQPBF74KQ5YTDEPP41T1BZH",
 *   status: "queued",
 * }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type BulkJobBase<T extends string, O> =
  & { readonly type: T; readonly id: string }
  & Pick<BulkJobAttributes, Extract<SelectedFields<O, T, BulkJobField>, keyof BulkJobAttributes>>

/**
 * A job of type `T` as a call with options `O` returns it (`I`: what the endpoint may include).
 *
 * @example
 * ```ts
 * import type { BulkJob } from "@effect-klaviyo/catalog-jobs"
 *
 * type WithItems = BulkJob<"catalog-item-bulk-create-job", "items", { include: ["items"] }>
 * const titles = (job: WithItems) => job.items.map((item) => item.title)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type BulkJob<T extends string, I extends JobRelationship = never, O = GetJobOptions<T, I>> =
  & BulkJobBase<T, O>
  & IncludedOf<I, O>

/**
 * The type of a "get one job" function of the table.
 *
 * @example
 * ```ts
 * import type { GetJob } from "@effect-klaviyo/catalog-jobs"
 * import { getCatalogItemBulkCreateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const get: GetJob<"catalog-item-bulk-create-job", "items"> = getCatalogItemBulkCreateJob
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type GetJob<T extends string, I extends JobRelationship = never> = <
  const O extends GetJobOptions<T, I> = GetJobOptions<T, I>,
>(
  jobId: string,
  options?: O,
) => Effect.Effect<BulkJob<T, I, O>, KlaviyoError, KlaviyoClient>

/**
 * The type of a "list jobs" function of the table: every job, page after page, fetched as the
 * stream is pulled.
 *
 * @example
 * ```ts
 * import type { ListJobs } from "@effect-klaviyo/catalog-jobs"
 * import { listCatalogItemBulkCreateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const list: ListJobs<"catalog-item-bulk-create-job"> = listCatalogItemBulkCreateJobs
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type ListJobs<T extends string> = <const O extends ListJobsOptions<T> = ListJobsOptions<T>>(
  options?: O,
) => Stream.Stream<BulkJobBase<T, O>, KlaviyoError, KlaviyoClient>

/**
 * The options of a job-creating POST on job type `T`: the fieldset of the job it answers with.
 *
 * @example
 * ```ts
 * import type { CreateJobOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: CreateJobOptions<"catalog-item-bulk-create-job"> = { fields: { "catalog-item-bulk-create-job": ["status"] } }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CreateJobOptions<T extends string> {
  /** The job's sparse fieldset. */
  readonly fields?: { readonly [K in T]?: ReadonlyArray<BulkJobField> }
}

/**
 * The type of a job-creating POST of the table: 1 to 100 records of type `R` in, the created job
 * (`queued`) out.
 *
 * @example
 * ```ts
 * import type { CatalogItemCreateRecord, CreateJob } from "@effect-klaviyo/catalog-jobs"
 * import { bulkCreateCatalogItems } from "@effect-klaviyo/catalog-jobs"
 *
 * const post: CreateJob<"catalog-item-bulk-create-job", CatalogItemCreateRecord> = bulkCreateCatalogItems
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export type CreateJob<T extends string, R> = <const O extends CreateJobOptions<T> = CreateJobOptions<T>>(
  records: ReadonlyArray<R>,
  options?: O,
) => Effect.Effect<BulkJobBase<T, O>, KlaviyoError, KlaviyoClient>
