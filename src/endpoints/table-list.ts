/**
 * The table's list operations: one row each, everything else derived. Rate-limit classes are
 * the spec's `x-klaviyo-ratelimit` for revision 2026-07-15.
 *
 * @module
 */
import { list } from "./list.ts"
import type { ListJobs } from "./types.ts"

/**
 * "Get Bulk Create Catalog Items Jobs": `GET /api/catalog-item-bulk-create-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogItemBulkCreateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogItemBulkCreateJobs({ status: "processing", fields: { "catalog-item-bulk-create-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogItemBulkCreateJobs: ListJobs<"catalog-item-bulk-create-job"> = /* @__PURE__ */ list({
  operation: "listCatalogItemBulkCreateJobs",
  path: "/api/catalog-item-bulk-create-jobs",
  job: "catalog-item-bulk-create-job",
  limitClass: "jobs-write",
})

/**
 * "Get Bulk Update Catalog Items Jobs": `GET /api/catalog-item-bulk-update-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogItemBulkUpdateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogItemBulkUpdateJobs({ status: "processing", fields: { "catalog-item-bulk-update-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogItemBulkUpdateJobs: ListJobs<"catalog-item-bulk-update-job"> = /* @__PURE__ */ list({
  operation: "listCatalogItemBulkUpdateJobs",
  path: "/api/catalog-item-bulk-update-jobs",
  job: "catalog-item-bulk-update-job",
  limitClass: "jobs-write",
})

/**
 * "Get Bulk Delete Catalog Items Jobs": `GET /api/catalog-item-bulk-delete-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogItemBulkDeleteJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogItemBulkDeleteJobs({ status: "processing", fields: { "catalog-item-bulk-delete-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogItemBulkDeleteJobs: ListJobs<"catalog-item-bulk-delete-job"> = /* @__PURE__ */ list({
  operation: "listCatalogItemBulkDeleteJobs",
  path: "/api/catalog-item-bulk-delete-jobs",
  job: "catalog-item-bulk-delete-job",
  limitClass: "jobs-read",
})

/**
 * "Get Bulk Create Catalog Variants Jobs": `GET /api/catalog-variant-bulk-create-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogVariantBulkCreateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogVariantBulkCreateJobs({ status: "processing", fields: { "catalog-variant-bulk-create-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogVariantBulkCreateJobs: ListJobs<"catalog-variant-bulk-create-job"> =
  /* @__PURE__ */ list({
    operation: "listCatalogVariantBulkCreateJobs",
    path: "/api/catalog-variant-bulk-create-jobs",
    job: "catalog-variant-bulk-create-job",
    limitClass: "jobs-write",
  })

/**
 * "Get Bulk Update Catalog Variants Jobs": `GET /api/catalog-variant-bulk-update-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogVariantBulkUpdateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogVariantBulkUpdateJobs({ status: "processing", fields: { "catalog-variant-bulk-update-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogVariantBulkUpdateJobs: ListJobs<"catalog-variant-bulk-update-job"> =
  /* @__PURE__ */ list({
    operation: "listCatalogVariantBulkUpdateJobs",
    path: "/api/catalog-variant-bulk-update-jobs",
    job: "catalog-variant-bulk-update-job",
    limitClass: "jobs-write",
  })

/**
 * "Get Bulk Delete Catalog Variants Jobs": `GET /api/catalog-variant-bulk-delete-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogVariantBulkDeleteJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogVariantBulkDeleteJobs({ status: "processing", fields: { "catalog-variant-bulk-delete-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogVariantBulkDeleteJobs: ListJobs<"catalog-variant-bulk-delete-job"> =
  /* @__PURE__ */ list({
    operation: "listCatalogVariantBulkDeleteJobs",
    path: "/api/catalog-variant-bulk-delete-jobs",
    job: "catalog-variant-bulk-delete-job",
    limitClass: "jobs-read",
  })

/**
 * "Get Bulk Create Catalog Categories Jobs": `GET /api/catalog-category-bulk-create-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogCategoryBulkCreateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogCategoryBulkCreateJobs({ status: "processing", fields: { "catalog-category-bulk-create-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogCategoryBulkCreateJobs: ListJobs<"catalog-category-bulk-create-job"> =
  /* @__PURE__ */ list({
    operation: "listCatalogCategoryBulkCreateJobs",
    path: "/api/catalog-category-bulk-create-jobs",
    job: "catalog-category-bulk-create-job",
    limitClass: "jobs-read",
  })

/**
 * "Get Bulk Update Catalog Categories Jobs": `GET /api/catalog-category-bulk-update-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogCategoryBulkUpdateJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogCategoryBulkUpdateJobs({ status: "processing", fields: { "catalog-category-bulk-update-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogCategoryBulkUpdateJobs: ListJobs<"catalog-category-bulk-update-job"> =
  /* @__PURE__ */ list({
    operation: "listCatalogCategoryBulkUpdateJobs",
    path: "/api/catalog-category-bulk-update-jobs",
    job: "catalog-category-bulk-update-job",
    limitClass: "jobs-read",
  })

/**
 * "Get Bulk Delete Catalog Categories Jobs": `GET /api/catalog-category-bulk-delete-jobs`, every job as a `Stream`, page after
 * page (`links.next`), each page fetched only when the stream is pulled past the last one.
 * `status` filters (`filter=equals(status,'…')`); `fields` narrows the job's type.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { listCatalogCategoryBulkDeleteJobs } from "@effect-klaviyo/catalog-jobs"
 *
 * const running = listCatalogCategoryBulkDeleteJobs({ status: "processing", fields: { "catalog-category-bulk-delete-job": ["status", "total_count"] } }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect,
 * )
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const listCatalogCategoryBulkDeleteJobs: ListJobs<"catalog-category-bulk-delete-job"> =
  /* @__PURE__ */ list({
    operation: "listCatalogCategoryBulkDeleteJobs",
    path: "/api/catalog-category-bulk-delete-jobs",
    job: "catalog-category-bulk-delete-job",
    limitClass: "jobs-read",
  })
