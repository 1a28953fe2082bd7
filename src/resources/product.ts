/**
 * The attributes that catalog items and catalog variants share (a variant is a sellable form of
 * an item: the same presentation, plus its SKU and inventory), written once and spread into
 * both resources' fields.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { UtcDateTime } from "../internal/schemas.ts"
import { nullable } from "./resource.ts"

/**
 * The Schema of each attribute that a catalog item and a catalog variant share, as a type;
 * {@link CatalogItemSchemaFields} is these, {@link CatalogVariantSchemaFields} adds the
 * variant's own.
 *
 * @example
 * ```ts
 * import type { CatalogProductSchemaFields } from "@effect-klaviyo/catalog-jobs"
 *
 * type PriceSchema = CatalogProductSchemaFields["price"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogProductSchemaFields = {
  /** The ID of the item or variant in an external system. */
  readonly external_id: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** The title of the item or variant. */
  readonly title: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** A description of the item or variant. */
  readonly description: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /**
   * The price shown for the item or variant when it is included in emails. For most price
   * updates, update the price of the item and of its variants together.
   */
  readonly price: Schema.optionalKey<Schema.NullOr<Schema.Number>>
  /** URL of the item or variant on your website. */
  readonly url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URL of a full image of the item or variant. */
  readonly image_full_url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URL of an image thumbnail of the item or variant. */
  readonly image_thumbnail_url: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** URLs of images of the item or variant. */
  readonly images: Schema.optionalKey<Schema.NullOr<Schema.$Array<Schema.String>>>
  /** A flat JSON object of custom metadata (at most 100 kB). */
  readonly custom_metadata: Schema.optionalKey<Schema.NullOr<Schema.$Record<Schema.String, Schema.Unknown>>>
  /** Whether the item or variant is published. */
  readonly published: Schema.optionalKey<Schema.NullOr<Schema.Boolean>>
  /** When the item or variant was created (ISO 8601 on the wire, a UTC `Date` here). */
  readonly created: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
  /** When the item or variant was last updated (ISO 8601 on the wire, a UTC `Date` here). */
  readonly updated: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
}

/** The shared attributes' schemas (built when a resource is first read). */
export const productFields = (): CatalogProductSchemaFields => ({
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
})
