/**
 * "Get Update Categories Job": `GET /api/catalog-category-bulk-update-jobs/{job_id}`, a row of
 * the table (`src/endpoints/table.ts`); its option and result types, named before the table
 * existed, are aliases of the generic ones.
 *
 * @module
 */
import type { BulkJob, BulkJobBase, GetJobOptions, IncludedOf, SelectedFields } from "./endpoints/types.ts"
import type { BulkJobAttributes, BulkJobField } from "./resources/bulk-job.ts"
import type { CatalogCategoryField } from "./resources/catalog-category.ts"

export { getCatalogCategoryBulkUpdateJob } from "./endpoints/table.ts"
export type { UnresolvedReference } from "./internal/jsonapi.ts"

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
export type GetCatalogCategoryBulkUpdateJobOptions = GetJobOptions<
  "catalog-category-bulk-update-job",
  "categories"
>

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
export type SelectedJobAttributes<O extends GetCatalogCategoryBulkUpdateJobOptions> = Pick<
  BulkJobAttributes,
  Extract<SelectedFields<O, "catalog-category-bulk-update-job", BulkJobField>, keyof BulkJobAttributes>
>

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
export type SelectedCategoryFields<O extends GetCatalogCategoryBulkUpdateJobOptions> = SelectedFields<
  O,
  "catalog-category",
  CatalogCategoryField
>

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
export type IncludedCategories<F extends CatalogCategoryField = CatalogCategoryField> = IncludedOf<
  "categories",
  {
    readonly include: readonly ["categories"]
    readonly fields: { readonly "catalog-category": ReadonlyArray<F> }
  }
>

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
> = BulkJob<"catalog-category-bulk-update-job", "categories", O>

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
export type JobBase<O extends GetCatalogCategoryBulkUpdateJobOptions> = BulkJobBase<
  "catalog-category-bulk-update-job",
  O
>
