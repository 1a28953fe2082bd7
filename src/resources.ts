/**
 * The resources of the catalog bulk-job endpoints: the job (its attributes are shared by the
 * item, variant and category jobs) and the catalog items, variants and categories it points to.
 *
 * Values are flat: `type`, `id`, then the attributes under their wire names (snake_case, the
 * names `fields[...]` uses). `null` on the wire stays `null`; timestamps are `Date`s, read as
 * UTC when Klaviyo sends them without an offset.
 *
 * @module
 */
export {
  type BulkJobAttributes,
  type BulkJobError,
  type BulkJobField,
  bulkJobResource,
  type BulkJobSchemaFields,
  type BulkJobStatus,
} from "./resources/bulk-job.ts"
export {
  type CatalogCategory,
  type CatalogCategoryAttributes,
  type CatalogCategoryField,
  type CatalogCategorySchemaFields,
  categoryResource as catalogCategoryResource,
} from "./resources/catalog-category.ts"
export {
  type CatalogItem,
  type CatalogItemAttributes,
  type CatalogItemField,
  type CatalogItemSchemaFields,
  itemResource as catalogItemResource,
} from "./resources/catalog-item.ts"
export {
  type CatalogVariant,
  type CatalogVariantAttributes,
  type CatalogVariantField,
  type CatalogVariantSchemaFields,
  variantResource as catalogVariantResource,
} from "./resources/catalog-variant.ts"
export { type CatalogProductSchemaFields } from "./resources/product.ts"
