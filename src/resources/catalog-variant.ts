/**
 * The catalog variant resource (`catalog-variant`), as the spec's `CatalogVariantResponseObjectResource` describes
 * its attributes: every one may be `null` or absent. One Schema; the public types are derived
 * from it.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import type { ResourceSpec } from "../internal/jsonapi.ts"
import { type CatalogProductSchemaFields, productFields } from "./product.ts"
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
export type CatalogVariantSchemaFields = CatalogProductSchemaFields & {
  /** The SKU of the catalog item variant. */
  readonly sku: Schema.optionalKey<Schema.NullOr<Schema.String>>
  /**
   * The variant's visibility in product feeds and blocks: `1` hides it when out of stock; `0`
   * or `2` show it whatever the inventory.
   */
  readonly inventory_policy: Schema.optionalKey<Schema.NullOr<Schema.Literals<readonly [0, 1, 2]>>>
  /** The quantity of the catalog item variant currently in stock. */
  readonly inventory_quantity: Schema.optionalKey<Schema.NullOr<Schema.Number>>
}

const variantFields = (): CatalogVariantSchemaFields => ({
  ...productFields(),
  sku: nullable(Schema.String),
  inventory_policy: nullable(Schema.Literals([0, 1, 2])),
  inventory_quantity: nullable(Schema.Number),
})

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
export const variantResource: ResourceSpec = /* @__PURE__ */ catalogResource("catalog-variant", variantFields)
