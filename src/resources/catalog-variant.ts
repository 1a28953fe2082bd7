/**
 * The catalog variant resource (`catalog-variant`), as the spec's `CatalogVariantResponseObjectResource` describes
 * its attributes: every one may be `null` or absent. One Schema; the public types are derived
 * from it.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import type { ResourceSpec } from "../internal/jsonapi.ts"
import { UtcDateTime } from "../internal/schemas.ts"
import { catalogResource, nullable } from "./resource.ts"

/**
 * The Schema of each attribute of a catalog variant, as a type (the value the decoder uses has
 * this type); {@link CatalogVariantAttributes} is derived from it.
 *
 * @example
 * ```ts
 * import type { CatalogVariantSchemaFields } from "@effect-klaviyo/catalog-jobs"
 *
 * type ExternalIdSchema = CatalogVariantSchemaFields["external_id"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogVariantSchemaFields = {
  /** The ID of the catalog item variant in an external system. */
  readonly external_id: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** The title of the catalog item variant. */
  readonly title: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** A description of the catalog item variant. */
  readonly description: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** The SKU of the catalog item variant. */
  readonly sku: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /**
   * The variant's visibility in product feeds and blocks: `1` hides it when out of stock; `0`
   * or `2` show it whatever the inventory.
   */
  readonly inventory_policy: Schema.optionalKey<Schema.NullOr<Schema.Literals<readonly [0, 1, 2]>>>
  /** The quantity of the catalog item variant currently in stock. */
  readonly inventory_quantity: Schema.optionalKey<Schema.NullOr<Schema.Number>>
  /** This field can be used to set the price on the catalog item variant, which is what gets displayed for the item variant when included in emails. For most price-update use cases, you will also want to update the `price` on any parent items using the [Update Catalog Item Endpoint](https://developers.klaviyo.com/en/reference/update_catalog_item). */
  readonly price: Schema.optionalKey<Schema.NullOr<Schema.Number>>
  /** URL pointing to the location of the catalog item variant on your website. */
  readonly url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URL pointing to the location of a full image of the catalog item variant. */
  readonly image_full_url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URL pointing to the location of an image thumbnail of the catalog item variant. */
  readonly image_thumbnail_url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** List of URLs pointing to the locations of images of the catalog item variant. */
  readonly images: Schema.optionalKey<Schema.NullOr<Schema.$Array<Schema.String>>>
  /** Flat JSON blob to provide custom metadata about the catalog item variant. May not exceed 100kb. */
  readonly custom_metadata: Schema.optionalKey<Schema.NullOr<Schema.$Record<Schema.String, Schema.Unknown>>>
  /** Boolean value indicating whether the catalog item variant is published. */
  readonly published: Schema.optionalKey<Schema.NullOr<Schema.Boolean>>
  /** Date and time when the catalog item  variant was created, in ISO 8601 format (YYYY-MM-DDTHH:MM:SS.mmmmmm). */
  readonly created: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
  /** Date and time when the catalog item variant was last updated, in ISO 8601 format (YYYY-MM-DDTHH:MM:SS.mmmmmm). */
  readonly updated: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
}

const variantFields: CatalogVariantSchemaFields = {
  external_id: nullable(Schema.String),
  title: nullable(Schema.String),
  description: nullable(Schema.String),
  sku: nullable(Schema.String),
  inventory_policy: nullable(Schema.Literals([0, 1, 2])),
  inventory_quantity: nullable(Schema.Number),
  price: nullable(Schema.Number),
  url: nullable(Schema.String),
  image_full_url: nullable(Schema.String),
  image_thumbnail_url: nullable(Schema.String),
  images: nullable(Schema.Array(Schema.String)),
  custom_metadata: nullable(Schema.Record(Schema.String, Schema.Unknown)),
  published: nullable(Schema.Boolean),
  created: Schema.optionalKey(Schema.NullOr(UtcDateTime)),
  updated: Schema.optionalKey(Schema.NullOr(UtcDateTime)),
}

/**
 * The attributes of a catalog variant, under their wire names; timestamps are UTC `Date`s.
 *
 * @example
 * ```ts
 * import type { CatalogVariantAttributes } from "@effect-klaviyo/catalog-jobs"
 *
 * const inStock = (variant: CatalogVariantAttributes): boolean => (variant.inventory_quantity ?? 0) > 0
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogVariantAttributes = Schema.Struct.Type<CatalogVariantSchemaFields>

/**
 * A name `fields[catalog-variant]` accepts (`id` only in revisions after 2023-10-15).
 *
 * @example
 * ```ts
 * import type { CatalogVariantField } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: ReadonlyArray<CatalogVariantField> = ["sku", "inventory_quantity"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogVariantField = keyof CatalogVariantAttributes | "id"

/**
 * A catalog variant, flat, with the attributes selected by `F` (all by default).
 *
 * @example
 * ```ts
 * import type { CatalogVariant } from "@effect-klaviyo/catalog-jobs"
 *
 * const variant: CatalogVariant<"sku"> = { type: "catalog-variant", id: "$custom:::$default:::SHIRT-1-M", sku: "OBS-MD" }
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogVariant<F extends CatalogVariantField = CatalogVariantField> =
  & { readonly type: "catalog-variant"; readonly id: string }
  & Pick<CatalogVariantAttributes, Extract<F, keyof CatalogVariantAttributes>>

/** The spec of the catalog-variant resource, for the decoder. */
export const variantResource: ResourceSpec = catalogResource("catalog-variant", variantFields)
