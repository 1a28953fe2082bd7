/**
 * The records a job-creating POST takes, flat: for create the attributes under the spec's
 * names plus relationship ids (`categories: [id]` on an item, `items: [id]` on a category,
 * `item: id` on a variant); for update `id` plus what changes; for delete `id`. Each has a
 * Schema (checked against its type by the compiler) that validates a record before sending.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { lazy } from "../internal/lazy.ts"

/** A number JSON can carry (no NaN, no infinity). */
const Finite: () => Schema.Number = /* @__PURE__ */ lazy(() => Schema.Number.check(Schema.isFinite()))

/**
 * The optional attributes the records of items and variants share, alike for create and update
 * (each record type extends it; the schemas spread {@link presentation}).
 *
 * @example
 * ```ts
 * import type { CatalogRecordPresentation } from "@effect-klaviyo/catalog-jobs"
 *
 * const looks: CatalogRecordPresentation = { images: ["https://example.com/shirt.jpg"], published: true }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogRecordPresentation {
  /** A full image. */
  readonly image_full_url?: string | null
  /** A thumbnail. */
  readonly image_thumbnail_url?: string | null
  /** Image URLs. */
  readonly images?: ReadonlyArray<string> | null
  /** Flat custom metadata (at most 100 kB). */
  readonly custom_metadata?: { readonly [key: string]: unknown } | null
  /** Whether the item or variant is published. */
  readonly published?: boolean | null
}

/** The schemas of {@link CatalogRecordPresentation}'s attributes. */
const presentation = () => ({
  image_full_url: Schema.optionalKey(Schema.NullOr(Schema.String)),
  image_thumbnail_url: Schema.optionalKey(Schema.NullOr(Schema.String)),
  images: Schema.optionalKey(
    Schema.NullOr(Schema.Array(Schema.String)),
  ),
  custom_metadata: Schema.optionalKey(
    Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown)),
  ),
  published: Schema.optionalKey(Schema.NullOr(Schema.Boolean)),
})

/**
 * The record of an item to create (`bulkCreateCatalogItems`).
 *
 * @example
 * ```ts
 * import type { CatalogItemCreateRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogItemCreateRecord = { external_id: "SHIRT-1", title: "Shirt", description: "A blue shirt", url: "https://example.com/shirt", categories: ["$custom:::$default:::APPAREL"] }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogItemCreateRecord extends CatalogRecordPresentation {
  /** The item's id in your system. */
  readonly external_id: string
  /** The title. */
  readonly title: string
  /** A description. */
  readonly description: string
  /** Where the item is on your website. */
  readonly url: string
  /** The price shown in emails. */
  readonly price?: number | null
  /** The catalog (`$default`). */
  readonly catalog_type?: string | null
  /** The integration (`$custom`). */
  readonly integration_type?: "$custom" | null
  /** The ids of the categories the item belongs to (`relationships.categories`). */
  readonly categories?: ReadonlyArray<string>
}

/** The schema of {@link CatalogItemCreateRecord}, built on first use (not at import). */
export const catalogItemCreate: () => Schema.Codec<CatalogItemCreateRecord, unknown> = /* @__PURE__ */ lazy(
  () =>
    Schema.Struct({
      external_id: Schema.String,
      title: Schema.String,
      description: Schema.String,
      url: Schema.String,
      price: Schema.optionalKey(Schema.NullOr(Finite())),
      catalog_type: Schema.optionalKey(Schema.NullOr(Schema.String)),
      integration_type: Schema.optionalKey(
        Schema.NullOr(Schema.Literal("$custom")),
      ),
      ...presentation(),
      categories: Schema.optionalKey(Schema.Array(Schema.String)),
    }),
)

/**
 * The record of an item to update (`bulkUpdateCatalogItems`): its id and what changes.
 *
 * @example
 * ```ts
 * import type { CatalogItemUpdateRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogItemUpdateRecord = { id: "$custom:::$default:::SHIRT-1", price: 39 }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogItemUpdateRecord extends CatalogRecordPresentation {
  /** The item's id, `$custom:::$default:::SHIRT-1`. */
  readonly id: string
  /** The title. */
  readonly title?: string | null
  /** The price shown in emails. */
  readonly price?: number | null
  /** A description. */
  readonly description?: string | null
  /** Where the item is on your website. */
  readonly url?: string | null
  /** The ids of the item's categories (replaces them). */
  readonly categories?: ReadonlyArray<string>
}

/** The schema of {@link CatalogItemUpdateRecord}, built on first use (not at import). */
export const catalogItemUpdate: () => Schema.Codec<CatalogItemUpdateRecord, unknown> = /* @__PURE__ */ lazy(
  () =>
    Schema.Struct({
      id: Schema.String,
      title: Schema.optionalKey(Schema.NullOr(Schema.String)),
      price: Schema.optionalKey(Schema.NullOr(Finite())),
      description: Schema.optionalKey(Schema.NullOr(Schema.String)),
      url: Schema.optionalKey(Schema.NullOr(Schema.String)),
      ...presentation(),
      categories: Schema.optionalKey(Schema.Array(Schema.String)),
    }),
)

/**
 * The record of a variant to create (`bulkCreateCatalogVariants`).
 *
 * @example
 * ```ts
 * import type { CatalogVariantCreateRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogVariantCreateRecord = { external_id: "SHIRT-1-M", title: "Shirt, M", description: "Medium", sku: "SH-1-M", inventory_quantity: 5, price: 42, url: "https://example.com/shirt?size=m", item: "$custom:::$default:::SHIRT-1" }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogVariantCreateRecord extends CatalogRecordPresentation {
  /** The variant's id in your system. */
  readonly external_id: string
  /** The title. */
  readonly title: string
  /** A description. */
  readonly description: string
  /** The SKU. */
  readonly sku: string
  /** How many are in stock. */
  readonly inventory_quantity: number
  /** The price shown in emails. */
  readonly price: number
  /** Where the variant is on your website. */
  readonly url: string
  /** The catalog (`$default`). */
  readonly catalog_type?: string | null
  /** The integration (`$custom`). */
  readonly integration_type?: "$custom" | null
  /** `1` hides it from feeds when out of stock; `0` or `2` do not. */
  readonly inventory_policy?: 0 | 1 | 2 | null
  /** The id of the variant's item (`relationships.item`). */
  readonly item: string
}

/** The schema of {@link CatalogVariantCreateRecord}, built on first use (not at import). */
export const catalogVariantCreate: () => Schema.Codec<CatalogVariantCreateRecord, unknown> =
  /* @__PURE__ */ lazy(() =>
    Schema.Struct({
      external_id: Schema.String,
      title: Schema.String,
      description: Schema.String,
      sku: Schema.String,
      inventory_quantity: Finite(),
      price: Finite(),
      url: Schema.String,
      catalog_type: Schema.optionalKey(Schema.NullOr(Schema.String)),
      integration_type: Schema.optionalKey(
        Schema.NullOr(Schema.Literal("$custom")),
      ),
      inventory_policy: Schema.optionalKey(
        Schema.NullOr(Schema.Literals([0, 1, 2])),
      ),
      ...presentation(),
      item: Schema.String,
    })
  )

/**
 * The record of a variant to update (`bulkUpdateCatalogVariants`): its id and what changes.
 *
 * @example
 * ```ts
 * import type { CatalogVariantUpdateRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogVariantUpdateRecord = { id: "$custom:::$default:::SHIRT-1-M", inventory_quantity: 0 }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogVariantUpdateRecord extends CatalogRecordPresentation {
  /** The variant's id, `$custom:::$default:::SHIRT-1-M`. */
  readonly id: string
  /** The title. */
  readonly title?: string | null
  /** A description. */
  readonly description?: string | null
  /** The SKU. */
  readonly sku?: string | null
  /** `1` hides it from feeds when out of stock; `0` or `2` do not. */
  readonly inventory_policy?: 0 | 1 | 2 | null
  /** How many are in stock. */
  readonly inventory_quantity?: number | null
  /** The price shown in emails. */
  readonly price?: number | null
  /** Where the variant is on your website. */
  readonly url?: string | null
}

/** The schema of {@link CatalogVariantUpdateRecord}, built on first use (not at import). */
export const catalogVariantUpdate: () => Schema.Codec<CatalogVariantUpdateRecord, unknown> =
  /* @__PURE__ */ lazy(() =>
    Schema.Struct({
      id: Schema.String,
      title: Schema.optionalKey(Schema.NullOr(Schema.String)),
      description: Schema.optionalKey(Schema.NullOr(Schema.String)),
      sku: Schema.optionalKey(Schema.NullOr(Schema.String)),
      inventory_policy: Schema.optionalKey(
        Schema.NullOr(Schema.Literals([0, 1, 2])),
      ),
      inventory_quantity: Schema.optionalKey(Schema.NullOr(Finite())),
      price: Schema.optionalKey(Schema.NullOr(Finite())),
      url: Schema.optionalKey(Schema.NullOr(Schema.String)),
      ...presentation(),
    })
  )

/**
 * The record of a category to create (`bulkCreateCatalogCategories`).
 *
 * @example
 * ```ts
 * import type { CatalogCategoryCreateRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogCategoryCreateRecord = { external_id: "APPAREL", name: "Apparel" }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogCategoryCreateRecord {
  /** The category's id in your system. */
  readonly external_id: string
  /** The name. */
  readonly name: string
  /** The integration (`$custom`). */
  readonly integration_type?: "$custom" | null
  /** The catalog (`$default`). */
  readonly catalog_type?: string | null
  /** The ids of the items in the category (`relationships.items`). */
  readonly items?: ReadonlyArray<string>
}

/** The schema of {@link CatalogCategoryCreateRecord}, built on first use (not at import). */
export const catalogCategoryCreate: () => Schema.Codec<CatalogCategoryCreateRecord, unknown> =
  /* @__PURE__ */ lazy(() =>
    Schema.Struct({
      external_id: Schema.String,
      name: Schema.String,
      integration_type: Schema.optionalKey(
        Schema.NullOr(Schema.Literal("$custom")),
      ),
      catalog_type: Schema.optionalKey(Schema.NullOr(Schema.String)),
      items: Schema.optionalKey(Schema.Array(Schema.String)),
    })
  )

/**
 * The record of a category to update (`bulkUpdateCatalogCategories`): its id and what changes.
 *
 * @example
 * ```ts
 * import type { CatalogCategoryUpdateRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogCategoryUpdateRecord = { id: "$custom:::$default:::APPAREL", name: "Clothing" }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogCategoryUpdateRecord {
  /** The category's id, `$custom:::$default:::APPAREL`. */
  readonly id: string
  /** The name. */
  readonly name?: string | null
  /** The ids of the category's items (replaces them). */
  readonly items?: ReadonlyArray<string>
}

/** The schema of {@link CatalogCategoryUpdateRecord}, built on first use (not at import). */
export const catalogCategoryUpdate: () => Schema.Codec<CatalogCategoryUpdateRecord, unknown> =
  /* @__PURE__ */ lazy(() =>
    Schema.Struct({
      id: Schema.String,
      name: Schema.optionalKey(Schema.NullOr(Schema.String)),
      items: Schema.optionalKey(Schema.Array(Schema.String)),
    })
  )

/**
 * The record of an item, variant or category to delete (`bulkDeleteCatalogItems`, ...): its id.
 *
 * @example
 * ```ts
 * import type { CatalogDeleteRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: CatalogDeleteRecord = { id: "$custom:::$default:::SHIRT-1" }
 * ```
 *
 * @since 0.2.0
 * @category bulk jobs
 */
export interface CatalogDeleteRecord {
  /** The id, `$custom:::$default:::SHIRT-1`. */
  readonly id: string
}

/** The schema of {@link CatalogDeleteRecord}, built on first use (not at import). */
export const catalogDelete: () => Schema.Codec<CatalogDeleteRecord, unknown> = /* @__PURE__ */ lazy(() =>
  Schema.Struct({
    id: Schema.String,
  })
)
