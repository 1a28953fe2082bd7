/**
 * The job types the command line knows, by the names it takes (`catalog-item-bulk-create`: the
 * JSON:API type without `-job`; the full type is accepted too), each with its GET and its list
 * from the library's public table. The records are typed by `BulkJobType`, so a type missing here
 * is a compile error.
 *
 * @module
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import {
  type BulkJobField,
  type BulkJobType,
  getCatalogCategoryBulkCreateJob,
  getCatalogCategoryBulkDeleteJob,
  getCatalogCategoryBulkUpdateJob,
  getCatalogItemBulkCreateJob,
  getCatalogItemBulkDeleteJob,
  getCatalogItemBulkUpdateJob,
  getCatalogVariantBulkCreateJob,
  getCatalogVariantBulkDeleteJob,
  getCatalogVariantBulkUpdateJob,
  type KlaviyoClient,
  type KlaviyoError,
  listCatalogCategoryBulkCreateJobs,
  listCatalogCategoryBulkDeleteJobs,
  listCatalogCategoryBulkUpdateJobs,
  listCatalogItemBulkCreateJobs,
  listCatalogItemBulkDeleteJobs,
  listCatalogItemBulkUpdateJobs,
  listCatalogVariantBulkCreateJobs,
  listCatalogVariantBulkDeleteJobs,
  listCatalogVariantBulkUpdateJobs,
} from "../mod.ts"
import type { ShownJob } from "./render.ts"

/** The options the program passes: a fieldset of the job's own type, an include. */
export interface JobQuery {
  readonly fields?: ReadonlyArray<BulkJobField> | undefined
  readonly include?: string | undefined
  readonly status?: string | undefined
}

/** A GET as the program calls it (the library checks the options before anything is sent). */
type Get = (jobId: string, options: object) => Effect.Effect<ShownJob, KlaviyoError, KlaviyoClient>
/** A list as the program calls it. */
type List = (options: object) => Stream.Stream<ShownJob, KlaviyoError, KlaviyoClient>

/** The GET and the list of each job type. */
const operations: { readonly [T in BulkJobType]: { readonly get: Get; readonly list: List } } = {
  "catalog-item-bulk-create-job": { get: getCatalogItemBulkCreateJob, list: listCatalogItemBulkCreateJobs },
  "catalog-item-bulk-update-job": { get: getCatalogItemBulkUpdateJob, list: listCatalogItemBulkUpdateJobs },
  "catalog-item-bulk-delete-job": { get: getCatalogItemBulkDeleteJob, list: listCatalogItemBulkDeleteJobs },
  "catalog-variant-bulk-create-job": {
    get: getCatalogVariantBulkCreateJob,
    list: listCatalogVariantBulkCreateJobs,
  },
  "catalog-variant-bulk-update-job": {
    get: getCatalogVariantBulkUpdateJob,
    list: listCatalogVariantBulkUpdateJobs,
  },
  "catalog-variant-bulk-delete-job": {
    get: getCatalogVariantBulkDeleteJob,
    list: listCatalogVariantBulkDeleteJobs,
  },
  "catalog-category-bulk-create-job": {
    get: getCatalogCategoryBulkCreateJob,
    list: listCatalogCategoryBulkCreateJobs,
  },
  "catalog-category-bulk-update-job": {
    get: getCatalogCategoryBulkUpdateJob,
    list: listCatalogCategoryBulkUpdateJobs,
  },
  "catalog-category-bulk-delete-job": {
    get: getCatalogCategoryBulkDeleteJob,
    list: listCatalogCategoryBulkDeleteJobs,
  },
} as unknown as { readonly [T in BulkJobType]: { readonly get: Get; readonly list: List } }

/** The job types, in the table's order. */
export const JOB_TYPES = Object.keys(operations) as ReadonlyArray<BulkJobType>

/** The names the command line shows: the type without `-job`. */
export const JOB_NAMES: ReadonlyArray<string> = JOB_TYPES.map((type) => type.replace(/-job$/, ""))

/** The type a job is watched and fetched as when none is given (the seed endpoint's). */
export const DEFAULT_TYPE: BulkJobType = "catalog-category-bulk-update-job"

/** The job type a name stands for (`catalog-item-bulk-create` or the full type), or undefined. */
export const jobTypeOf = (name: string): BulkJobType | undefined => {
  const type = name.endsWith("-job") ? name : `${name}-job`
  return (JOB_TYPES as ReadonlyArray<string>).includes(type) ? type as BulkJobType : undefined
}

/** What `[job_type] <job_id>` means, or an error for the usage message. */
export const readJobArguments = (
  values: ReadonlyArray<string>,
): { readonly type: BulkJobType; readonly id: string } => {
  if (values.length === 1) return { type: DEFAULT_TYPE, id: values[0]! }
  if (values.length > 2) {
    const extra = values.slice(2)
    throw new Error(
      `Unexpected positional argument${extra.length === 1 ? "" : "s"}: ${
        extra.map((value) => JSON.stringify(value)).join(", ")
      } (a job is [job_type] <job_id>)`,
    )
  }
  const [name, id] = values as readonly [string, string]
  const type = jobTypeOf(name)
  if (type === undefined) {
    throw new Error(`unknown job type ${JSON.stringify(name)}: expected one of ${JOB_NAMES.join(", ")}`)
  }
  return { type, id }
}

const queryOptions = (type: BulkJobType, query: JobQuery): object => ({
  ...(query.fields === undefined ? {} : { fields: { [type]: query.fields } }),
  ...(query.include === undefined ? {} : { include: [query.include] }),
  ...(query.status === undefined ? {} : { status: query.status }),
})

/** Fetches a job of `type`. */
export const getJob = (
  type: BulkJobType,
  id: string,
  query: JobQuery,
): Effect.Effect<ShownJob, KlaviyoError, KlaviyoClient> => operations[type].get(id, queryOptions(type, query))

/** Every job of `type`, page after page, as the consumer pulls. */
export const listJobs = (
  type: BulkJobType,
  query: JobQuery,
): Stream.Stream<ShownJob, KlaviyoError, KlaviyoClient> => operations[type].list(queryOptions(type, query))
