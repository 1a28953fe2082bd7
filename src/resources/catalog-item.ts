/**
 * The catalog item resource (`catalog-item`), as the spec's `CatalogItemResponseObjectResource` describes
 * its attributes: every one may be `null` or absent. One Schema; the public types are derived
 * from it.
 *
 * @module
 */
import type * as Schema from "effect/Schema"
import type { ResourceSpec } from "../internal/jsonapi.ts"
import { type CatalogProductSchemaFields, productFields } from "./product.ts"
import { catalogResource } from "./resource.ts"

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
export type CatalogItemSchemaFields = CatalogProductSchemaFields

const itemFields: () => CatalogItemSchemaFields = productFields

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
export const itemResource: ResourceSpec = /* @__PURE__ */ catalogResource("catalog-item", itemFields)
