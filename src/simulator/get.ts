/**
 * The GETs of every job type: one job by id (sparse fieldsets, `include` where the row allows it,
 * resolved from the stores), and the list of a type's jobs, newest first, 100 a page, filtered by
 * status only, paged with `page[cursor]` and `links.next`.
 *
 * @internal
 */
import type { Revision } from "../revision.ts"
import type { SimulatorResponse } from "./api.ts"
import type { Context } from "./context.ts"
import { contentType, includedResource, jobResource } from "./document.ts"
import { relationshipIds, typeOf } from "./progress.ts"
import { fieldsetsOf, includeOf, isResponse, refuseParameters } from "./query.ts"
import type { JobRoute } from "./routes.ts"
import { type StoredResource, storeOf } from "./store.ts"
import type { SimulatedJob } from "./types.ts"
import { errorResponse, invalidParameter } from "./wire.ts"

const ok = (status: number, revision: Revision, document: unknown): SimulatorResponse => ({
  status,
  headers: { "content-type": contentType(revision) },
  body: JSON.stringify(document),
})

/** A job of the route's type as it stands at `now`, or `undefined` (unknown, another type's, or expired). */
const jobOf = (context: Context, route: JobRoute, id: string, now: number): SimulatedJob | undefined => {
  const stored = context.jobs.get(id)
  return stored === undefined || typeOf(stored) !== route.job ? undefined : context.stateAt(stored, now)
}

/** `GET {path}/{job_id}`. */
export const getJob = (
  context: Context,
  route: JobRoute,
  id: string,
  url: URL,
  revision: Revision,
  now: number,
): SimulatorResponse => {
  const includable = Object.entries(route.includes)
  const fieldsets = fieldsetsOf(
    url.searchParams,
    new Map([
      [route.job, route.spec.fields(revision)],
      ...includable.map(([, spec]) => [spec.type, spec.fields(revision)] as const),
    ]),
  )
  if (isResponse(fieldsets)) return fieldsets
  const include = includeOf(url.searchParams, includable.map(([name]) => name))
  if (isResponse(include)) return include
  const job = jobOf(context, route, id, now)
  if (job === undefined) {
    const what = route.job.replace(/^catalog-/, "catalog ").replace(/-job$/, " job").replaceAll("-", " ")
    return errorResponse(404, "not_found", "Not found.", `A ${what} with id ${id} does not exist.`)
  }
  const origin = context.origin(url)
  const included = include.length === 0
    ? undefined
    : includeResources(context, route, job, include, fieldsets, revision, origin)
  return ok(200, revision, {
    data: jobResource(route, job, revision, origin, fieldsets.get(route.job)),
    ...(included === undefined ? {} : { included }),
  })
}

/** The resources `include` asks for, from the stores, in relationship order, each once; missing ones left out. */
const includeResources = (
  context: Context,
  route: JobRoute,
  job: SimulatedJob,
  include: ReadonlyArray<string>,
  fieldsets: ReadonlyMap<string, ReadonlyArray<string>>,
  revision: Revision,
  origin: string,
): ReadonlyArray<unknown> => {
  const out: Array<unknown> = []
  for (const name of new Set(include)) {
    const spec = route.includes[name]
    if (spec === undefined || name !== route.collection) continue
    const store = storeOf(context.stores, spec.type)
    const seen = new Set<string>()
    for (const id of relationshipIds(route, job)) {
      const resource: StoredResource | undefined = store?.get(id)
      if (resource === undefined || seen.has(id)) continue
      seen.add(id)
      out.push(includedResource(spec, resource, revision, origin, fieldsets.get(spec.type)))
    }
  }
  return out
}

const STATUS_FILTER = /^equals\(status,\s*(['"])(cancelled|complete|processing|queued)\1\)$/

/** A page's cursor: where the previous page ended (created_at and id of its last job). */
const encodeCursor = (job: SimulatedJob): string =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify([job.created_at.getTime(), job.id]))))

const decodeCursor = (cursor: string): readonly [number, string] | undefined => {
  try {
    const bytes = Uint8Array.from(atob(cursor), (char) => char.charCodeAt(0))
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes))
    return Array.isArray(value) && value.length === 2 && typeof value[0] === "number" &&
        typeof value[1] === "string"
      ? [value[0], value[1]]
      : undefined
  } catch {
    return undefined
  }
}

/** Newest first; among jobs created at once, the greater id first. */
const newestFirst = (a: SimulatedJob, b: SimulatedJob): number =>
  b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)

/** `GET {path}`: a page of the type's jobs. */
export const listJobs = (
  context: Context,
  route: JobRoute,
  url: URL,
  revision: Revision,
  now: number,
): SimulatorResponse => {
  const params = url.searchParams
  const refused = refuseParameters(
    params,
    (key) => key === "include" || key === "sort" || (key.startsWith("page[") && key !== "page[cursor]"),
  )
  if (refused !== undefined) return refused
  const fieldsets = fieldsetsOf(params, new Map([[route.job, route.spec.fields(revision)]]))
  if (isResponse(fieldsets)) return fieldsets
  const filter = params.get("filter")
  const status = filter === null ? undefined : STATUS_FILTER.exec(filter)?.[2]
  if (filter !== null && status === undefined) {
    return invalidParameter(
      "filter",
      `Invalid filter: only equals(status,'…') is allowed, with one of cancelled, complete, processing, queued.`,
    )
  }
  const cursorText = params.get("page[cursor]")
  const cursor = cursorText === null ? undefined : decodeCursor(cursorText)
  if (cursorText !== null && cursor === undefined) {
    return invalidParameter("page[cursor]", "Invalid page cursor.")
  }
  const all: Array<SimulatedJob> = []
  for (const stored of context.jobs.values()) {
    if (typeOf(stored) !== route.job) continue
    const job = context.stateAt(stored, now)
    if (job === undefined || (status !== undefined && job.status !== status)) continue
    if (
      cursor !== undefined &&
      newestFirst(job, { ...job, created_at: new Date(cursor[0]), id: cursor[1] }) <= 0
    ) continue
    all.push(job)
  }
  all.sort(newestFirst)
  const page = all.slice(0, context.limits.pageSize)
  const origin = context.origin(url)
  const last = page[page.length - 1]
  let next: string | null = null
  if (all.length > page.length && last !== undefined) {
    const nextParams = new URLSearchParams(params)
    nextParams.set("page[cursor]", encodeCursor(last))
    next = `${origin}${url.pathname}?${nextParams.toString()}`
  }
  return ok(200, revision, {
    data: page.map((job) => jobResource(route, job, revision, origin, fieldsets.get(route.job))),
    links: { self: `${origin}${url.pathname}${url.search}`, next, prev: null },
  })
}
