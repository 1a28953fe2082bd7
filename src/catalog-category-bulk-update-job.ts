/**
 * "Get Update Categories Job": `GET /api/catalog-category-bulk-update-jobs/{job_id}`.
 *
 * @module
 */
import type * as Effect from "effect/Effect"
import type { KlaviyoClient } from "./client.ts"
import type { KlaviyoError } from "./errors.ts"
import type { UnresolvedReference } from "./internal/jsonapi.ts"
import { type GetEndpoint, getResource } from "./internal/pipeline.ts"
import {
  type BulkJobAttributes,
  type BulkJobField,
  bulkJobResource,
  type CatalogCategory,
  type CatalogCategoryField,
  catalogCategoryResource,
} from "./resources.ts"

export type { UnresolvedReference } from "./internal/jsonapi.ts"

/**
 * The endpoint, declared: everything the generic pipeline needs to know about it.
 */
const endpoint: GetEndpoint = {
  operation: "getCatalogCategoryBulkUpdateJob",
  collectionPath: "/api/catalog-category-bulk-update-jobs",
  resource: bulkJobResource("catalog-category-bulk-update-job"),
  includes: { categories: catalogCategoryResource },
}

/**
 * The options of {@link getCatalogCategoryBulkUpdateJob}: sparse fieldsets and `include`,
 * under the names Klaviyo's spec gives them. Field names are checked against the revision
 * before anything is sent.
 *
 * @example
 * ```ts
 * import type { GetCatalogCategoryBulkUpdateJobOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: GetCatalogCategoryBulkUpdateJobOptions = {
 *   fields: { "catalog-category-bulk-update-job": ["status", "completed_count"], "catalog-category": ["name"] },
 *   include: ["categories"],
 * }
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export interface GetCatalogCategoryBulkUpdateJobOptions {
  /** Sparse fieldsets: only these attributes are requested, decoded and typed. */
  readonly fields?: {
    readonly "catalog-category-bulk-update-job"?: ReadonlyArray<BulkJobField>
    readonly "catalog-category"?: ReadonlyArray<CatalogCategoryField>
  }
  /** `["categories"]` resolves the job's categories from `included`. */
  readonly include?: ReadonlyArray<"categories">
}

/**
 * The attributes selected by the job fieldset of `O` (all of them without one).
 *
 * @example
 * ```ts
 * import type { SelectedJobAttributes } from "@effect-klaviyo/catalog-jobs"
 *
 * type OnlyStatus = SelectedJobAttributes<{ fields: { "catalog-category-bulk-update-job": ["status"] } }>
 * const attributes: OnlyStatus = { status: "processing" }
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export type SelectedJobAttributes<O extends GetCatalogCategoryBulkUpdateJobOptions> = O extends {
  readonly fields: { readonly "catalog-category-bulk-update-job": ReadonlyArray<infer F> }
} ? Pick<BulkJobAttributes, Extract<F, keyof BulkJobAttributes>>
  : BulkJobAttributes

/**
 * The category fields selected by the category fieldset of `O` (all of them without one).
 *
 * @example
 * ```ts
 * import type { SelectedCategoryFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const field: SelectedCategoryFields<{ fields: { "catalog-category": ["name"] } }> = "name"
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export type SelectedCategoryFields<O extends GetCatalogCategoryBulkUpdateJobOptions> = O extends {
  readonly fields: { readonly "catalog-category": ReadonlyArray<infer F extends CatalogCategoryField> }
} ? F
  : CatalogCategoryField

/**
 * What `include: ["categories"]` adds to the job: the categories, resolved from `included` in
 * relationship order, and the identifiers `included` did not hold (never dropped silently).
 *
 * @example
 * ```ts
 * import type { IncludedCategories } from "@effect-klaviyo/catalog-jobs"
 *
 * const included: IncludedCategories<"name"> = {
 *   categories: [{ type: "catalog-category", id: "$custom:::$default:::APPAREL", name: "Apparel" }],
 *   unresolved: [{ relationship: "categories", type: "catalog-category", id: "$custom:::$default:::GONE" }],
 * }
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export interface IncludedCategories<F extends CatalogCategoryField = CatalogCategoryField> {
  /** The job's categories, in the order of `relationships.categories`. */
  readonly categories: ReadonlyArray<CatalogCategory<F>>
  /** Identifiers named by a relationship whose resource `included` did not hold. */
  readonly unresolved: ReadonlyArray<UnresolvedReference>
}

/**
 * The job `getCatalogCategoryBulkUpdateJob(id, options)` returns for options `O`: `type`, `id`,
 * the selected attributes, and the categories when `include` asks for them.
 *
 * @example
 * ```ts
 * import type { CatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * type StatusOnly = CatalogCategoryBulkUpdateJob<{ fields: { "catalog-category-bulk-update-job": ["status"] } }>
 * const job: StatusOnly = { type: "catalog-category-bulk-update-job", id: "01GSQPBF74KQ5YTDEPP41T1BZH", status: "queued" }
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export type CatalogCategoryBulkUpdateJob<
  O extends GetCatalogCategoryBulkUpdateJobOptions = GetCatalogCategoryBulkUpdateJobOptions,
> = O extends { readonly include: ReadonlyArray<infer I> }
  ? "categories" extends I ? JobBase<O> & IncludedCategories<SelectedCategoryFields<O>> : JobBase<O>
  : JobBase<O>

/**
 * The part of a job every request gets: `type`, `id` and the selected attributes.
 *
 * @example
 * ```ts
 * import type { JobBase } from "@effect-klaviyo/catalog-jobs"
 *
 * const job: JobBase<{ fields: { "catalog-category-bulk-update-job": ["total_count"] } }> = {
 *   type: "catalog-category-bulk-update-job",
 *   id: "01GSQPBF74KQ5YTDEPP41T1BZH",
 *   total_count: 10,
 * }
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export type JobBase<O extends GetCatalogCategoryBulkUpdateJobOptions> =
  & { readonly type: "catalog-category-bulk-update-job"; readonly id: string }
  & SelectedJobAttributes<O>

/**
 * Fetches a catalog category bulk update job: builds the request (checking the id, the
 * fieldsets and `include` against the revision), sends it through the {@link KlaviyoClient},
 * decodes the JSON:API document and resolves the included categories.
 *
 * The result's type follows the options: with
 * `fields: { "catalog-category-bulk-update-job": ["status"] }` it has `status` and no
 * `total_count`; with `include: ["categories"]` it has `categories` and `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { getCatalogCategoryBulkUpdateJob, KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = Effect.gen(function*() {
 *   const job = yield* getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", {
 *     fields: { "catalog-category-bulk-update-job": ["status", "completed_count", "total_count"] },
 *     include: ["categories"],
 *   })
 *   console.log(job.status, job.categories.map((category) => category.name))
 * }).pipe(Effect.provide(KlaviyoClient.layerConfig()), Effect.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category catalog-category-bulk-update-job
 */
export const getCatalogCategoryBulkUpdateJob = <
  const O extends GetCatalogCategoryBulkUpdateJobOptions = GetCatalogCategoryBulkUpdateJobOptions,
>(
  jobId: string,
  options?: O,
): Effect.Effect<CatalogCategoryBulkUpdateJob<O>, KlaviyoError, KlaviyoClient> =>
  getResource(endpoint, jobId, options ?? {}) as Effect.Effect<
    CatalogCategoryBulkUpdateJob<O>,
    KlaviyoError,
    KlaviyoClient
  >
