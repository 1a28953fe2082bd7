/**
 * The catalog item resource (`catalog-item`), as the spec's `CatalogItemResponseObjectResource` describes
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
 * The Schema of each attribute of a catalog item, as a type (the value the decoder uses has
 * this type); {@link CatalogItemAttributes} is derived from it.
 *
 * @example
 * ```ts
 * import type { CatalogItemSchemaFields } from "@effect-klaviyo/catalog-jobs"
 *
 * type ExternalIdSchema = CatalogItemSchemaFields["external_id"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogItemSchemaFields = {
  /** The ID of the catalog item in an external system. */
  readonly external_id: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** The title of the catalog item. */
  readonly title: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** A description of the catalog item. */
  readonly description: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** This field can be used to set the price on the catalog item, which is what gets displayed for the item when included in emails. For most price-update use cases, you will also want to update the `price` on any child variants, using the [Update Catalog Variant Endpoint](https://developers.klaviyo.com/en/reference/update_catalog_variant). */
  readonly price: Schema.optionalKey<Schema.NullOr<Schema.Number>>
  /** URL pointing to the location of the catalog item on your website. */
  readonly url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URL pointing to the location of a full image of the catalog item. */
  readonly image_full_url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URL pointing to the location of an image thumbnail of the catalog item */
  readonly image_thumbnail_url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** List of URLs pointing to the locations of images of the catalog item. */
  readonly images: Schema.optionalKey<Schema.NullOr<Schema.$Array<Schema.String>>>
  /** Flat JSON blob to provide custom metadata about the catalog item. May not exceed 100kb. */
  readonly custom_metadata: Schema.optionalKey<Schema.NullOr<Schema.$Record<Schema.String, Schema.Unknown>>>
  /** Boolean value indicating whether the catalog item is published. */
  readonly published: Schema.optionalKey<Schema.NullOr<Schema.Boolean>>
  /** Date and time when the catalog item was created, in ISO 8601 format (YYYY-MM-DDTHH:MM:SS.mmmmmm). */
  readonly created: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
  /** Date and time when the catalog item was last updated, in ISO 8601 format (YYYY-MM-DDTHH:MM:SS.mmmmmm). */
  readonly updated: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
}

const itemFields: CatalogItemSchemaFields = {
  external_id: nullable(Schema.String),
  title: nullable(Schema.String),
  description: nullable(Schema.String),
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
 * The attributes of a catalog item, under their wire names; timestamps are UTC `Date`s.
 *
 * @example
 * ```ts
 * import type { CatalogItemAttributes } from "@effect-klaviyo/catalog-jobs"
 *
 * const label = (item: CatalogItemAttributes): string => item.title ?? item.external_id ?? "(untitled)"
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogItemAttributes = Schema.Struct.Type<CatalogItemSchemaFields>

/**
 * A name `fields[catalog-item]` accepts (`id` only in revisions after 2023-10-15).
 *
 * @example
 * ```ts
 * import type { CatalogItemField } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: ReadonlyArray<CatalogItemField> = ["title", "price", "published"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogItemField = keyof CatalogItemAttributes | "id"

/**
 * A catalog item, flat, with the attributes selected by `F` (all by default).
 *
 * @example
 * ```ts
 * import type { CatalogItem } from "@effect-klaviyo/catalog-jobs"
 *
 * const item: CatalogItem<"title" | "price"> = { type: "catalog-item", id: "$custom:::$default:::SHIRT-1", title: "Shirt", price: 42 }
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogItem<F extends CatalogItemField = CatalogItemField> =
  & { readonly type: "catalog-item"; readonly id: string }
  & Pick<CatalogItemAttributes, Extract<F, keyof CatalogItemAttributes>>

/** The spec of the catalog-item resource, for the decoder. */
export const itemResource: ResourceSpec = catalogResource("catalog-item", itemFields)
