/**
 * The simulator's routes, derived from the library's table: each of the nine job types has a
 * collection path (GET a list, POST a job) and a path of one job (GET it), and everything the
 * simulator needs about it (record schema, relationships, includes, limit classes) is read from
 * the rows, never restated.
 *
 * @internal
 */
import type * as Schema from "effect/Schema"
import type { LimitClass } from "../http/request.ts"
import type { ResourceSpec } from "../internal/jsonapi.ts"
import type { RecordRelationship } from "../endpoints/create.ts"
import { rowOf, type TableRow } from "../endpoints/rows.ts"
import { lazy } from "../internal/lazy.ts"
import * as Gets from "../endpoints/table.ts"
import * as Creates from "../endpoints/table-create.ts"
import * as Lists from "../endpoints/table-list.ts"
import { bulkJobResource } from "../resources/bulk-job.ts"
import type { SimulatedRoute } from "./api.ts"
import type { SimulatedJobType } from "./types.ts"

/** Everything the simulator serves for one job type. */
export interface JobRoute {
  /** The job's JSON:API type. */
  readonly job: SimulatedJobType
  /** The collection's path, `/api/catalog-item-bulk-create-jobs`. */
  readonly path: string
  /** The job resource (its attributes and the names of its fieldset). */
  readonly spec: ResourceSpec
  /** The JSON:API type of its records, `catalog-item`. */
  readonly resource: string
  /** The records' resource (its attributes and the names of its fieldset). */
  readonly resourceSpec: ResourceSpec
  /** The job's relationship to its records, and the member of a POST that holds them: `items`. */
  readonly collection: string
  /** What the job does to its records. */
  readonly shape: "create" | "update" | "delete"
  /** The flat record's Schema. */
  readonly record: Schema.Codec<unknown, unknown>
  /** The record's members that are relationship ids. */
  readonly relationships: { readonly [name: string]: RecordRelationship }
  /** What `include` accepts on a GET of one job. */
  readonly includes: Readonly<Record<string, ResourceSpec>>
  /** The limit class of each operation. */
  readonly limitClass: { readonly get: LimitClass; readonly list: LimitClass; readonly post: LimitClass }
  /** The operations' names. */
  readonly operation: { readonly get: string; readonly list: string; readonly post: string }
}

/** The routes, built from the table when the simulator first needs them, not at import. */
const build = (): ReadonlyArray<JobRoute> => {
  const rows: ReadonlyArray<TableRow> = [Gets, Lists, Creates].flatMap((module) =>
    Object.values(module).flatMap((derived) => {
      const row = rowOf(derived)
      return row === undefined ? [] : [row]
    })
  )
  // The catalog resources, by type, as the GET rows include them.
  const resourceSpecs: ReadonlyMap<string, ResourceSpec> = new Map(
    rows.flatMap((row) =>
      row.kind === "get" ? Object.values(row.row.includes).map((spec) => [spec.type, spec]) : []
    ),
  )
  return rows.flatMap((entry) => {
    if (entry.kind !== "create") return []
    const post = entry.row
    const get = rows.find((row) => row.kind === "get" && row.row.job === post.job)
    const list = rows.find((row) => row.kind === "list" && row.row.job === post.job)
    const resourceSpec = resourceSpecs.get(post.resource)
    if (get?.kind !== "get" || list === undefined || resourceSpec === undefined) {
      throw new Error(`the table has no GET, list or resource for ${post.job}`)
    }
    return [{
      job: post.job as SimulatedJobType,
      path: post.path,
      spec: bulkJobResource(post.job),
      resource: post.resource,
      resourceSpec,
      collection: post.collection,
      shape: post.shape,
      record: post.record,
      relationships: post.relationships,
      includes: get.row.includes,
      limitClass: { get: get.row.limitClass, list: list.row.limitClass, post: post.limitClass },
      operation: { get: get.row.operation, list: list.row.operation, post: post.operation },
    }]
  })
}

/** The nine job types' routes. */
export const jobRoutes: () => ReadonlyArray<JobRoute> = /* @__PURE__ */ lazy(build)

/** The route of a job type. */
export const routeOf = (type: string): JobRoute | undefined => jobRoutes().find((route) => route.job === type)

/** The 27 operations, as the model lists them. */
export const simulatedRoutes: () => ReadonlyArray<SimulatedRoute> = /* @__PURE__ */ lazy(() =>
  jobRoutes().flatMap((route) => [
    {
      operation: route.operation.get,
      method: "GET",
      path: `${route.path}/{job_id}`,
      job: route.job,
      limitClass: route.limitClass.get,
    },
    {
      operation: route.operation.list,
      method: "GET",
      path: route.path,
      job: route.job,
      limitClass: route.limitClass.list,
    },
    {
      operation: route.operation.post,
      method: "POST",
      path: route.path,
      job: route.job,
      limitClass: route.limitClass.post,
    },
  ])
)

/** Where a path leads: a collection, one job (its id decoded), or nowhere. */
export type Target =
  | { readonly kind: "collection"; readonly route: JobRoute }
  | { readonly kind: "job"; readonly route: JobRoute; readonly id: string }

/** Matches a path (with or without the trailing `/` of old revisions) to its route. */
export const matchPath = (pathname: string): Target | undefined => {
  const path = pathname.endsWith("/") ? pathname.slice(0, -1) : pathname
  for (const route of jobRoutes()) {
    if (path === route.path) return { kind: "collection", route }
    if (path.startsWith(`${route.path}/`)) {
      const segment = path.slice(route.path.length + 1)
      if (segment === "" || segment.includes("/")) return undefined
      try {
        return { kind: "job", route, id: decodeURIComponent(segment) }
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** The collection path of a catalog resource's own endpoints, `/api/catalog-categories`. */
export const resourcePath = (type: string): string =>
  `/api/${type.endsWith("y") ? `${type.slice(0, -1)}ies` : `${type}s`}`
