/**
 * `create`: a job-creating POST derived from its row. Flat records in, validated one by one
 * against the record's Schema before anything is sent; the spec's JSON:API body out; the
 * answer (202, the job `queued`) decoded as a GET of that job type.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import { KlaviyoClient, type KlaviyoClientShape } from "../client.ts"
import { InvalidRequest, type KlaviyoError } from "../errors.ts"
import { type ApiRequest, JsonText } from "../http/request.ts"
import { type RecordCheck, recordCheckOf } from "../internal/fast.ts"
import { decodePrimary } from "../internal/jsonapi.ts"
import { checkFieldset, invalid, stage } from "../internal/pipeline.ts"
import { withSpanIfTraced } from "../internal/traced.ts"
import type { Revision } from "../revision.ts"
import { bulkJobResource } from "../resources/bulk-job.ts"
import type { Row } from "./define.ts"
import { rowOf, withRow } from "./rows.ts"
import type { CreateJob } from "./types.ts"
import { lazy } from "../internal/lazy.ts"

/** The most records one job takes. */
export const MAX_RECORDS = 100
/** The largest body one job takes: 5 MB of encoded JSON (UTF-8 bytes). */
export const MAX_BODY_BYTES = 5_000_000

/** A relationship a record names by id: the resource type it points to, and whether it is a list. */
export interface RecordRelationship {
  readonly type: string
  readonly many: boolean
}

/** A job-creating POST's row. */
export interface CreateRow<T extends string, R> extends Row<T> {
  /** The JSON:API type of the records, `catalog-item`. */
  readonly resource: string
  /** The member of the job's attributes that holds the records, `items`. */
  readonly collection: string
  /** What the job does to the records. */
  readonly shape: "create" | "update" | "delete"
  /** The record's Schema (a struct): what a record may and must hold. */
  readonly record: Schema.Codec<R, unknown>
  /** The record's members that are relationship ids. */
  readonly relationships: { readonly [name: string]: RecordRelationship }
}

const formatter = /* @__PURE__ */ SchemaIssue.makeFormatterStandardSchemaV1()
const utf8 = /* @__PURE__ */ new TextEncoder()

/** What a value is, for a message, without the value. */
const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`

/** How a record is named in a message: its index, and its id or external id where it has one. */
const recordName = (index: number, record: { readonly [key: string]: unknown }): string => {
  const name = typeof record["id"] === "string"
    ? record["id"]
    : typeof record["external_id"] === "string"
    ? record["external_id"]
    : undefined
  return `record ${index}${name === undefined ? "" : ` (${JSON.stringify(name.slice(0, 80))})`}`
}

/** How a row checks one record and turns it into the spec's JSON:API resource. */
export interface RecordCodec {
  /** Why the record at `index` is refused (naming the record and the reason), or `undefined`. */
  readonly refusal: (index: number, record: unknown) => string | undefined
  /** The spec's JSON:API resource of one (checked) record, as the POST's body holds it. */
  readonly toResource: (record: { readonly [key: string]: unknown }) => Record<string, unknown>
}

/**
 * The check and the encoding of a row's records, shared by `create` and `bulkWrite`. A record
 * `accepted` passes (by default the plain-code check derived from the record's Schema, see
 * {@link recordCheckOf}); the Schema decides and reports every other one.
 */
export const recordCodec = <T extends string, R>(
  row: CreateRow<T, R>,
  accepted: RecordCheck = recordCheckOf(row.record),
): RecordCodec => {
  const validate = Schema.decodeUnknownExit(row.record)
  const members = (row.record.ast as SchemaAST.Objects).propertySignatures.map((p) => String(p.name))
  const what = `a ${row.resource} to ${row.shape}`

  /** Why a record is refused, or `undefined`. */
  const refusal = (index: number, record: unknown): string | undefined => {
    if (accepted(record)) return undefined
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      return `record ${index} must be an object, not ${kindOf(record)}`
    }
    const exit = validate(record, { errors: "all", onExcessProperty: "error" })
    if (Exit.isSuccess(exit)) return undefined
    const name = recordName(index, record as { readonly [key: string]: unknown })
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
    if (failure === undefined || !Schema.isSchemaError(failure.error)) return `${name} is not ${what}`
    const issues = formatter(failure.error.issue).issues.map(({ message, path }) => {
      const keys = (path ?? []).map((key) =>
        typeof key === "object" && key !== null && "key" in key ? String(key.key) : String(key)
      )
      const member = keys[0] ?? ""
      if (message === "Expected no excess property") {
        return `${member} is not an attribute of ${what} (unknown attribute; it takes: ${members.join(", ")})`
      }
      if (message === "Missing key") return `${keys.join(".")} is missing (required for ${what})`
      let found: unknown = record
      for (const key of keys) found = (found as { readonly [key: string]: unknown } | undefined)?.[key]
      return `${keys.join(".")}: ${message}, found ${kindOf(found)}`
    })
    return `${name}: ${issues.join("; ")}`
  }

  /** The spec's JSON:API resource of one record. */
  const toResource = (record: { readonly [key: string]: unknown }): Record<string, unknown> => {
    const out: Record<string, unknown> = { type: row.resource }
    const attributes: Record<string, unknown> = {}
    const relationships: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(record)) {
      const relationship = row.relationships[key]
      if (key === "id") out["id"] = value
      else if (relationship === undefined) attributes[key] = value
      else {
        relationships[key] = {
          data: relationship.many
            ? (value as ReadonlyArray<string>).map((id) => ({ type: relationship.type, id }))
            : { type: relationship.type, id: value },
        }
      }
    }
    if (row.shape !== "delete") out["attributes"] = attributes
    if (Object.keys(relationships).length > 0) out["relationships"] = relationships
    return out
  }
  return { refusal, toResource }
}

/**
 * The row a `create` function was built from (for `bulkWrite`, which posts through it). Every
 * `CreateJob` of the table is built by `create`, so the row is always there.
 */
export const createRowOf = <T extends string, R>(post: CreateJob<T, R>): CreateRow<T, R> => {
  const entry = rowOf(post)
  if (entry?.kind !== "create") throw new TypeError("not a job-creating POST of the table")
  return entry.row as unknown as CreateRow<T, R>
}

/** Builds the `create` function of a row. */
export const create = <T extends string, R>(row: CreateRow<T, R>): CreateJob<T, R> => {
  const resource = bulkJobResource(row.job)
  // The records' check is built on the row's first call, not at import.
  const codec = lazy(() => recordCodec(row))

  const build = (
    records: unknown,
    options: { readonly fields?: { readonly [type: string]: ReadonlyArray<string> | undefined } },
    revision: Revision,
  ):
    | { readonly request: ApiRequest; readonly primaryFields: ReadonlyArray<string> | undefined }
    | InvalidRequest => {
    if (!Array.isArray(records)) return invalid("records", `records must be an array, not ${kindOf(records)}`)
    if (records.length === 0) return invalid("records", `no records: a job takes 1 to ${MAX_RECORDS}`)
    if (records.length > MAX_RECORDS) {
      return invalid(
        "records",
        `${records.length} records: a job takes at most ${MAX_RECORDS} (split them into several jobs)`,
      )
    }
    const { refusal, toResource } = codec()
    for (let index = 0; index < records.length; index++) {
      const reason = refusal(index, records[index])
      if (reason !== undefined) return invalid("records", reason)
    }
    const urlParams: Array<readonly [string, string]> = []
    let primaryFields: ReadonlyArray<string> | undefined
    for (const [type, names] of Object.entries(options.fields ?? {})) {
      if (names === undefined) continue
      if (type !== row.job) {
        return invalid("fields", `fields[${type}]: this endpoint returns only ${JSON.stringify(row.job)}`)
      }
      const checked = checkFieldset(type, names, resource.fields(revision))
      if (checked instanceof InvalidRequest) return checked
      urlParams.push([`fields[${type}]`, checked.join(",")])
      primaryFields = checked.filter((name) => Object.hasOwn(resource.attributes, name))
    }
    const body = {
      data: {
        type: row.job,
        attributes: { [row.collection]: { data: records.map(toResource) } },
      },
    }
    // Encoded once, for the size check and the request alike. A UTF-16 code unit is at most 3
    // bytes of UTF-8: a text of at most a third of the cap in code units is within it, uncounted.
    const text = JSON.stringify(body)
    const bytes = text.length * 3 <= MAX_BODY_BYTES ? text.length : utf8.encode(text).byteLength
    if (bytes > MAX_BODY_BYTES) {
      return invalid(
        "records",
        `the body is ${bytes} bytes of JSON; a job takes at most ${MAX_BODY_BYTES} (split the records into several jobs)`,
      )
    }
    const request: ApiRequest = {
      operation: row.operation,
      method: "POST",
      path: `${row.path}${revision.legacyPath ? "/" : ""}`,
      urlParams,
      body: new JsonText(text),
      limitClass: row.limitClass,
    }
    return { request, primaryFields }
  }

  return withRow((records: unknown, options?: object) =>
    Effect.gen(function* () {
      const client = yield* KlaviyoClient
      const prepared = yield* stage(
        client,
        "klaviyo.buildRequest",
        Effect.suspend(() => {
          const built = build(records, options ?? {}, client.revision)
          return built instanceof InvalidRequest ? Effect.fail(built) : Effect.succeed(built)
        }),
      )
      return yield* sendCreate(client, resource, prepared.request, prepared.primaryFields)
    }).pipe(
      withSpanIfTraced(`klaviyo.${row.operation}`, () => ({
        attributes: {
          "klaviyo.resource_type": row.job,
          "klaviyo.records": Array.isArray(records) ? records.length : 0,
        },
      })),
    ), { kind: "create", row: row as CreateRow<string, unknown> }) as CreateJob<T, R>
}

/** Sends a job-creating POST and decodes its answer as the job (the GET's resource of its type). */
const sendCreate = (
  client: KlaviyoClientShape,
  resource: ReturnType<typeof bulkJobResource>,
  request: ApiRequest,
  primaryFields: ReadonlyArray<string> | undefined,
) =>
  // No generator holds the answer while the decode runs: a flatMap lets it go with the decode.
  Effect.flatMap(client.send(request), (response) =>
    Effect.map(
      stage(
        client,
        "klaviyo.decode",
        // No inclusions: the answer is decoded in one pass (see `decodeJoined`), as a GET is.
        decodePrimary(
          resource,
          { id: undefined, primaryFields, inclusions: [] },
          response.body,
          response.url,
        ),
      ),
      (document) => document.resource,
    ))

/** A POST of a row whose body is already encoded: what {@link encodedPost} gives. */
export type EncodedPost = (
  body: string,
  records: number,
) => Effect.Effect<{ readonly id: string }, KlaviyoError, KlaviyoClient>

const encodedPosts = /* @__PURE__ */ new WeakMap<object, EncodedPost>()

/**
 * The job-creating POST of `row` with its body given as JSON text, sent as it is: for
 * `bulkWrite`, whose plan has checked each record against the row's Schema and encoded it
 * once, and measured the body (at most {@link MAX_RECORDS} records and {@link MAX_BODY_BYTES}
 * bytes), so nothing is checked or encoded again. The same request, answer and span as the
 * row's `create` function.
 */
export const encodedPost = <T extends string, R>(row: CreateRow<T, R>): EncodedPost => {
  const known = encodedPosts.get(row)
  if (known !== undefined) return known
  const resource = bulkJobResource(row.job)
  const post: EncodedPost = (body, records) =>
    Effect.gen(function* () {
      const client = yield* KlaviyoClient
      const request: ApiRequest = {
        operation: row.operation,
        method: "POST",
        path: `${row.path}${client.revision.legacyPath ? "/" : ""}`,
        urlParams: [],
        body: new JsonText(body),
        limitClass: row.limitClass,
      }
      return yield* sendCreate(client, resource, request, undefined)
    }).pipe(
      withSpanIfTraced(`klaviyo.${row.operation}`, () => ({
        attributes: { "klaviyo.resource_type": row.job, "klaviyo.records": records },
      })),
    )
  encodedPosts.set(row, post)
  return post
}
