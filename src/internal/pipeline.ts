/**
 * The pipeline every "get one resource" endpoint runs: build the request, send it, decode the
 * document, resolve `included`. An endpoint is only a declaration ({@link GetEndpoint}).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import { KlaviyoClient, type KlaviyoClientShape } from "../client.ts"
import type { ApiRequest, LimitClass } from "../http/request.ts"
import { InvalidRequest, type KlaviyoError } from "../errors.ts"
import type { Revision } from "../revision.ts"
import { withSpanIfTraced } from "./traced.ts"
import { hasControlCharacter } from "./wire.ts"
import {
  decodePrimary,
  type FlatResource,
  type Inclusion,
  resolveIncluded,
  type ResourceSpec,
} from "./jsonapi.ts"

/** A "get one resource by id" endpoint. */
export interface GetEndpoint {
  /** The operation's name, for spans and logs. */
  readonly operation: string
  /** The collection's path; the id is appended as one percent-encoded segment. */
  readonly collectionPath: string
  /** The primary resource. */
  readonly resource: ResourceSpec
  /** What `include` accepts: relationship name to the resource it points to. */
  readonly includes: Readonly<Record<string, ResourceSpec>>
  /** The operation's rate-limit class. */
  readonly limitClass?: LimitClass | undefined
}

/** The options of a get, untyped: the public functions narrow them. */
export interface GetOptions {
  readonly fields?: { readonly [type: string]: ReadonlyArray<string> | undefined } | undefined
  readonly include?: ReadonlyArray<string> | undefined
}

/** A request ready to send, with how to decode its answer. */
export interface PreparedGet {
  /** The id asked for. */
  readonly id: string
  readonly request: ApiRequest
  readonly primaryFields: ReadonlyArray<string> | undefined
  readonly inclusions: ReadonlyArray<Inclusion>
}

/** The longest id accepted; Klaviyo's job ids are 26-character ULIDs. */
export const MAX_ID_LENGTH = 255

export const invalid = (input: InvalidRequest["input"], reason: string): InvalidRequest =>
  new InvalidRequest({ input, reason })

const checkId = (id: unknown): string | InvalidRequest => {
  if (typeof id !== "string") {
    return invalid("jobId", `expected a string, got ${id === null ? "null" : typeof id}`)
  }
  if (id.length === 0) return invalid("jobId", "the id is empty")
  if (id.length > MAX_ID_LENGTH) {
    return invalid("jobId", `the id is ${id.length} characters long; at most ${MAX_ID_LENGTH} are accepted`)
  }
  if (hasControlCharacter(id)) return invalid("jobId", "the id contains control characters")
  if (id.trim() !== id) {
    return invalid("jobId", `the id ${JSON.stringify(id)} has leading or trailing white space`)
  }
  if (id === "." || id === "..") {
    return invalid("jobId", `${JSON.stringify(id)} is not an id (it would change the path)`)
  }
  try {
    encodeURIComponent(id)
  } catch {
    return invalid("jobId", "the id is not well-formed Unicode (it holds a lone surrogate)")
  }
  return id
}

/** Checks one fieldset against the names the spec lists for the revision. */
export const checkFieldset = (
  type: string,
  names: unknown,
  allowed: ReadonlyArray<string>,
): ReadonlyArray<string> | InvalidRequest => {
  if (!Array.isArray(names)) return invalid("fields", `fields[${type}] must be an array of field names`)
  if (names.length === 0) {
    return invalid("fields", `fields[${type}] is empty: name at least one field, or leave it out`)
  }
  const unknown = names.filter((name) => typeof name !== "string" || !allowed.includes(name))
  if (unknown.length > 0) {
    return invalid(
      "fields",
      `fields[${type}] names ${
        unknown.map((n) => JSON.stringify(n)).join(", ")
      }, which this revision does not list; ` +
        `the fields are: ${allowed.join(", ")}`,
    )
  }
  return [...new Set(names as ReadonlyArray<string>)]
}

/** Validates the input and builds the request: path, `fields[...]`, `include`. Nothing is sent. */
export const buildRequest = (
  endpoint: GetEndpoint,
  id: string,
  options: GetOptions,
  revision: Revision,
): Effect.Effect<PreparedGet, InvalidRequest> =>
  Effect.suspend(() => {
    const checkedId = checkId(id)
    if (checkedId instanceof InvalidRequest) return Effect.fail(checkedId)

    const include = options.include ?? []
    if (!Array.isArray(include)) {
      return Effect.fail(invalid("include", "include must be an array of relationship names"))
    }
    const relationships = [...new Set(include)]
    const unknownInclude = relationships.filter((name) => !Object.hasOwn(endpoint.includes, name))
    if (unknownInclude.length > 0) {
      return Effect.fail(invalid(
        "include",
        `${
          unknownInclude.map((n) => JSON.stringify(n)).join(", ")
        } cannot be included; this endpoint includes: ${Object.keys(endpoint.includes).join(", ")}`,
      ))
    }

    const specsByType = new Map<string, ResourceSpec>([[endpoint.resource.type, endpoint.resource]])
    for (const spec of Object.values(endpoint.includes)) specsByType.set(spec.type, spec)
    const fieldsets = new Map<string, ReadonlyArray<string>>()
    const urlParams: Array<readonly [string, string]> = []
    for (const [type, names] of Object.entries(options.fields ?? {})) {
      if (names === undefined) continue
      const spec = specsByType.get(type)
      if (spec === undefined) {
        return Effect.fail(invalid(
          "fields",
          `fields[${type}]: this endpoint returns no ${JSON.stringify(type)} resources; it returns ${
            [...specsByType.keys()].join(", ")
          }`,
        ))
      }
      const checked = checkFieldset(type, names, spec.fields(revision))
      if (checked instanceof InvalidRequest) return Effect.fail(checked)
      fieldsets.set(type, checked)
      urlParams.push([`fields[${type}]`, checked.join(",")])
    }
    if (relationships.length > 0) urlParams.push(["include", relationships.join(",")])

    const attributeNames = (spec: ResourceSpec): ReadonlyArray<string> | undefined => {
      const names = fieldsets.get(spec.type)
      return names === undefined ? undefined : names.filter((name) => Object.hasOwn(spec.attributes, name))
    }
    return Effect.succeed({
      id: checkedId,
      request: {
        operation: endpoint.operation,
        method: "GET",
        limitClass: endpoint.limitClass,
        path: `${endpoint.collectionPath}/${encodeURIComponent(checkedId)}${revision.legacyPath ? "/" : ""}`,
        urlParams,
      },
      primaryFields: attributeNames(endpoint.resource),
      inclusions: relationships.map((relationship) => {
        const spec = endpoint.includes[relationship]!
        return { relationship, spec, fields: attributeNames(spec) }
      }),
    })
  })

/**
 * One stage of a call in its span. Its error goes through the client's scrubber before the span
 * records it: a decoded value quoted in a `DecodeError`, a URL a redirect led to, never hold the
 * credential in the error, its span's exit or anything that prints them.
 */
export const stage = <A, E>(
  client: KlaviyoClientShape,
  name: string,
  effect: Effect.Effect<A, E>,
): Effect.Effect<A, E> => withSpanIfTraced(name)(Effect.mapError(effect, client.redact))

/** Runs the whole pipeline for one resource: build, send, decode, resolve; each stage a span. */
export const getResource = (
  endpoint: GetEndpoint,
  id: string,
  options: GetOptions,
): Effect.Effect<FlatResource, KlaviyoError, KlaviyoClient> =>
  Effect.gen(function* () {
    const client = yield* KlaviyoClient
    const prepared = yield* stage(
      client,
      "klaviyo.buildRequest",
      buildRequest(endpoint, id, options, client.revision),
    )
    // `send` scrubs its errors itself, inside its own span.
    const response = yield* client.send(prepared.request)
    const document = yield* stage(
      client,
      "klaviyo.decode",
      decodePrimary(endpoint.resource, prepared, response.body, response.url),
    )
    return yield* stage(client, "klaviyo.resolve", resolveIncluded(document, prepared.inclusions))
  }).pipe(
    withSpanIfTraced(`klaviyo.${endpoint.operation}`, () => ({
      attributes: {
        "klaviyo.resource_type": endpoint.resource.type,
        "klaviyo.id": typeof id === "string" ? id : "",
      },
    })),
  )
