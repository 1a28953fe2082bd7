/**
 * The common answer decoded in one pass, straight into the objects the caller gets: the
 * envelope checked as it is read, `included` indexed in the same walk, each referenced
 * resource built once with its attributes (see {@link decodeResource}). Nothing here reports:
 * for anything it is not sure of it answers `undefined`, and the slow path (the envelope
 * schema, then {@link decodePrimary}'s checks and {@link resolveIncluded}) decides and reports
 * exactly as it does without this one. It is generic over {@link ResourceSpec}s: every resource
 * gets it, through the twins derived from its Schema.
 *
 * @internal
 */
import { decodeResource } from "./attributes.ts"
import { isObject } from "./document.ts"
import type { FlatResource, Inclusion, ResourceSpec, UnresolvedReference } from "./jsonapi.ts"

type Members = { readonly [key: string]: unknown }

const isIdentifier = (value: unknown): value is { readonly type: string; readonly id: string } =>
  isObject(value) && Object.hasOwn(value, "type") && typeof value["type"] === "string" &&
  Object.hasOwn(value, "id") && typeof value["id"] === "string"

/** A relationship the envelope accepts: an object whose `data`, if given, is null, one identifier or a list of them. */
const isRelationship = (value: unknown): boolean => {
  if (!isObject(value)) return false
  if (!Object.hasOwn(value, "data")) return true
  const data = value["data"]
  if (data === null || isIdentifier(data)) return true
  if (!Array.isArray(data)) return false
  for (let i = 0; i < data.length; i++) if (!isIdentifier(data[i])) return false
  return true
}

/**
 * The id of the primary resource, or `undefined` when the slow path must decide (a missing id
 * for a created resource, another resource's id, an id that is not a string).
 */
const primaryId = (
  spec: ResourceSpec,
  data: Members,
  attributes: Members | undefined,
  asked: string | undefined,
): string | undefined => {
  const answered = Object.hasOwn(data, "id")
    ? data["id"]
    : spec.idAttribute === undefined || attributes === undefined
    ? undefined
    : attributes[spec.idAttribute]
  if (answered === undefined) return asked
  if (typeof answered !== "string") return undefined
  return asked === undefined || answered.toLowerCase() === asked.toLowerCase() ? answered : undefined
}

/** The index of a document decoded without inclusions: never written, never read. */
const noIndex: Map<string, Map<string, number>> = new Map()

/**
 * `included` checked as the envelope checks it, and indexed in the same walk: for each type an
 * inclusion resolves, id -> the first position. `undefined` when a resource is not well formed.
 */
const indexIncluded = (
  included: ReadonlyArray<unknown>,
  inclusions: ReadonlyArray<Inclusion>,
): Map<string, Map<string, number>> | undefined => {
  // Without inclusions nothing is looked up: the resources are only checked, into no index.
  const index = inclusions.length === 0 ? noIndex : new Map<string, Map<string, number>>()
  for (const { spec } of inclusions) index.set(spec.type, new Map())
  for (let position = 0; position < included.length; position++) {
    const resource = included[position]
    if (!isIdentifier(resource)) return undefined
    if (Object.hasOwn(resource, "attributes") && !isObject((resource as Members)["attributes"])) {
      return undefined
    }
    const byId = index.get(resource.type)
    if (byId !== undefined && !byId.has(resource.id)) byId.set(resource.id, position)
  }
  return index
}

/** The identifiers of a relationship (one, a list or none), checked; `undefined` when one is not well formed. */
const linkageOf = (
  relationship: unknown,
): ReadonlyArray<{ readonly type: string; readonly id: string }> | undefined => {
  if (!isObject(relationship)) return undefined
  const data = relationship["data"]
  if (data === undefined || data === null) return []
  if (!Array.isArray(data)) return isIdentifier(data) ? [data] : undefined
  return data
}

/**
 * Decodes `body` into the joined resource `resolveIncluded(decodePrimary(...))` would give, or
 * `undefined` when the slow path must decide (it then reports what it finds).
 */
export const decodeJoined = (
  spec: ResourceSpec,
  asked: string | undefined,
  primaryFields: ReadonlyArray<string> | undefined,
  inclusions: ReadonlyArray<Inclusion>,
  body: unknown,
): FlatResource | undefined => {
  if (!isObject(body) || !Object.hasOwn(body, "data")) return undefined
  const data = body["data"]
  if (!isObject(data) || !Object.hasOwn(data, "type") || data["type"] !== spec.type) return undefined
  const attributes = Object.hasOwn(data, "attributes") ? data["attributes"] : undefined
  if (attributes !== undefined && !isObject(attributes)) return undefined
  if (Object.hasOwn(data, "id") && typeof data["id"] !== "string") return undefined
  const id = primaryId(spec, data, attributes, asked)
  if (id === undefined) return undefined
  const relationships: Members = Object.hasOwn(data, "relationships") ? data["relationships"] as Members : {}
  if (!isObject(relationships)) return undefined
  // The relationships no inclusion reads are checked here; the others as they are resolved.
  for (const name of Object.keys(relationships)) {
    if (
      !inclusions.some((inclusion) => inclusion.relationship === name) && !isRelationship(relationships[name])
    ) {
      return undefined
    }
  }
  const included = Object.hasOwn(body, "included") ? body["included"] : []
  if (!Array.isArray(included)) return undefined
  const index = indexIncluded(included, inclusions)
  if (index === undefined) return undefined
  const joined = decodeResource(spec.type, id, spec, primaryFields, attributes ?? {})
  if (joined === undefined) return undefined
  const out = joined as Record<string, unknown>
  // As `resolveIncluded` does: without inclusions, the primary resource as it is.
  if (inclusions.length === 0) return joined
  const unresolved: Array<UnresolvedReference> = []
  for (const { relationship, spec: target, fields } of inclusions) {
    const given = Object.hasOwn(relationships, relationship)
    // Included resources that nothing references: the slow path refuses them.
    if (!given && index.get(target.type)!.size > 0) return undefined
    const linkage = given ? linkageOf(relationships[relationship]) : []
    if (linkage === undefined) return undefined
    const byId = index.get(target.type)!
    const resolved: Array<FlatResource> = []
    for (let i = 0; i < linkage.length; i++) {
      const identifier = linkage[i]
      if (!isIdentifier(identifier)) return undefined
      const position = identifier.type === target.type ? byId.get(identifier.id) : undefined
      if (position === undefined) {
        unresolved.push({ relationship, type: identifier.type, id: identifier.id })
        continue
      }
      const resource = included[position] as Members & { readonly type: string; readonly id: string }
      const decoded = decodeResource(resource.type, resource.id, target, fields, resource["attributes"] ?? {})
      if (decoded === undefined) return undefined
      resolved.push(decoded)
    }
    out[relationship] = resolved
  }
  out["unresolved"] = unresolved
  return out as FlatResource
}
