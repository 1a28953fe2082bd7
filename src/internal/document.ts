/**
 * The JSON:API document envelope: what a 2xx body must hold around the resource, checked by a
 * schema and, for the common well-formed answer, by plain code that reads the same members.
 *
 * @internal
 */
import type * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"

/*
 * What the decoder requires, decided member by member against the spec's "required" (revision
 * 2026-07-15, and 2023-10-15 for `job_id`) and what Klaviyo is known to send. Required where
 * a missing value leaves nothing meaningful; loose where real answers are known to, or by
 * JSON:API may, leave it out.
 * - `data`, `data.type`: required (and `type` must be the type asked for).
 * - `data.id` (`job_id` up to 2023-10-15): optional, since old revisions leave it out under a
 *   sparse fieldset (the id asked for then stands); when present it must be the id asked for.
 * - `data.attributes`: optional (JSON:API lets a resource with no selected attribute omit it);
 *   absent is `{}`, so a full document without it still fails at each required attribute.
 * - job `status`, `created_at`, `total_count`: required in a full document (not null), as the
 *   spec says: a job without its status or size is not a job one can watch, and no answer is
 *   known to lack them. A `status` outside the spec's four is refused, not guessed at.
 * - job `errors[]` members (`id`, `code`, `title`, `detail`, `source`): all null or absent,
 *   `meta` kept (Klaviyo sends `id`, `code`, `title` as null: see `BulkJobError`).
 * - relationship linkage `type` and `id`: required (an identifier without them names nothing);
 *   a relationship's `data` is optional (JSON:API allows a links-only relationship).
 * - `included[]` `type` and `id`: required (they are the join key); `attributes`: optional.
 * - every `links` (`data.links.self`, relationship `links.self`/`related`, `included[].links`,
 *   the document's `links`): never read, never required (an answer of another endpoint
 *   without `data.links` broke Klaviyo's Python SDK: klaviyo-api-python issue #64); list
 *   pages' `links.next` comes as an explicit `null` on the last page (klaviyo/openapi issue
 *   #5), which a list decoder must accept.
 * - included category attributes (`external_id`, `name`, `updated`): none required, each
 *   may be null, as the spec says.
 */
const Identifier = /* @__PURE__ */ Schema.Struct({ type: Schema.String, id: Schema.String })

const Relationship = /* @__PURE__ */ Schema.Struct({
  data: /* @__PURE__ */ Schema.optionalKey(
    /* @__PURE__ */ Schema.NullOr(
      /* @__PURE__ */ Schema.Union([Identifier, /* @__PURE__ */ Schema.Array(Identifier)]),
    ),
  ),
})

const AttributesRecord = /* @__PURE__ */ Schema.Record(Schema.String, Schema.Unknown)

type Attributes = { readonly [key: string]: unknown }
type Linkage = { readonly type: string; readonly id: string }

/** A document as the envelope schema reads it. */
export interface DocumentShape {
  readonly data: {
    readonly type: string
    readonly id?: string
    readonly attributes?: Attributes
    readonly relationships?: {
      readonly [name: string]: { readonly data?: Linkage | ReadonlyArray<Linkage> | null }
    }
  }
  readonly included?: ReadonlyArray<Linkage & { readonly attributes?: Attributes }>
}

const Document: Schema.Decoder<DocumentShape> = /* @__PURE__ */ Schema.Struct({
  data: /* @__PURE__ */ Schema.Struct({
    type: Schema.String,
    id: /* @__PURE__ */ Schema.optionalKey(Schema.String),
    attributes: /* @__PURE__ */ Schema.optionalKey(AttributesRecord),
    relationships: /* @__PURE__ */ Schema.optionalKey(
      /* @__PURE__ */ Schema.Record(Schema.String, Relationship),
    ),
  }),
  included: /* @__PURE__ */ Schema.optionalKey(/* @__PURE__ */ Schema.Array(/* @__PURE__ */ Schema.Struct({
    type: Schema.String,
    id: Schema.String,
    attributes: /* @__PURE__ */ Schema.optionalKey(AttributesRecord),
  }))),
})

/** The envelope schema's decoder, for a document {@link isDocument} refuses (it reports the issues). */
export const decodeDocument: (
  input: unknown,
  options?: { readonly errors?: "first" | "all" },
) => Exit.Exit<DocumentShape, Schema.SchemaError> = /* @__PURE__ */ Schema.decodeUnknownExit(Document)

/** An object whose members can be read (not `null`, not an array). */
export const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A required key: present (not inherited) with a value that passes `check`. */
const required = (
  object: { readonly [key: string]: unknown },
  key: string,
  check: (value: unknown) => boolean,
): boolean => Object.hasOwn(object, key) && check(object[key])

/** An optional key: absent, or present with a value that passes `check`. */
const optional = (
  object: { readonly [key: string]: unknown },
  key: string,
  check: (value: unknown) => boolean,
): boolean => !Object.hasOwn(object, key) || check(object[key])

const isString = (value: unknown): boolean => typeof value === "string"

const isIdentifier = (value: unknown): boolean =>
  isObject(value) && required(value, "type", isString) && required(value, "id", isString)

const isRelationship = (value: unknown): boolean =>
  isObject(value) &&
  optional(value, "data", (data) =>
    data === null || isIdentifier(data) || (Array.isArray(data) && data.every(isIdentifier)))

const isIncludedResource = (value: unknown): boolean =>
  isIdentifier(value) && optional(value as { readonly [key: string]: unknown }, "attributes", isObject)

/**
 * Whether `body` is a document {@link Document} accepts, checked in plain code: the common case,
 * a well-formed answer, then skips the schema's copy of every resource (a job with 1,000
 * categories spent more time there than in `JSON.parse`). It may refuse a document the schema
 * would accept (an array where an object is expected, say): the schema then decides, and
 * reports the issues.
 */
export const isDocument = (body: unknown): body is DocumentShape => {
  if (!isObject(body) || !Object.hasOwn(body, "data")) return false
  const data = body["data"]
  return isObject(data) && required(data, "type", isString) && optional(data, "attributes", isObject) &&
    optional(data, "id", isString) &&
    optional(data, "relationships", (all) => isObject(all) && Object.values(all).every(isRelationship)) &&
    optional(body, "included", (included) => Array.isArray(included) && included.every(isIncludedResource))
}
