/**
 * The catalog category resource (`catalog-category`), as the spec's `CatalogCategoryResponseObjectResource` describes
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
 * The Schema of each attribute of a catalog category, as a type (the value the decoder uses has
 * this type); {@link CatalogCategoryAttributes} is derived from it.
 *
 * @example
 * ```ts
 * import type { CatalogCategorySchemaFields } from "@effect-klaviyo/catalog-jobs"
 *
 * type ExternalIdSchema = CatalogCategorySchemaFields["external_id"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type CatalogCategorySchemaFields = {
  /** The ID of the catalog category in an external system. */
  readonly external_id: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** The name of the catalog category. */
  readonly name: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /** Date and time when the catalog category was last updated, in ISO 8601 format (YYYY-MM-DDTHH:MM:SS.mmmmmm). */
  readonly updated: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
}

const categoryFields = (): CatalogCategorySchemaFields => ({
  external_id: nullable(Schema.String),
  name: nullable(Schema.String),
  updated: Schema.optionalKey(Schema.NullOr(UtcDateTime)),
})

/**
 * The attributes of a catalog category, under their wire names; timestamps are UTC `Date`s.
 *
 * @example
 * ```ts
 * import type { CatalogCategoryAttributes } from "@effect-klaviyo/catalog-jobs"
 *
 * const label = (category: CatalogCategoryAttributes): string => category.name ?? category.external_id ?? "(unnamed)"
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export type CatalogCategoryAttributes = Schema.Struct.Type<CatalogCategorySchemaFields>

/**
 * A name `fields[catalog-category]` accepts (`id` only in revisions after 2023-10-15).
 *
 * @example
 * ```ts
 * import type { CatalogCategoryField } from "@effect-klaviyo/catalog-jobs"
 *
 * const names: ReadonlyArray<CatalogCategoryField> = ["name", "external_id"]
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export type CatalogCategoryField = keyof CatalogCategoryAttributes | "id"

/**
 * A catalog category, flat, with the attributes selected by `F` (all by default).
 *
 * @example
 * ```ts
 * import type { CatalogCategory } from "@effect-klaviyo/catalog-jobs"
 *
 * const category: CatalogCategory<"name"> = { type: "catalog-category", id: "$custom:::$default:::APPAREL", name: "Apparel" }
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export type CatalogCategory<F extends CatalogCategoryField = CatalogCategoryField> =
  & { readonly type: "catalog-category"; readonly id: string }
  & Pick<CatalogCategoryAttributes, Extract<F, keyof CatalogCategoryAttributes>>

/** The spec of the catalog-category resource, for the decoder. */
export const categoryResource: ResourceSpec = /* @__PURE__ */ catalogResource(
  "catalog-category",
  categoryFields,
)
