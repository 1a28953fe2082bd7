/**
 * The resources of the catalog bulk-job endpoints: the job (its attributes are shared by the
 * item, variant and category jobs) and the catalog category it points to.
 *
 * Values are flat: `type`, `id`, then the attributes under their wire names (snake_case, the
 * names `fields[...]` uses). `null` on the wire stays `null`; timestamps are `Date`s, read as
 * UTC when Klaviyo sends them without an offset.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import type { ResourceSpec } from "./internal/jsonapi.ts"
import { fast, Integer, UtcDateTime } from "./internal/schemas.ts"
import type { Revision } from "./revision.ts"

/**
 * Where a bulk job stands.
 *
 * @example
 * ```ts
 * import type { BulkJobStatus } from "@effect-klaviyo/catalog-jobs"
 *
 * const finished = (status: BulkJobStatus): boolean => status === "complete" || status === "cancelled"
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export type BulkJobStatus = "cancelled" | "complete" | "processing" | "queued"

/**
 * One error a bulk job met while processing, as Klaviyo reports it in `errors`: one per failed
 * record. Klaviyo's spec says `id`, `code`, `title`, `detail` and `source` are always there;
 * the wire says otherwise (`id`, `code` and `title` come as `null`), so every member may be
 * `null` or absent. The record is named by `meta.external_id` and by `source.pointer`
 * (`/data/attributes/categories/1`: its index in the body the job was created with).
 *
 * @example
 * ```ts
 * import type { BulkJobError } from "@effect-klaviyo/catalog-jobs"
 *
 * const line = (error: BulkJobError): string => {
 *   const record = error.meta?.external_id ?? error.source?.pointer ?? "a record"
 *   const what = error.title ?? error.code ?? "failed"
 *   return `${record}: ${what}${error.detail == null ? "" : `: ${error.detail}`}`
 * }
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export interface BulkJobError {
  /** Unique identifier of the error (Klaviyo sends `null`). */
  readonly id?: string | null
  /** A code classifying the error, for example `invalid` (Klaviyo sends `null`). */
  readonly code?: string | null
  /** A short summary (Klaviyo sends `null`). */
  readonly title?: string | null
  /** The specific explanation, for example ``A category with the external id `shoes` does not exist.`` */
  readonly detail?: string | null
  /** Where in the job's payload the problem is (`pointer` defaults to `/data`). */
  readonly source?: { readonly pointer?: string | null } | null
  /**
   * What Klaviyo says about the record, kept as sent: `external_id` names it; any other member
   * is kept too, unchecked.
   */
  readonly meta?: { readonly external_id?: string | null; readonly [key: string]: unknown } | null
}

/**
 * The attributes of a catalog bulk job (shared by the item, variant and category jobs), under
 * their wire names. `status`, `created_at` and `total_count` are always present in a full
 * document; the others may be absent or `null`, as the spec allows.
 *
 * @example
 * ```ts
 * import type { BulkJobAttributes } from "@effect-klaviyo/catalog-jobs"
 *
 * const percent = (job: BulkJobAttributes): number =>
 *   job.total_count === 0 ? 100 : Math.round((100 * (job.completed_count ?? 0)) / job.total_count)
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export interface BulkJobAttributes {
  /** Where the job stands. */
  readonly status: BulkJobStatus
  /** When the job was created (UTC). */
  readonly created_at: Date
  /** How many operations the job has to process. */
  readonly total_count: number
  /** How many operations have completed. */
  readonly completed_count?: number | null
  /** How many operations failed. */
  readonly failed_count?: number | null
  /** When the job completed (UTC), `null` while it runs. */
  readonly completed_at?: Date | null
  /** The errors met while processing. */
  readonly errors?: ReadonlyArray<BulkJobError> | null
  /** When the job expires (UTC): after that Klaviyo answers 404. */
  readonly expires_at?: Date | null
}

/**
 * A name `fields[catalog-category-bulk-update-job]` accepts: an attribute, `id` (revisions
 * after 2023-10-15) or `job_id` (revisions up to 2023-10-15). `id` and `job_id` select no
 * attribute: the job's `id` is always there.
 *
 * @example
 * ```ts
 * import type { BulkJobField } from "@effect-klaviyo/catalog-jobs"
 *
 * const progress: ReadonlyArray<BulkJobField> = ["status", "completed_count", "failed_count", "total_count"]
 * ```
 *
 * @since 0.1.0
 * @category resources
 */
export type BulkJobField = keyof BulkJobAttributes | "id" | "job_id"

/**
 * The attributes of a catalog category.
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
export interface CatalogCategoryAttributes {
  /** The category's id in the external system. */
  readonly external_id?: string | null
  /** The category's name. */
  readonly name?: string | null
  /** When the category was last updated (UTC). */
  readonly updated?: Date | null
}

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

/** A string member that the wire may send as `null` or leave out. */
const looseString = Schema.optionalKey(Schema.NullOr(Schema.String))

// Every member of a job error may be null or absent (see BulkJobError); `meta` is an open record.
const JobError = Schema.Struct({
  id: looseString,
  code: looseString,
  title: looseString,
  detail: looseString,
  source: Schema.optionalKey(Schema.NullOr(Schema.Struct({ pointer: looseString }))),
  meta: Schema.optionalKey(Schema.NullOr(Schema.StructWithRest(
    Schema.Struct({ external_id: looseString }),
    [Schema.Record(Schema.String, Schema.Unknown)],
  ))),
})

const attribute = (schema: Schema.Top, required: boolean, twin?: (value: unknown) => unknown) => ({
  schema: schema as Schema.Decoder<unknown>,
  required,
  fast: twin,
})

const statuses: ReadonlyArray<BulkJobStatus> = ["cancelled", "complete", "processing", "queued"]

// Which attributes a full document must carry, and why: see the list in internal/document.ts.
const jobAttributes: ResourceSpec["attributes"] = {
  status: attribute(Schema.Literals(statuses), true, fast.literal(statuses)),
  created_at: attribute(UtcDateTime, true, fast.dateTime),
  total_count: attribute(Integer, true, fast.integer),
  completed_count: attribute(Schema.NullOr(Integer), false, fast.nullOr(fast.integer)),
  failed_count: attribute(Schema.NullOr(Integer), false, fast.nullOr(fast.integer)),
  completed_at: attribute(Schema.NullOr(UtcDateTime), false, fast.nullOr(fast.dateTime)),
  errors: attribute(Schema.NullOr(Schema.Array(JobError)), false, fast.nullOr(fast.emptyArray)),
  expires_at: attribute(Schema.NullOr(UtcDateTime), false, fast.nullOr(fast.dateTime)),
}

const jobAttributeNames: ReadonlyArray<string> = Object.keys(jobAttributes)

/** The spec of a bulk job resource of the given JSON:API type. */
export const bulkJobResource = (type: string): ResourceSpec => ({
  type,
  attributes: jobAttributes,
  idAttribute: "job_id",
  fields: (revision: Revision) => [revision.jobIdAttribute ? "job_id" : "id", ...jobAttributeNames],
})

/** The spec of the catalog category resource. */
export const catalogCategoryResource: ResourceSpec = {
  type: "catalog-category",
  attributes: {
    external_id: attribute(Schema.NullOr(Schema.String), false, fast.nullOr(fast.string)),
    name: attribute(Schema.NullOr(Schema.String), false, fast.nullOr(fast.string)),
    updated: attribute(Schema.NullOr(UtcDateTime), false, fast.nullOr(fast.dateTime)),
  },
  fields: (revision: Revision) =>
    revision.jobIdAttribute ? ["external_id", "name", "updated"] : ["external_id", "id", "name", "updated"],
}
