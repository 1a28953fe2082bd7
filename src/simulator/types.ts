/**
 * What the simulated Klaviyo holds: catalog items, variants and categories, and bulk jobs of the
 * nine types, each of which may move over time.
 *
 * @module
 */
import type { BulkJobError, BulkJobStatus } from "../resources/bulk-job.ts"
import type { CatalogItemAttributes } from "../resources/catalog-item.ts"
import type { CatalogVariantAttributes } from "../resources/catalog-variant.ts"

/**
 * The JSON:API type of a bulk job: one of the nine (items, variants, categories x create,
 * update, delete).
 *
 * @example
 * ```ts
 * import type { SimulatedJobType } from "@effect-klaviyo/catalog-jobs"
 *
 * const type: SimulatedJobType = "catalog-item-bulk-create-job"
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedJobType = `catalog-${"item" | "variant" | "category"}-bulk-${
  | "create"
  | "update"
  | "delete"}-job`

/**
 * A catalog category the simulator knows.
 *
 * @example
 * ```ts
 * import type { SimulatedCategory } from "@effect-klaviyo/catalog-jobs"
 *
 * const apparel: SimulatedCategory = { id: "$custom:::$default:::APPAREL", name: "Apparel", updated: new Date() }
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedCategory {
  /** The compound id, for example `$custom:::$default:::APPAREL`. */
  readonly id: string
  /** The id in the external system. */
  readonly external_id?: string | null
  /** The name. */
  readonly name?: string | null
  /** When it was last updated. */
  readonly updated?: Date | null
  /** The ids of its items, as a category create or update job set them. */
  readonly items?: ReadonlyArray<string>
}

/**
 * A catalog item the simulator knows: its id, the attributes Klaviyo serves (under their wire
 * names, timestamps as `Date`s) and the ids of its categories.
 *
 * @example
 * ```ts
 * import type { SimulatedItem } from "@effect-klaviyo/catalog-jobs"
 *
 * const shirt: SimulatedItem = { id: "$custom:::$default:::SHIRT-1", external_id: "SHIRT-1", title: "Shirt", price: 42 }
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedItem =
  & { readonly id: string }
  & CatalogItemAttributes
  & {
    /** The ids of the item's categories. */
    readonly categories?: ReadonlyArray<string>
  }

/**
 * A catalog variant the simulator knows: its id, the attributes Klaviyo serves and the id of its
 * item.
 *
 * @example
 * ```ts
 * import type { SimulatedVariant } from "@effect-klaviyo/catalog-jobs"
 *
 * const medium: SimulatedVariant = { id: "$custom:::$default:::SHIRT-1-M", sku: "SH-1-M", item: "$custom:::$default:::SHIRT-1" }
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedVariant =
  & { readonly id: string }
  & CatalogVariantAttributes
  & {
    /** The id of the variant's item. */
    readonly item?: string
  }

/**
 * A record of a job, flat, as the library's record types have it (`CatalogItemCreateRecord`,
 * ...): for create the attributes plus relationship ids, for update the `id` plus what changes,
 * for delete the `id`.
 *
 * @example
 * ```ts
 * import type { SimulatedRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: SimulatedRecord = { external_id: "APPAREL", name: "Apparel", items: [] }
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedRecord = { readonly [member: string]: unknown }

/**
 * A bulk job the simulator knows, of any of the nine types.
 *
 * @example
 * ```ts
 * import type { SimulatedJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const job: SimulatedJob = {
 *   id: "job-1",
 *   status: "processing",
 *   created_at: new Date(),
 *   total_count: 10,
 *   completed_count: 4,
 *   categories: ["$custom:::$default:::APPAREL"],
 * }
 * const items: SimulatedJob = {
 *   type: "catalog-item-bulk-create-job",
 *   id: "job-2",
 *   status: "complete",
 *   created_at: new Date(),
 *   total_count: 1,
 *   items: ["$custom:::$default:::SHIRT-1"],
 * }
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedJob {
  /**
   * The job's JSON:API type: which paths serve it.
   * @default "catalog-category-bulk-update-job"
   */
  readonly type?: SimulatedJobType
  /** The job id. */
  readonly id: string
  /** Where the job stands. */
  readonly status: BulkJobStatus
  /** When it was created. */
  readonly created_at: Date
  /** The number of operations. */
  readonly total_count: number
  /** Completed operations. */
  readonly completed_count?: number | null
  /** Failed operations. */
  readonly failed_count?: number | null
  /** When it completed. */
  readonly completed_at?: Date | null
  /** Errors met. */
  readonly errors?: ReadonlyArray<BulkJobError> | null
  /** When it expires. */
  readonly expires_at?: Date | null
  /** The ids of the categories of a category job, in order (they need not all exist). */
  readonly categories?: ReadonlyArray<string>
  /** The ids of the items of an item job, in order (they need not all exist). */
  readonly items?: ReadonlyArray<string>
  /** The ids of the variants of a variant job, in order (they need not all exist). */
  readonly variants?: ReadonlyArray<string>
  /**
   * The records the job was created with, in the order of the POSTed body (a POSTed job has
   * them). With `progress`, each record is applied to the simulator's items, variants or
   * categories once the job has processed it (created, updated or deleted), or fails, in
   * Klaviyo's job-error shape.
   */
  readonly records?: ReadonlyArray<SimulatedRecord>
  /**
   * Makes the job move as time passes (the `Clock`'s time: under `TestClock`, as the test
   * adjusts it): from `created_at` it is `queued`, then `processing`, then `complete` (or
   * `cancelled`), and it answers 404 once it has expired. With `progress`, `status`, the counts,
   * `completed_at`, `errors` and `expires_at` are computed and the values given are ignored.
   */
  readonly progress?: SimulatedJobProgress
}

/**
 * How a simulated job moves over time: its operations are `total_count` record updates,
 * processed one after another at `perSecond`.
 *
 * @example
 * ```ts
 * import type { SimulatedJob, SimulatedJobProgress } from "@effect-klaviyo/catalog-jobs"
 *
 * // Queued for 2 s, then 5 operations a second; operations 3 and 7 fail.
 * const progress: SimulatedJobProgress = { queuedMillis: 2_000, perSecond: 5, failures: [3, 7] }
 * const job: SimulatedJob = { id: "job-1", status: "queued", created_at: new Date(0), total_count: 20, progress }
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedJobProgress {
  /**
   * How long the job stays `queued` after `created_at`.
   * @default 1000
   */
  readonly queuedMillis?: number
  /**
   * Operations processed per second once `processing`.
   * @default 10
   */
  readonly perSecond?: number
  /** The operations (0-based, in record order) that fail, each with an error in `errors`. */
  readonly failures?: ReadonlyArray<number>
  /** The job is `cancelled` once this many operations have been processed. */
  readonly cancelAfter?: number
  /**
   * How long the job is kept from `created_at`: `expires_at` is then (Klaviyo sets it while the
   * job still runs), and past it the job answers 404, whatever its status.
   * @default 604800000 (7 days)
   */
  readonly keepMillis?: number
  /** Klaviyo's counts as they come, from the job's state: to serve odd counts such as the spec's example. */
  readonly counts?: (state: {
    readonly completed: number
    readonly failed: number
    readonly total: number
  }) => { readonly completed_count: number; readonly failed_count: number; readonly total_count: number }
}

/**
 * How the jobs the simulator creates (on a POST) move: how long they stay queued, how many
 * records they process a second, how long they are kept.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedProcessing } from "@effect-klaviyo/catalog-jobs"
 *
 * const fast: SimulatedProcessing = { queuedMillis: 100, perSecond: 1_000 }
 * const model = KlaviyoSimulator.model({ processing: fast })
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedProcessing = Pick<SimulatedJobProgress, "queuedMillis" | "perSecond" | "keepMillis">
