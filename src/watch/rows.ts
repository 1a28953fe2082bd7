/**
 * The 9 job types and the GET row of each, derived from the table (`src/endpoints/table.ts`):
 * a watch picks the row from the job's `type`.
 *
 * @module
 */
import { functionsByJob } from "../endpoints/rows.ts"
import * as Gets from "../endpoints/table.ts"
import type { GetJob, JobRelationship } from "../endpoints/types.ts"
import { InvalidRequest, type KlaviyoError } from "../errors.ts"
import type { KlaviyoClient } from "../client.ts"
import type { GetOptions } from "../internal/pipeline.ts"
import type { BulkJobAttributes } from "../resources/bulk-job.ts"
import type * as Effect from "effect/Effect"
import { lazy } from "../internal/lazy.ts"

/**
 * Each GET of the table as its job type and what it may include, derived from the table's
 * functions (one member per row).
 *
 * @example
 * ```ts
 * import type { BulkJobGetRow } from "@effect-klaviyo/catalog-jobs"
 *
 * type ItemCreate = Extract<BulkJobGetRow, { type: "catalog-item-bulk-create-job" }>["includes"] // "items"
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export type BulkJobGetRow = {
  readonly [K in keyof typeof Gets]: typeof Gets[K] extends GetJob<infer T, infer I>
    ? { readonly type: T; readonly includes: I }
    : never
}[keyof typeof Gets]

/**
 * The JSON:API type of a catalog bulk job: one of the 9 (`catalog-item-bulk-create-job`, ...,
 * `catalog-category-bulk-delete-job`), derived from the table's GET rows.
 *
 * @example
 * ```ts
 * import type { BulkJobType } from "@effect-klaviyo/catalog-jobs"
 *
 * const type: BulkJobType = "catalog-variant-bulk-update-job"
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export type BulkJobType = BulkJobGetRow["type"]

/**
 * What `include` accepts on a job of type `T`: its records' relationship on create and update
 * jobs (`items`, `variants` or `categories`), nothing on delete jobs.
 *
 * @example
 * ```ts
 * import type { BulkJobIncludes } from "@effect-klaviyo/catalog-jobs"
 *
 * const include: ReadonlyArray<BulkJobIncludes<"catalog-item-bulk-update-job">> = ["items"]
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export type BulkJobIncludes<T extends BulkJobType> = Extract<
  Extract<BulkJobGetRow, { readonly type: T }>["includes"],
  JobRelationship
>

/**
 * A job to watch: its `type` and `id`, as every job the library returns carries them (a POST's
 * answer, a listed job, a fetched one).
 *
 * @example
 * ```ts
 * import type { BulkJobRef } from "@effect-klaviyo/catalog-jobs"
 *
 * const job: BulkJobRef<"catalog-item-bulk-create-job"> = { type: "catalog-item-bulk-create-job", id: "01GSQPBF74KQ5YTDEPP41T1BZH" }
 * ```
 *
 * @since 0.2.0
 * @category watch
 */
export interface BulkJobRef<T extends BulkJobType = BulkJobType> {
  /** The job's JSON:API type: which of the 9 kinds of job it is. */
  readonly type: T
  /** The job's id. */
  readonly id: string
}

/** A job as every GET of the table returns it, untyped by options. */
export type AnyJob = Partial<BulkJobAttributes> & { readonly id: string; readonly type: string }

/** A GET of the table with its options untyped (the watch builds them). */
export type AnyGet = (
  jobId: string,
  options: GetOptions,
) => Effect.Effect<AnyJob, KlaviyoError, KlaviyoClient>

/**
 * The GET of each job type, read from the rows the table's functions were made from (on the
 * first watch, not at import).
 */
const getsByType: () => ReadonlyMap<string, AnyGet> = /* @__PURE__ */ lazy(() =>
  functionsByJob<AnyGet>(Gets, "get")
)

/** What a watch needs of its job, checked: a known type, a string id. */
export interface Target {
  readonly type: string
  readonly id: string
  readonly get: AnyGet
}

/**
 * Reads a job given by a caller (JavaScript ones included): an object with one of the 9
 * types and a string id, or an `InvalidRequest`. The id's own checks are the GET's.
 */
export const resolveTarget = (job: unknown): Target | InvalidRequest => {
  if (typeof job !== "object" || job === null) {
    return new InvalidRequest({
      input: "job",
      reason: `expected a job (an object with its type and id), got ${job === null ? "null" : typeof job}`,
    })
  }
  const { type, id } = job as { readonly type?: unknown; readonly id?: unknown }
  const get = typeof type === "string" ? getsByType().get(type) : undefined
  if (get === undefined) {
    const given = typeof type === "string" ? JSON.stringify(type.slice(0, 80)) : typeof type
    return new InvalidRequest({
      input: "job",
      reason: `the job's type ${given} is not a catalog bulk job type; the types are: ${
        [...getsByType().keys()].join(", ")
      }`,
    })
  }
  if (typeof id !== "string") {
    return new InvalidRequest({
      input: "jobId",
      reason: `the ${type} has no id: expected a string, got ${id === null ? "null" : typeof id}`,
    })
  }
  return { type: type as string, id, get }
}
