/**
 * The three shapes of operation, each derived from a row of the table: `getOne` (a job by id),
 * `list` (every job, page after page) and `create` (POST a job). A row says what differs; the
 * pipeline does the rest.
 *
 * @internal
 */
import type { LimitClass } from "../http/request.ts"
import type { ResourceSpec } from "../internal/jsonapi.ts"
import { getResource } from "../internal/pipeline.ts"
import { bulkJobResource } from "../resources/bulk-job.ts"
import { withRow } from "./rows.ts"
import type { GetJob, JobRelationship } from "./types.ts"

/** What every row says: the operation, the collection's path, the job type, the limit class. */
export interface Row<T extends string> {
  /** The operation's name (the export's name), for spans and logs. */
  readonly operation: string
  /** The collection's path, `/api/catalog-item-bulk-create-jobs`. */
  readonly path: string
  /** The job's JSON:API type, `catalog-item-bulk-create-job`. */
  readonly job: T
  /** The operation's rate-limit class (the spec's `x-klaviyo-ratelimit`). */
  readonly limitClass: LimitClass
}

/** A "get one job" row: what `include` accepts, relationship to resource. */
export interface GetRow<T extends string, I extends JobRelationship> extends Row<T> {
  readonly includes: { readonly [R in I]: ResourceSpec }
}

/** A GET of one job by id, derived from its row. */
export const getOne = <T extends string, I extends JobRelationship = never>(
  row: GetRow<T, I>,
): GetJob<T, I> => {
  const endpoint = {
    operation: row.operation,
    collectionPath: row.path,
    resource: bulkJobResource(row.job),
    includes: row.includes as Readonly<Record<string, ResourceSpec>>,
    limitClass: row.limitClass,
  }
  const get = (jobId: string, options?: object) => getResource(endpoint, jobId, options ?? {})
  return withRow(get, { kind: "get", row: { ...row, includes: endpoint.includes } }) as GetJob<T, I>
}
