/**
 * The table of the catalog bulk-job operations: one row each, everything else derived.
 * Rate-limit classes are the spec's `x-klaviyo-ratelimit` for revision 2026-07-15.
 *
 * @module
 */
import { categoryResource } from "../resources/catalog-category.ts"
import { itemResource } from "../resources/catalog-item.ts"
import { variantResource } from "../resources/catalog-variant.ts"
import { getOne } from "./define.ts"
import type { GetJob } from "./types.ts"

/**
 * "Get Create Items Job": `GET /api/catalog-item-bulk-create-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type). With `include: ["items"]` it carries `items` (resolved from `included`) and
 * `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogItemBulkCreateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogItemBulkCreateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-item-bulk-create-job": ["status", "completed_count", "total_count"] }, include: ["items"] }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogItemBulkCreateJob: GetJob<"catalog-item-bulk-create-job", "items"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogItemBulkCreateJob",
    path: "/api/catalog-item-bulk-create-jobs",
    job: "catalog-item-bulk-create-job",
    includes: { items: itemResource },
    limitClass: "jobs-write",
  })

/**
 * "Get Update Items Job": `GET /api/catalog-item-bulk-update-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type). With `include: ["items"]` it carries `items` (resolved from `included`) and
 * `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogItemBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogItemBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-item-bulk-update-job": ["status", "completed_count", "total_count"] }, include: ["items"] }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogItemBulkUpdateJob: GetJob<"catalog-item-bulk-update-job", "items"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogItemBulkUpdateJob",
    path: "/api/catalog-item-bulk-update-jobs",
    job: "catalog-item-bulk-update-job",
    includes: { items: itemResource },
    limitClass: "jobs-write",
  })

/**
 * "Get Delete Items Job": `GET /api/catalog-item-bulk-delete-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogItemBulkDeleteJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogItemBulkDeleteJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-item-bulk-delete-job": ["status", "completed_count", "total_count"] } }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogItemBulkDeleteJob: GetJob<"catalog-item-bulk-delete-job"> = /* @__PURE__ */ getOne({
  operation: "getCatalogItemBulkDeleteJob",
  path: "/api/catalog-item-bulk-delete-jobs",
  job: "catalog-item-bulk-delete-job",
  includes: {},
  limitClass: "jobs-read",
})

/**
 * "Get Create Variants Job": `GET /api/catalog-variant-bulk-create-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type). With `include: ["variants"]` it carries `variants` (resolved from `included`) and
 * `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogVariantBulkCreateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogVariantBulkCreateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-variant-bulk-create-job": ["status", "completed_count", "total_count"] }, include: ["variants"] }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogVariantBulkCreateJob: GetJob<"catalog-variant-bulk-create-job", "variants"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogVariantBulkCreateJob",
    path: "/api/catalog-variant-bulk-create-jobs",
    job: "catalog-variant-bulk-create-job",
    includes: { variants: variantResource },
    limitClass: "jobs-write",
  })

/**
 * "Get Update Variants Job": `GET /api/catalog-variant-bulk-update-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type). With `include: ["variants"]` it carries `variants` (resolved from `included`) and
 * `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogVariantBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogVariantBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-variant-bulk-update-job": ["status", "completed_count", "total_count"] }, include: ["variants"] }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogVariantBulkUpdateJob: GetJob<"catalog-variant-bulk-update-job", "variants"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogVariantBulkUpdateJob",
    path: "/api/catalog-variant-bulk-update-jobs",
    job: "catalog-variant-bulk-update-job",
    includes: { variants: variantResource },
    limitClass: "jobs-write",
  })

/**
 * "Get Delete Variants Job": `GET /api/catalog-variant-bulk-delete-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogVariantBulkDeleteJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogVariantBulkDeleteJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-variant-bulk-delete-job": ["status", "completed_count", "total_count"] } }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogVariantBulkDeleteJob: GetJob<"catalog-variant-bulk-delete-job"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogVariantBulkDeleteJob",
    path: "/api/catalog-variant-bulk-delete-jobs",
    job: "catalog-variant-bulk-delete-job",
    includes: {},
    limitClass: "jobs-read",
  })

/**
 * "Get Create Categories Job": `GET /api/catalog-category-bulk-create-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type). With `include: ["categories"]` it carries `categories` (resolved from `included`) and
 * `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkCreateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogCategoryBulkCreateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-category-bulk-create-job": ["status", "completed_count", "total_count"] }, include: ["categories"] }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogCategoryBulkCreateJob: GetJob<"catalog-category-bulk-create-job", "categories"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogCategoryBulkCreateJob",
    path: "/api/catalog-category-bulk-create-jobs",
    job: "catalog-category-bulk-create-job",
    includes: { categories: categoryResource },
    limitClass: "jobs-read",
  })

/**
 * "Get Update Categories Job": `GET /api/catalog-category-bulk-update-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type). With `include: ["categories"]` it carries `categories` (resolved from `included`) and
 * `unresolved`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-category-bulk-update-job": ["status", "completed_count", "total_count"] }, include: ["categories"] }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.1.0
 * @category bulk jobs
 */
export const getCatalogCategoryBulkUpdateJob: GetJob<"catalog-category-bulk-update-job", "categories"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogCategoryBulkUpdateJob",
    path: "/api/catalog-category-bulk-update-jobs",
    job: "catalog-category-bulk-update-job",
    includes: { categories: categoryResource },
    limitClass: "jobs-read",
  })

/**
 * "Get Delete Categories Job": `GET /api/catalog-category-bulk-delete-jobs/{job_id}`. The job's type follows `fields` (per
 * JSON:API type).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkDeleteJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const status = Effect.map(
 *   getCatalogCategoryBulkDeleteJob("01GSQPBF74KQ5YTDEPP41T1BZH", { fields: { "catalog-category-bulk-delete-job": ["status", "completed_count", "total_count"] } }),
 *   (job) => `${job.status}: ${job.completed_count ?? 0}/${job.total_count}`,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const getCatalogCategoryBulkDeleteJob: GetJob<"catalog-category-bulk-delete-job"> =
  /* @__PURE__ */ getOne({
    operation: "getCatalogCategoryBulkDeleteJob",
    path: "/api/catalog-category-bulk-delete-jobs",
    job: "catalog-category-bulk-delete-job",
    includes: {},
    limitClass: "jobs-read",
  })
