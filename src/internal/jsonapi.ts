/**
 * The JSON:API part of the pipeline, generic over resources: the document envelope, sparse
 * attribute decoding, and the join of relationships with `included`.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import { decodeDocument, type DocumentShape, isDocument, isObject } from "./document.ts"
import { DECLINE } from "./schemas.ts"
import * as SchemaIssue from "effect/SchemaIssue"
import { DecodeError, type DecodeIssue } from "../errors.ts"
import type { Revision } from "../revision.ts"

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
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** Renders a path as `data.attributes.errors[0].id`. */
const renderPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) =>
      typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`,
    "",
  )

/** Describes what stands at `path` in `input`, briefly and without echoing long strings. */
const describeFound = (input: unknown, path: ReadonlyArray<PropertyKey>): string => {
  let here: unknown = input
  for (const key of path) {
    if (here === null || typeof here !== "object" || !(key in here)) return "nothing (the key is missing)"
    here = (here as Record<PropertyKey, unknown>)[key]
  }
  if (here === null) return "null"
  if (Array.isArray(here)) return `an array of ${here.length}`
  if (typeof here === "object") return "an object"
  if (typeof here === "string") return JSON.stringify(here.length > 60 ? `${here.slice(0, 60)}…` : here)
  return String(here)
}

/** Turns a schema issue into our issues, each path prefixed and each message saying what was found. */
const toIssues = (
  issue: SchemaIssue.Issue,
  input: unknown,
  prefix: ReadonlyArray<PropertyKey>,
): ReadonlyArray<DecodeIssue> =>
  formatter(issue).issues.map(({ message, path }) => {
    const keys = (path ?? []).map((segment) =>
      typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment
    )
    const found = message.includes(", found ") || message.startsWith("Missing key")
      ? message.startsWith("Missing key") ? "Missing key" : message
      : `${message}, found ${describeFound(input, keys)}`
    return { path: renderPath([...prefix, ...keys]), message: found }
  })

const decodeError = (url: string, issues: ReadonlyArray<DecodeIssue>): DecodeError => {
  const first = issues[0] ?? { path: "", message: "the body does not match" }
  return new DecodeError({ path: first.path, reason: first.message, issues, url })
}

/** A decoder of a resource's attributes, as `Schema.decodeUnknownExit` makes it. */
type AttributesDecoder = (
  input: unknown,
  options?: { readonly errors?: "first" | "all" },
) => Exit.Exit<Record<string, unknown>, Schema.SchemaError>

/** The attributes a fieldset selects, with their schema's decoder. */
interface SelectedAttributes {
  readonly decode: AttributesDecoder
  readonly selected: ReadonlyArray<readonly [string, AttributeSpec]>
}

const decoderCache = new WeakMap<ResourceSpec, Map<string, SelectedAttributes>>()

/** The attribute decoder for a resource with the given fieldset (all attributes when `undefined`), cached. */
const attributesDecoder = (
  spec: ResourceSpec,
  fields: ReadonlyArray<string> | undefined,
): SelectedAttributes => {
  const key = fields === undefined ? "*" : fields.join(",")
  let byFields = decoderCache.get(spec)
  if (byFields === undefined) decoderCache.set(spec, byFields = new Map())
  const cached = byFields.get(key)
  if (cached !== undefined) return cached
  const struct: Record<string, Schema.Top> = {}
  const selected: Array<readonly [string, AttributeSpec]> = []
  for (const [name, attribute] of Object.entries(spec.attributes)) {
    if (fields !== undefined && !fields.includes(name)) continue
    struct[name] = attribute.required ? attribute.schema : Schema.optionalKey(attribute.schema)
    selected.push([name, attribute])
  }
  const schema = Schema.Struct(struct) as unknown as Schema.Decoder<Record<string, unknown>>
  const decoder: SelectedAttributes = { decode: Schema.decodeUnknownExit(schema), selected }
  byFields.set(key, decoder)
  return decoder
}

/**
 * The attributes decoded in plain code, or `undefined` when any of them is left to the schema:
 * the selected attributes only, an absent optional one left absent, as the schema does.
 */
const fastAttributes = (
  selected: ReadonlyArray<readonly [string, AttributeSpec]>,
  attributes: unknown,
): Record<string, unknown> | undefined => {
  if (!isObject(attributes)) return undefined
  const out: Record<string, unknown> = {}
  for (const [name, attribute] of selected) {
    if (!Object.hasOwn(attributes, name)) {
      if (attribute.required) return undefined
      continue
    }
    if (attribute.fast === undefined) return undefined
    const value = attribute.fast(attributes[name])
    if (value === DECLINE) return undefined
    out[name] = value
  }
  return out
}

/** Decodes a resource's attributes, or returns the issues found, their paths under `prefix`. */
const decodeAttributes = (
  spec: ResourceSpec,
  fields: ReadonlyArray<string> | undefined,
  attributes: unknown,
  prefix: ReadonlyArray<PropertyKey>,
): Record<string, unknown> | ReadonlyArray<DecodeIssue> => {
  const { decode, selected } = attributesDecoder(spec, fields)
  const fast = fastAttributes(selected, attributes)
  if (fast !== undefined) return fast
  // The schema's fast path stops at the first issue; only a failure is decoded again with
  // `errors: "all"`, to report every issue (a success is the same value either way).
  const first = decode(attributes)
  if (Exit.isSuccess(first)) return first.value
  const exit = decode(attributes, { errors: "all" })
  if (Exit.isSuccess(exit)) return exit.value
  const error = exit.cause.reasons.find((reason) => reason._tag === "Fail")
  return error !== undefined && Schema.isSchemaError(error.error)
    ? toIssues(error.error.issue, attributes, prefix)
    : [{ path: renderPath(prefix), message: "the attributes could not be decoded" }]
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
  requested: { readonly id: string | undefined; readonly primaryFields: ReadonlyArray<string> | undefined },
  body: unknown,
  url: string,
): Effect.Effect<DecodedDocument, DecodeError> =>
  Effect.suspend(() => {
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
    const relationships: Record<string, ReadonlyArray<Identifier>> = {}
    for (const [name, relationship] of Object.entries(data.relationships ?? {})) {
      const linkage = relationship.data
      relationships[name] = linkage === undefined || linkage === null
        ? []
        : Array.isArray(linkage)
        ? linkage
        : [linkage as Identifier]
    }
    return Effect.succeed({
      resource: { type: data.type, id, ...attributes },
      relationships,
      relationshipsGiven: new Set(Object.keys(data.relationships ?? {})),
      included,
      url,
    })
  })

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
