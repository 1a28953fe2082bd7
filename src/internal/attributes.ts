/**
 * A resource's attributes, decoded as its fieldset selects them: by the plain-code twins
 * derived from its Schema when they are sure, by the Schema otherwise (which then reports the
 * issues, each path under the resource's place in the document).
 *
 * @internal
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { DecodeError, type DecodeIssue } from "../errors.ts"
import { isObject } from "./document.ts"
import type { AttributeSpec, FlatResource, ResourceSpec } from "./jsonapi.ts"
import { DECLINE } from "./schemas.ts"

const formatter = /* @__PURE__ */ SchemaIssue.makeFormatterStandardSchemaV1()

/** Renders a path as `data.attributes.errors[0].id`. */
export const renderPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) =>
      typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`,
    "",
  )

/** Describes what stands at `path` in `input`, briefly and without echoing long strings. */
export const describeFound = (input: unknown, path: ReadonlyArray<PropertyKey>): string => {
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
export const toIssues = (
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

export const decodeError = (url: string, issues: ReadonlyArray<DecodeIssue>): DecodeError => {
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

const decoderCache = /* @__PURE__ */ new WeakMap<ResourceSpec, Map<string, SelectedAttributes>>()

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
 * The attributes decoded in plain code, or `undefined` when one of them is left to the schema:
 * the selected attributes only, an absent optional one left absent, as the schema does.
 */
const fastAttributes = (
  selected: ReadonlyArray<readonly [string, AttributeSpec]>,
  attributes: unknown,
): Record<string, unknown> | undefined => {
  if (!isObject(attributes)) return undefined
  const out: Record<string, unknown> = {}
  return writeFast(selected, attributes, out) ? out : undefined
}

/** Decodes a resource's attributes, or returns the issues found, their paths under `prefix`. */
export const decodeAttributes = (
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
 * Writes the attributes decoded by their twins straight into `resource`, in the fieldset's
 * order (an absent optional one left absent, as the schema does); `false` as soon as one is
 * left to the schema (what was written is then discarded).
 */
const writeFast = (
  selected: ReadonlyArray<readonly [string, AttributeSpec]>,
  attributes: { readonly [key: string]: unknown },
  resource: Record<string, unknown>,
): boolean => {
  for (let i = 0; i < selected.length; i++) {
    const [name, attribute] = selected[i]!
    if (!Object.hasOwn(attributes, name)) {
      if (attribute.required) return false
      continue
    }
    if (attribute.fast === undefined) return false
    const value = attribute.fast(attributes[name])
    if (value === DECLINE) return false
    resource[name] = value
  }
  return true
}

/**
 * A final flat resource (`type`, `id`, then its attributes), built in one go: the same object
 * {@link decodeAttributes} and a spread of `{ type, id }` make, without the intermediate copy.
 * `undefined` when the schema finds an issue (the caller then lets the slow path report it).
 */
export const decodeResource = (
  type: string,
  id: string,
  spec: ResourceSpec,
  fields: ReadonlyArray<string> | undefined,
  attributes: unknown,
): FlatResource | undefined => {
  const { decode, selected } = attributesDecoder(spec, fields)
  const resource: Record<string, unknown> = { type, id }
  if (isObject(attributes) && writeFast(selected, attributes, resource)) return resource as FlatResource
  const exit = decode(attributes)
  if (Exit.isFailure(exit)) return undefined
  // As a spread would: `type` and `id` first, then every member the schema decoded, in its order.
  const decoded: Record<string, unknown> = { type, id }
  for (const [name, value] of Object.entries(exit.value)) decoded[name] = value
  return decoded as FlatResource
}
