/**
 * What a request asks for beyond its path: the revision it speaks (falling forward from a
 * retired one, or 410), and the sparse fieldsets and `include` of its query, checked against the
 * names the route allows.
 *
 * @internal
 */
import { parseRevision, type Revision } from "../revision.ts"
import type { SimulatorRequest, SimulatorResponse } from "./api.ts"
import { errorResponse, invalidParameter } from "./wire.ts"

/** The revision a request is served in, or the error answer. */
export const revisionOf = (
  request: SimulatorRequest,
  retiredBefore: string | undefined,
): Revision | SimulatorResponse => {
  const header = request.headers["revision"]
  if (header === undefined) return invalidParameter("revision", "Missing revision header.")
  const parsed = parseRevision(header)
  if (!("date" in parsed)) return invalidParameter("revision", `Invalid revision: ${header}.`)
  if (retiredBefore === undefined || parsed.date >= retiredBefore) return parsed
  if (request.headers["x-klaviyo-revision-fall-forward-opt-out"] === "1") {
    return errorResponse(410, "gone", "Gone.", `Revision ${parsed.value} is no longer supported.`, {
      parameter: "revision",
    })
  }
  return parseRevision(retiredBefore) as Revision
}

/** Whether a value is an answer rather than what was asked for. */
export const isResponse = (value: unknown): value is SimulatorResponse =>
  typeof value === "object" && value !== null && "status" in value && "body" in value

/**
 * The fieldsets of a query, by type: each `fields[type]` must name a type the route serves
 * (`allowed`) and only names that type accepts.
 */
export const fieldsetsOf = (
  params: URLSearchParams,
  allowed: ReadonlyMap<string, ReadonlyArray<string>>,
): ReadonlyMap<string, ReadonlyArray<string>> | SimulatorResponse => {
  const out = new Map<string, ReadonlyArray<string>>()
  for (const [key, raw] of params) {
    const match = /^fields\[(.*)\]$/.exec(key)
    if (match === null) continue
    const type = match[1]!
    const names = allowed.get(type)
    if (names === undefined) {
      return invalidParameter(key, `'${type}' is not a valid resource type for this endpoint.`)
    }
    const asked = raw.split(",")
    const bad = asked.find((name) => !names.includes(name))
    if (bad !== undefined) {
      return invalidParameter(key, `'${bad}' is not a valid field for the resource '${type}'.`)
    }
    out.set(type, asked)
  }
  return out
}

/** The relationships `include` names, each one the route allows. */
export const includeOf = (
  params: URLSearchParams,
  allowed: ReadonlyArray<string>,
): ReadonlyArray<string> | SimulatorResponse => {
  const include = params.get("include")?.split(",") ?? []
  const bad = include.find((name) => !allowed.includes(name))
  return bad === undefined
    ? include
    : invalidParameter("include", `'${bad}' is not a valid relationship for include.`)
}

/** Refuses the query parameters an operation does not take (`page[size]`, `sort`, ...). */
export const refuseParameters = (
  params: URLSearchParams,
  refused: (key: string) => boolean,
): SimulatorResponse | undefined => {
  for (const key of params.keys()) {
    if (refused(key)) {
      return invalidParameter(key, `'${key}' is not a valid query parameter for this endpoint.`)
    }
  }
  return undefined
}
