/**
 * The bulk job: its attributes are shared by the item, variant and category jobs of every
 * operation (create, update, delete). One Schema; the public types are derived from it.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import type { ResourceSpec } from "../internal/jsonapi.ts"
import { Integer, UtcDateTime } from "../internal/schemas.ts"
import type { Revision } from "../revision.ts"
import { attributeSpecs } from "./resource.ts"
import { lazy } from "../internal/lazy.ts"

const statuses: readonly ["cancelled", "complete", "processing", "queued"] = [
  "cancelled",
  "complete",
  "processing",
  "queued",
]

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

/** A string member that the wire may send as `null` or leave out. */
const looseString = (): Schema.optionalKey<Schema.NullOr<Schema.String>> =>
  Schema.optionalKey(Schema.NullOr(Schema.String))

// Every member of a job error may be null or absent (see BulkJobError); `meta` is an open record.
const jobError = (): Schema.Codec<BulkJobError, unknown> =>
  Schema.Struct({
    id: looseString(),
    code: looseString(),
    title: looseString(),
    detail: looseString(),
    source: Schema.optionalKey(
      Schema.NullOr(Schema.Struct({ pointer: looseString() })),
    ),
    meta: Schema.optionalKey(
      Schema.NullOr(Schema.StructWithRest(
        Schema.Struct({ external_id: looseString() }),
        [Schema.Record(Schema.String, Schema.Unknown)],
      )),
    ),
  })

/**
 * The Schema of each attribute of a bulk job, as a type: written once as a type (for the
 * declarations) and once as a value (for the decoder), and the compiler checks that they
 * agree. {@link BulkJobAttributes} is derived from it.
 *
 * @example
 * ```ts
 * import type { BulkJobSchemaFields } from "@effect-klaviyo/catalog-jobs"
 *
 * type StatusSchema = BulkJobSchemaFields["status"]
 * ```
 *
 * @since 0.2.0
 * @category resources
 */
export type BulkJobSchemaFields = {
  /** Where the job stands. */
  readonly status: Schema.Literals<readonly ["cancelled", "complete", "processing", "queued"]>
  /** When the job was created (UTC). */
  readonly created_at: Schema.decodeTo<Schema.Date, Schema.String>
  /** How many operations the job has to process. */
  readonly total_count: Schema.Number
  /** How many operations have completed. */
  readonly completed_count: Schema.optionalKey<Schema.NullOr<Schema.Number>>
  /** How many operations failed. */
  readonly failed_count: Schema.optionalKey<Schema.NullOr<Schema.Number>>
  /** When the job completed (UTC), `null` while it runs. */
  readonly completed_at: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
  /** The errors met while processing, one per failed record. */
  readonly errors: Schema.optionalKey<Schema.NullOr<Schema.$Array<Schema.Codec<BulkJobError, unknown>>>>
  /** When the job expires (UTC): after that Klaviyo answers 404. */
  readonly expires_at: Schema.optionalKey<Schema.NullOr<Schema.decodeTo<Schema.Date, Schema.String>>>
}

/** The job attributes' Schemas, built when a job spec is first read (not at import). */
const jobFields = (): BulkJobSchemaFields => ({
  status: Schema.Literals(statuses),
  created_at: UtcDateTime,
  total_count: Integer,
  completed_count: Schema.optionalKey(Schema.NullOr(Integer)),
  failed_count: Schema.optionalKey(Schema.NullOr(Integer)),
  completed_at: Schema.optionalKey(Schema.NullOr(UtcDateTime)),
  errors: Schema.optionalKey(
    Schema.NullOr(Schema.Array(jobError())),
  ),
  expires_at: Schema.optionalKey(Schema.NullOr(UtcDateTime)),
})

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
export type BulkJobAttributes = Schema.Struct.Type<BulkJobSchemaFields>

/**
 * A name the job fieldset (`fields[catalog-item-bulk-create-job]`, ...) accepts: an attribute, `id` (revisions
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

/** The job attributes' specs and names, built on first read. */
const attributesOfJobs = /* @__PURE__ */ lazy(() => {
  const specs = attributeSpecs(jobFields())
  return { specs, names: Object.keys(specs) }
})

/** The specs made so far, one per job type (a spec's identity keys the cache of its decoders). */
const jobSpecs = new Map<string, ResourceSpec>()

/**
 * The spec of a bulk job resource of the given JSON:API type: one object per type, so that its
 * attribute decoders, cached by the spec's identity (`attributes.ts`), are built once per type
 * instead of once per call of a function that asks for it (every `list` call did).
 */
export const bulkJobResource = (type: string): ResourceSpec => {
  let spec = jobSpecs.get(type)
  if (spec === undefined) {
    spec = {
      type,
      get attributes() {
        return attributesOfJobs().specs
      },
      idAttribute: "job_id",
      fields: (
        revision: Revision,
      ) => [revision.jobIdAttribute ? "job_id" : "id", ...attributesOfJobs().names],
    }
    jobSpecs.set(type, spec)
  }
  return spec
}
