/**
 * What a simulator holds by default: the demo key, a finished demo job of each of the nine
 * types, and the items, variants and categories they name.
 *
 * @module
 */
import type {
  SimulatedCategory,
  SimulatedItem,
  SimulatedJob,
  SimulatedJobType,
  SimulatedVariant,
} from "./types.ts"
import { lazy } from "../internal/lazy.ts"

/**
 * The id of the demo job the simulator holds by default (a category bulk update job).
 *
 * @example
 * ```ts
 * import { SIMULATED_JOB_ID } from "@effect-klaviyo/catalog-jobs"
 *
 * console.log(SIMULATED_JOB_ID) // "01JDEM0CATEG0RYUPDATEJ0B01"
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const SIMULATED_JOB_ID = "01JDEM0CATEG0RYUPDATEJ0B01"

/**
 * The ids of the demo jobs the simulator holds by default, one of each type, all `complete`:
 * `01JDEM0` + the resource + the operation + `J0B`, padded to 26 characters
 * (`01JDEM0ITEMCREATEJ0B000001`, ..., `01JDEM0CATEG0RYUPDATEJ0B01`, which is {@link SIMULATED_JOB_ID}).
 *
 * @example
 * ```ts
 * import { SIMULATED_JOB_IDS } from "@effect-klaviyo/catalog-jobs"
 *
 * console.log(SIMULATED_JOB_IDS["catalog-item-bulk-create-job"]) // "01JDEM0ITEMCREATEJ0B000001"
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export const SIMULATED_JOB_IDS: { readonly [T in SimulatedJobType]: string } = {
  "catalog-item-bulk-create-job": "01JDEM0ITEMCREATEJ0B000001",
  "catalog-item-bulk-update-job": "01JDEM0ITEMUPDATEJ0B000001",
  "catalog-item-bulk-delete-job": "01JDEM0ITEMDELETEJ0B000001",
  "catalog-variant-bulk-create-job": "01JDEM0VARIANTCREATEJ0B001",
  "catalog-variant-bulk-update-job": "01JDEM0VARIANTUPDATEJ0B001",
  "catalog-variant-bulk-delete-job": "01JDEM0VARIANTDELETEJ0B001",
  "catalog-category-bulk-create-job": "01JDEM0CATEG0RYCREATEJ0B01",
  "catalog-category-bulk-update-job": SIMULATED_JOB_ID,
  "catalog-category-bulk-delete-job": "01JDEM0CATEG0RYDELETEJ0B01",
}

/**
 * The API key the simulator accepts by default.
 *
 * @example
 * ```ts
 * import { KlaviyoClient, SIMULATED_API_KEY } from "@effect-klaviyo/catalog-jobs"
 *
 * const layer = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const SIMULATED_API_KEY = "pk_simulated_key"

const id = (externalId: string): string => `$custom:::$default:::${externalId}`
const updated = /* @__PURE__ */ new Date("2026-11-20T09:30:00Z")

/** The demo categories (built on first use, not at import). */
export const demoCategories: () => ReadonlyArray<SimulatedCategory> = /* @__PURE__ */ lazy(() =>
  [
    ["APPAREL", "Apparel"],
    ["FOOTWEAR", "Footwear"],
    ["ACCESSORIES", "Accessories"],
  ].map(([externalId, name]) => ({ id: id(externalId!), external_id: externalId!, name: name!, updated }))
)

/** The demo items (built on first use, not at import). */
export const demoItems: () => ReadonlyArray<SimulatedItem> = /* @__PURE__ */ lazy(() =>
  [
    {
      id: id("SHIRT-1"),
      external_id: "SHIRT-1",
      title: "Ocean Blue Shirt",
      price: 42,
      categories: [id("APPAREL")],
    },
    {
      id: id("HAT-1"),
      external_id: "HAT-1",
      title: "Sun Hat",
      price: 19,
      categories: [id("ACCESSORIES")],
    },
  ].map((item) => ({
    description: `${item.title}, from the demo catalog.`,
    url: `https://example.com/${item.external_id.toLowerCase()}`,
    published: true,
    created: updated,
    updated,
    ...item,
  }))
)

/** The demo variants (built on first use, not at import). */
export const demoVariants: () => ReadonlyArray<SimulatedVariant> = /* @__PURE__ */ lazy(() =>
  ["M", "L"].map((size) => ({
    id: id(`SHIRT-1-${size}`),
    external_id: `SHIRT-1-${size}`,
    title: `Ocean Blue Shirt, ${size}`,
    sku: `OBS-${size}`,
    inventory_quantity: size === "M" ? 12 : 0,
    inventory_policy: 1,
    price: 42,
    published: true,
    created: updated,
    updated,
    item: id("SHIRT-1"),
  }))
)

/** A finished demo job of a type: its records, and the one that failed (if any) with its detail. */
const finished = (
  type: SimulatedJobType,
  relationship: "items" | "variants" | "categories",
  ids: ReadonlyArray<string>,
  failed?: { readonly index: number; readonly detail: string },
): SimulatedJob => ({
  type,
  id: SIMULATED_JOB_IDS[type],
  status: "complete",
  created_at: new Date("2026-11-27T14:00:00Z"),
  total_count: ids.length,
  completed_count: ids.length - (failed === undefined ? 0 : 1),
  failed_count: failed === undefined ? 0 : 1,
  completed_at: new Date("2026-11-27T14:00:07Z"),
  expires_at: new Date("2026-12-04T14:00:00Z"),
  errors: failed === undefined ? [] : [{
    id: null,
    code: null,
    title: null,
    detail: failed.detail,
    source: { pointer: `/data/attributes/${relationship}/${failed.index}` },
    meta: { external_id: ids[failed.index]!.slice(ids[failed.index]!.lastIndexOf(":::") + 3) },
  }],
  [relationship]: ids,
})

/** The demo jobs: one of each type (built on first use, not at import). */
export const demoJobs: () => ReadonlyArray<SimulatedJob> = /* @__PURE__ */ lazy(() => [
  finished("catalog-item-bulk-create-job", "items", [
    id("SHIRT-1"),
    id("HAT-1"),
    id("SHIRT-1"),
  ], {
    index: 2,
    detail: "An item with the external id `SHIRT-1` already exists.",
  }),
  finished("catalog-item-bulk-update-job", "items", [id("SHIRT-1")]),
  finished("catalog-item-bulk-delete-job", "items", [id("SCARF-1")]),
  finished("catalog-variant-bulk-create-job", "variants", [
    id("SHIRT-1-M"),
    id("SHIRT-1-L"),
  ]),
  finished("catalog-variant-bulk-update-job", "variants", [id("SHIRT-1-M")]),
  finished("catalog-variant-bulk-delete-job", "variants", [id("SHIRT-1-S")]),
  finished("catalog-category-bulk-create-job", "categories", [
    id("APPAREL"),
    id("FOOTWEAR"),
  ]),
  finished(
    "catalog-category-bulk-update-job",
    "categories",
    demoCategories().map((category) => category.id),
    {
      index: 2,
      detail: "The category with the external id `ACCESSORIES` has no name in the payload.",
    },
  ),
  finished("catalog-category-bulk-delete-job", "categories", [
    id("CLEARANCE"),
  ]),
])
