/**
 * The table's job-creating POSTs: one row each (create, update, delete x items, variants,
 * categories), everything else derived. All are in the `jobs-write` class (75/s, 750/m).
 *
 * @module
 */
import { create } from "./create.ts"
import {
  catalogCategoryCreate,
  type CatalogCategoryCreateRecord,
  catalogCategoryUpdate,
  type CatalogCategoryUpdateRecord,
  catalogDelete,
  type CatalogDeleteRecord,
  catalogItemCreate,
  type CatalogItemCreateRecord,
  catalogItemUpdate,
  type CatalogItemUpdateRecord,
  catalogVariantCreate,
  type CatalogVariantCreateRecord,
  catalogVariantUpdate,
  type CatalogVariantUpdateRecord,
} from "./records.ts"
import type { CreateJob } from "./types.ts"

/**
 * "Bulk Create Catalog Items": `POST /api/catalog-item-bulk-create-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkCreateCatalogItems } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkCreateCatalogItems([{ external_id: "SHIRT-1", title: "Shirt", description: "A blue shirt", url: "https://example.com/shirt" }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkCreateCatalogItems: CreateJob<"catalog-item-bulk-create-job", CatalogItemCreateRecord> =
  /* @__PURE__ */ create({
    operation: "bulkCreateCatalogItems",
    path: "/api/catalog-item-bulk-create-jobs",
    job: "catalog-item-bulk-create-job",
    resource: "catalog-item",
    collection: "items",
    shape: "create",
    get record() {
      return catalogItemCreate()
    },
    relationships: { categories: { type: "catalog-category", many: true } },
    limitClass: "jobs-write",
  })

/**
 * "Bulk Update Catalog Items": `POST /api/catalog-item-bulk-update-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkUpdateCatalogItems } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkUpdateCatalogItems([{ id: "$custom:::$default:::SHIRT-1", price: 39 }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkUpdateCatalogItems: CreateJob<"catalog-item-bulk-update-job", CatalogItemUpdateRecord> =
  /* @__PURE__ */ create({
    operation: "bulkUpdateCatalogItems",
    path: "/api/catalog-item-bulk-update-jobs",
    job: "catalog-item-bulk-update-job",
    resource: "catalog-item",
    collection: "items",
    shape: "update",
    get record() {
      return catalogItemUpdate()
    },
    relationships: { categories: { type: "catalog-category", many: true } },
    limitClass: "jobs-write",
  })

/**
 * "Bulk Delete Catalog Items": `POST /api/catalog-item-bulk-delete-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkDeleteCatalogItems } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkDeleteCatalogItems([{ id: "$custom:::$default:::SHIRT-1" }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkDeleteCatalogItems: CreateJob<"catalog-item-bulk-delete-job", CatalogDeleteRecord> =
  /* @__PURE__ */ create({
    operation: "bulkDeleteCatalogItems",
    path: "/api/catalog-item-bulk-delete-jobs",
    job: "catalog-item-bulk-delete-job",
    resource: "catalog-item",
    collection: "items",
    shape: "delete",
    get record() {
      return catalogDelete()
    },
    relationships: {},
    limitClass: "jobs-write",
  })

/**
 * "Bulk Create Catalog Variants": `POST /api/catalog-variant-bulk-create-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkCreateCatalogVariants } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkCreateCatalogVariants([{ external_id: "SHIRT-1-M", title: "Shirt, M", description: "Medium", sku: "SH-1-M", inventory_quantity: 5, price: 42, url: "https://example.com/shirt?size=m", item: "$custom:::$default:::SHIRT-1" }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkCreateCatalogVariants: CreateJob<
  "catalog-variant-bulk-create-job",
  CatalogVariantCreateRecord
> = /* @__PURE__ */ create({
  operation: "bulkCreateCatalogVariants",
  path: "/api/catalog-variant-bulk-create-jobs",
  job: "catalog-variant-bulk-create-job",
  resource: "catalog-variant",
  collection: "variants",
  shape: "create",
  get record() {
    return catalogVariantCreate()
  },
  relationships: { item: { type: "catalog-item", many: false } },
  limitClass: "jobs-write",
})

/**
 * "Bulk Update Catalog Variants": `POST /api/catalog-variant-bulk-update-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkUpdateCatalogVariants } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkUpdateCatalogVariants([{ id: "$custom:::$default:::SHIRT-1-M", inventory_quantity: 0 }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkUpdateCatalogVariants: CreateJob<
  "catalog-variant-bulk-update-job",
  CatalogVariantUpdateRecord
> = /* @__PURE__ */ create({
  operation: "bulkUpdateCatalogVariants",
  path: "/api/catalog-variant-bulk-update-jobs",
  job: "catalog-variant-bulk-update-job",
  resource: "catalog-variant",
  collection: "variants",
  shape: "update",
  get record() {
    return catalogVariantUpdate()
  },
  relationships: {},
  limitClass: "jobs-write",
})

/**
 * "Bulk Delete Catalog Variants": `POST /api/catalog-variant-bulk-delete-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkDeleteCatalogVariants } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkDeleteCatalogVariants([{ id: "$custom:::$default:::SHIRT-1-M" }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkDeleteCatalogVariants: CreateJob<"catalog-variant-bulk-delete-job", CatalogDeleteRecord> =
  /* @__PURE__ */ create({
    operation: "bulkDeleteCatalogVariants",
    path: "/api/catalog-variant-bulk-delete-jobs",
    job: "catalog-variant-bulk-delete-job",
    resource: "catalog-variant",
    collection: "variants",
    shape: "delete",
    get record() {
      return catalogDelete()
    },
    relationships: {},
    limitClass: "jobs-write",
  })

/**
 * "Bulk Create Catalog Categories": `POST /api/catalog-category-bulk-create-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkCreateCatalogCategories } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkCreateCatalogCategories([{ external_id: "APPAREL", name: "Apparel", items: ["$custom:::$default:::SHIRT-1"] }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkCreateCatalogCategories: CreateJob<
  "catalog-category-bulk-create-job",
  CatalogCategoryCreateRecord
> = /* @__PURE__ */ create({
  operation: "bulkCreateCatalogCategories",
  path: "/api/catalog-category-bulk-create-jobs",
  job: "catalog-category-bulk-create-job",
  resource: "catalog-category",
  collection: "categories",
  shape: "create",
  get record() {
    return catalogCategoryCreate()
  },
  relationships: { items: { type: "catalog-item", many: true } },
  limitClass: "jobs-write",
})

/**
 * "Bulk Update Catalog Categories": `POST /api/catalog-category-bulk-update-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkUpdateCatalogCategories } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkUpdateCatalogCategories([{ id: "$custom:::$default:::APPAREL", name: "Clothing" }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkUpdateCatalogCategories: CreateJob<
  "catalog-category-bulk-update-job",
  CatalogCategoryUpdateRecord
> = /* @__PURE__ */ create({
  operation: "bulkUpdateCatalogCategories",
  path: "/api/catalog-category-bulk-update-jobs",
  job: "catalog-category-bulk-update-job",
  resource: "catalog-category",
  collection: "categories",
  shape: "update",
  get record() {
    return catalogCategoryUpdate()
  },
  relationships: { items: { type: "catalog-item", many: true } },
  limitClass: "jobs-write",
})

/**
 * "Bulk Delete Catalog Categories": `POST /api/catalog-category-bulk-delete-jobs`, one job of 1 to 100 records (at most 5 MB),
 * each checked before sending. The answer is the created job (`queued`); watch it to its end.
 * Retried only after a 429 or a connection that never opened; after any other failure the
 * error has `jobMayExist: true`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkDeleteCatalogCategories } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = Effect.map(bulkDeleteCatalogCategories([{ id: "$custom:::$default:::APPAREL" }]), (job) => job.id)
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export const bulkDeleteCatalogCategories: CreateJob<"catalog-category-bulk-delete-job", CatalogDeleteRecord> =
  /* @__PURE__ */ create({
    operation: "bulkDeleteCatalogCategories",
    path: "/api/catalog-category-bulk-delete-jobs",
    job: "catalog-category-bulk-delete-job",
    resource: "catalog-category",
    collection: "categories",
    shape: "delete",
    get record() {
      return catalogDelete()
    },
    relationships: {},
    limitClass: "jobs-write",
  })
