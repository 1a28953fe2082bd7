/**
 * The JSON:API part of the pipeline, generic over resources: the document envelope, sparse
 * attribute decoding, and the join of relationships with `included`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type { DecodeError } from "../errors.ts"
import type { Revision } from "../revision.ts"
import { decodeAttributes, decodeError, describeFound, toIssues } from "./attributes.ts"
import { decodeDocument, type DocumentShape, isDocument } from "./document.ts"
import { decodeJoined } from "./one-pass.ts"

/** One attribute of a resource: its schema, and whether a full document must carry it. */
export interface AttributeSpec {
  readonly schema: Schema.Decoder<unknown>
  readonly required: boolean
  /**
   * The same decoding in plain code for the common values: the decoded value, or
   * {@link DECLINE} for anything it is not sure of (the schema then decides and reports).
   */
  readonly fast?: ((value: unknown) => unknown) | undefined
}

/** A resource type as the spec describes it. */
export interface ResourceSpec {
  /** The JSON:API `type`. */
  readonly type: string
  /** The attributes the library decodes, under their wire names. */
  readonly attributes: Readonly<Record<string, AttributeSpec>>
  /** The names `fields[type]` accepts in a revision. */
  readonly fields: (revision: Revision) => ReadonlyArray<string>
  /** An attribute that carried the id in old revisions (for jobs: `job_id`). */
  readonly idAttribute?: string
}

/**
 * A resource identifier that `included` did not resolve.
 *
 * @example
 * ```ts
 * import type { UnresolvedReference } from "@effect-klaviyo/catalog-jobs"
 *
 * const missing: UnresolvedReference = { relationship: "categories", type: "catalog-category", id: "$custom:::$default:::GONE" }
 * ```
 */
export interface UnresolvedReference {
  /** The relationship that names it, for example `categories`. */
  readonly relationship: string
  /** Its JSON:API type. */
  readonly type: string
  /** Its id. */
  readonly id: string
}

/** A JSON:API resource identifier. */
export interface Identifier {
  readonly type: string
  readonly id: string
}

/** A resource of `included`, its attributes not yet decoded. */
export interface IncludedResource {
  readonly type: string
  readonly id: string
  readonly attributes?: { readonly [key: string]: unknown }
}

/** A flat resource: `type`, `id`, then the decoded attributes under their wire names. */
export type FlatResource = { readonly type: string; readonly id: string } & Readonly<Record<string, unknown>>

/** A decoded primary resource, with what `resolve` needs. */
export interface DecodedDocument {
  readonly resource: FlatResource
  readonly relationships: Readonly<Record<string, ReadonlyArray<Identifier>>>
  /** The relationships the document names at all. */
  readonly relationshipsGiven: ReadonlySet<string>
  readonly included: ReadonlyArray<IncludedResource> | undefined
  readonly url: string
  /**
   * Set when the document was decoded in one pass with its inclusions (see `decodeJoined`):
   * `resource` is then already the joined resource, which {@link resolveIncluded} returns as
   * it is for the same inclusions.
   */
  readonly joined?: ReadonlyArray<Inclusion> | undefined
}

/** The relationships of a well-formed document, each as a list of identifiers. */
const relationshipsOf = (
  data: DocumentShape["data"],
): Readonly<Record<string, ReadonlyArray<Identifier>>> => {
  const relationships: Record<string, ReadonlyArray<Identifier>> = {}
  for (const [name, relationship] of Object.entries(data.relationships ?? {})) {
    const linkage = relationship.data
    relationships[name] = linkage === undefined || linkage === null
      ? []
      : Array.isArray(linkage)
      ? linkage
      : [linkage as Identifier]
  }
  return relationships
}

/**
 * Why the answered id is not the resource asked for, or `undefined` when it is: a 200 for
 * another resource (a proxy or cache mix-up) must not pass for the one asked for. Letter case
 * is not compared: job ids are ULIDs, which are case-insensitive.
 */
const otherResource = (answered: unknown, asked: string): string | undefined => {
  if (typeof answered !== "string") return `Expected string, found ${describeFound(answered, [])}`
  return answered.toLowerCase() === asked.toLowerCase()
    ? undefined
    : `Expected ${JSON.stringify(asked)} (the id asked for), found ${describeFound(answered, [])}`
}

/**
 * Decodes a JSON:API document whose primary data is one `spec` resource, shaped by the
 * requested fieldset: a field that was not asked for is not decoded and not returned.
 */
export const decodePrimary = (
  spec: ResourceSpec,
  /** The id asked for; `undefined` for a resource just created (any id is its id, and it must have one). */
  requested: {
    readonly id: string | undefined
    readonly primaryFields: ReadonlyArray<string> | undefined
    /**
     * The relationships to resolve, when the caller will resolve them with
     * {@link resolveIncluded}: the common document is then decoded in one pass, straight into
     * the joined resource.
     */
    readonly inclusions?: ReadonlyArray<Inclusion> | undefined
  },
  body: unknown,
  url: string,
): Effect.Effect<DecodedDocument, DecodeError> =>
  Effect.suspend(() => {
    const inclusions = requested.inclusions
    if (inclusions !== undefined) {
      const joined = decodeJoined(spec, requested.id, requested.primaryFields, inclusions, body)
      if (joined !== undefined) {
        // `decodeJoined` answers only for a document the envelope check accepts.
        const { data, included } = body as DocumentShape
        return Effect.succeed({
          resource: joined,
          relationships: relationshipsOf(data),
          relationshipsGiven: new Set(Object.keys(data.relationships ?? {})),
          included,
          url,
          joined: inclusions,
        })
      }
    }
    let document: DocumentShape
    if (isDocument(body)) {
      // The members the schema would keep are read from the body itself; nothing else is.
      document = body
    } else {
      const exit = decodeDocument(body, { errors: "all" })
      if (Exit.isFailure(exit)) {
        const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")
        const issues = error !== undefined && Schema.isSchemaError(error.error)
          ? toIssues(error.error.issue, body, [])
          : []
        return Effect.fail(decodeError(url, issues))
      }
      document = exit.value
    }
    const { data, included } = document
    const dataAttributes = data.attributes ?? {}
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      return Effect.fail(decodeError(url, [{ path: "data", message: "Expected one resource, found a list" }]))
    }
    if (data.type !== spec.type) {
      return Effect.fail(decodeError(url, [{
        path: "data.type",
        message: `Expected ${JSON.stringify(spec.type)}, found ${JSON.stringify(data.type)}`,
      }]))
    }
    // Old revisions carry the id in an attribute (and leave it out under a sparse fieldset that
    // does not name it); without either, the id asked for is the id of the resource answered.
    const legacyId = spec.idAttribute === undefined ? undefined : dataAttributes[spec.idAttribute]
    const answered = data.id !== undefined
      ? { id: data.id, path: "data.id" }
      : legacyId !== undefined
      ? { id: legacyId, path: `data.attributes.${spec.idAttribute}` }
      : undefined
    const asked = requested.id
    const mismatch = answered === undefined
      ? asked === undefined ? "Missing key (a created resource must have its id)" : undefined
      : asked === undefined
      ? typeof answered.id === "string"
        ? undefined
        : `Expected string, found ${describeFound(answered.id, [])}`
      : otherResource(answered.id, asked)
    if (mismatch !== undefined) {
      return Effect.fail(decodeError(url, [{ path: answered?.path ?? "data.id", message: mismatch }]))
    }
    const id = typeof answered?.id === "string" ? answered.id : asked ?? ""
    const attributes = decodeAttributes(spec, requested.primaryFields, dataAttributes, [
      "data",
      "attributes",
    ])
    if (Array.isArray(attributes)) return Effect.fail(decodeError(url, attributes))
    return Effect.succeed({
      resource: { type: data.type, id, ...attributes },
      relationships: relationshipsOf(data),
      relationshipsGiven: new Set(Object.keys(data.relationships ?? {})),
      included,
      url,
    })
  })

/**
 * The one-pass decode (see `decodeJoined`) of a document without inclusions whose resource is
 * just created or listed (any id is its id), in plain code: the resource and the relationships
 * {@link decodePrimary} would answer, or `undefined` when it must decide (and report) instead.
 */
export const decodePrimaryNow = (
  spec: ResourceSpec,
  primaryFields: ReadonlyArray<string> | undefined,
  body: unknown,
  /** `false`: the caller reads no relationship, and `relationships` is left empty. */
  withRelationships = true,
): Pick<DecodedDocument, "resource" | "relationships"> | undefined => {
  const resource = decodeJoined(spec, undefined, primaryFields, [], body)
  return resource === undefined ? undefined : {
    resource,
    relationships: withRelationships ? relationshipsOf((body as DocumentShape).data) : noRelationships,
  }
}

/** The relationships of a resource whose reader reads none. */
const noRelationships: Readonly<Record<string, ReadonlyArray<Identifier>>> = {}

/** One relationship to resolve: its name, the resource it points to, and that resource's fieldset. */
export interface Inclusion {
  readonly relationship: string
  readonly spec: ResourceSpec
  readonly fields: ReadonlyArray<string> | undefined
}

/**
 * Joins relationships with `included`: each relationship becomes a list of flat resources in
 * relationship order. An identifier without a resource is reported in `unresolved`, never
 * dropped; an included resource nobody references is ignored.
 */
export const resolveIncluded = (
  document: DecodedDocument,
  inclusions: ReadonlyArray<Inclusion>,
): Effect.Effect<FlatResource, DecodeError> =>
  Effect.suspend(() => {
    if (document.joined !== undefined) {
      return document.joined === inclusions
        ? Effect.succeed(document.resource)
        : Effect.die(new Error("a document decoded with its inclusions is resolved with those only"))
    }
    if (inclusions.length === 0) return Effect.succeed(document.resource)
    // type -> id -> the first position in `included` (no key strings built per resource).
    const index = new Map<string, Map<string, number>>()
    const included = document.included ?? []
    for (let position = 0; position < included.length; position++) {
      const { type, id } = included[position]!
      let byId = index.get(type)
      if (byId === undefined) index.set(type, byId = new Map())
      if (!byId.has(id)) byId.set(id, position)
    }
    const joined: Record<string, unknown> = { ...document.resource }
    const unresolved: Array<UnresolvedReference> = []
    for (const { relationship, spec, fields } of inclusions) {
      if (!document.relationshipsGiven.has(relationship)) {
        // Without the relationship nothing says which included resources belong to it or in
        // which order: refuse rather than guess or drop them.
        const orphans = included.filter((resource) => resource.type === spec.type).length
        if (orphans > 0) {
          return Effect.fail(decodeError(document.url, [{
            path: `data.relationships.${relationship}`,
            message: `Missing key, while included holds ${orphans} ${spec.type} resource${
              orphans === 1 ? "" : "s"
            } that nothing references`,
          }]))
        }
      }
      const resolved: Array<FlatResource> = []
      for (const identifier of document.relationships[relationship] ?? []) {
        const position = index.get(identifier.type)?.get(identifier.id)
        const resource = position === undefined ? undefined : included[position]
        if (position === undefined || resource === undefined || identifier.type !== spec.type) {
          unresolved.push({ relationship, type: identifier.type, id: identifier.id })
          continue
        }
        const attributes = decodeAttributes(spec, fields, resource.attributes ?? {}, [
          "included",
          position,
          "attributes",
        ])
        if (Array.isArray(attributes)) return Effect.fail(decodeError(document.url, attributes))
        resolved.push({ type: resource.type, id: resource.id, ...attributes })
      }
      joined[relationship] = resolved
    }
    joined["unresolved"] = unresolved
    return Effect.succeed(joined as FlatResource)
  })
