/**
 * What a bulk write writes: a resource and an operation, and, derived from the table's rows,
 * how its records are checked, named and encoded.
 *
 * @module
 */
import { type CreateRow, createRowOf, type RecordCodec, recordCodec } from "../endpoints/create.ts"
import type {
  CatalogCategoryCreateRecord,
  CatalogCategoryUpdateRecord,
  CatalogDeleteRecord,
  CatalogItemCreateRecord,
  CatalogItemUpdateRecord,
  CatalogVariantCreateRecord,
  CatalogVariantUpdateRecord,
} from "../endpoints/records.ts"
import { type LinkedJob, listLinked } from "../endpoints/list.ts"
import { functionsByJob, rowOf } from "../endpoints/rows.ts"
import * as Gets from "../endpoints/table.ts"
import * as Creates from "../endpoints/table-create.ts"
import * as Lists from "../endpoints/table-list.ts"
import type { CreateJob } from "../endpoints/types.ts"
import type { KlaviyoClient } from "../client.ts"
import type { KlaviyoError } from "../errors.ts"
import type { BulkJobError, BulkJobStatus } from "../resources/bulk-job.ts"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import { lazy } from "../internal/lazy.ts"

/**
 * The records each kind of bulk write takes, by resource and operation: the same flat records
 * as the table's job-creating POSTs (`bulkCreateCatalogItems`, ...).
 *
 * @example
 * ```ts
 * import type { BulkWriteRecords } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: BulkWriteRecords["catalog-category"]["create"] = { external_id: "APPAREL", name: "Apparel" }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteRecords {
  /** Items. */
  readonly "catalog-item": {
    readonly create: CatalogItemCreateRecord
    readonly update: CatalogItemUpdateRecord
    readonly delete: CatalogDeleteRecord
  }
  /** Variants. */
  readonly "catalog-variant": {
    readonly create: CatalogVariantCreateRecord
    readonly update: CatalogVariantUpdateRecord
    readonly delete: CatalogDeleteRecord
  }
  /** Categories. */
  readonly "catalog-category": {
    readonly create: CatalogCategoryCreateRecord
    readonly update: CatalogCategoryUpdateRecord
    readonly delete: CatalogDeleteRecord
  }
}

/**
 * What a bulk write does: to which resource, which operation.
 *
 * @example
 * ```ts
 * import type { BulkWriteKind } from "@effect-klaviyo/catalog-jobs"
 *
 * const kind: BulkWriteKind = { resource: "catalog-item", operation: "update" }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteKind {
  /** The JSON:API type of the records. */
  readonly resource: "catalog-item" | "catalog-variant" | "catalog-category"
  /** What is done to them. */
  readonly operation: "create" | "update" | "delete"
}

/**
 * The record type of a kind: `BulkWriteRecordOf<{ resource: "catalog-item"; operation: "update" }>`
 * is `CatalogItemUpdateRecord`.
 *
 * @example
 * ```ts
 * import type { BulkWriteRecordOf } from "@effect-klaviyo/catalog-jobs"
 *
 * const record: BulkWriteRecordOf<{ resource: "catalog-variant"; operation: "delete" }> = { id: "$custom:::$default:::SHIRT-1-M" }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export type BulkWriteRecordOf<K extends BulkWriteKind> = BulkWriteRecords[K["resource"]][K["operation"]]

/** What a bulk write reads of a job while it watches it. */
export interface WatchedState {
  readonly id: string
  readonly status: BulkJobStatus
  readonly errors?: ReadonlyArray<BulkJobError> | null
  readonly failed_count?: number | null
}

/** A GET of one job of the kind's type, with the fields a bulk write reads. */
export type GetState = (jobId: string) => Effect.Effect<WatchedState, KlaviyoError, KlaviyoClient>

/** Everything a bulk write needs to know about its kind, derived from the table's row. */
export interface KindSpec extends RecordCodec {
  readonly kind: BulkWriteKind
  /** The job-creating POST. */
  readonly post: CreateJob<string, unknown>
  /** The GET of one job, asking only for `status`, `errors` and `failed_count`. */
  readonly get: GetState
  /**
   * Every job of the kind's type (any status), newest first, each with its relationship's
   * linkage ids, asking only for `created_at`: what the reconciliation of a lost POST reads.
   */
  readonly jobs: () => Stream.Stream<LinkedJob, KlaviyoError, KlaviyoClient>
  /** Its row (job type, collection, shape). */
  readonly row: CreateRow<string, unknown>
  /** The UTF-8 bytes of the POST's body around its records (the body of a job of no records). */
  readonly overheadBytes: number
  /**
   * The record's identity (what a duplicate shares): `id` for update and delete; for create the
   * id Klaviyo gives the new resource, `$custom:::$default:::<external_id>` (its integration and
   * catalog, then its external id). `undefined` where the record has none.
   */
  readonly identity: (record: unknown) => string | undefined
  /** How a message names the record: its `external_id` for create, its `id` otherwise. */
  readonly key: (record: unknown) => string | undefined
}

type LooseGet = (jobId: string, options: object) => Effect.Effect<WatchedState, KlaviyoError, KlaviyoClient>

/**
 * The table's POST, GET and list of each job type, read from the rows they were derived from (on
 * the first write, not at import).
 */
const functions = /* @__PURE__ */ lazy(() => ({
  posts: functionsByJob<CreateJob<string, unknown>>(Creates, "create"),
  gets: functionsByJob<LooseGet>(Gets, "get"),
  lists: functionsByJob<object>(Lists, "list"),
}))

/** The job type of a kind (`catalog-item` + `create`: `catalog-item-bulk-create-job`), or undefined. */
const jobTypeOf = (kind: BulkWriteKind): string | undefined =>
  typeof kind.resource === "string" && typeof kind.operation === "string" &&
    !kind.resource.includes("-bulk-") && !kind.operation.includes("-bulk-")
    ? `${kind.resource}-bulk-${kind.operation}-job`
    : undefined

const member = (record: unknown, name: string): unknown =>
  typeof record === "object" && record !== null
    ? (record as { readonly [key: string]: unknown })[name]
    : undefined

const stringMember = (record: unknown, name: string): string | undefined => {
  const value = member(record, name)
  return typeof value === "string" ? value : undefined
}

/** The UTF-8 length of a string, counted without encoding it. */
export const utf8Length = (text: string): number => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

const specs = /* @__PURE__ */ new Map<string, KindSpec>()

/** The spec of a kind, or `undefined` for a kind the table does not have. */
export const kindSpec = (kind: BulkWriteKind): KindSpec | undefined => {
  const name = `${kind.resource}/${kind.operation}`
  const known = specs.get(name)
  if (known !== undefined) return known
  const type = jobTypeOf(kind)
  const { gets, lists, posts } = functions()
  const post = type === undefined ? undefined : posts.get(type)
  const get = type === undefined ? undefined : gets.get(type)
  const listRow = type === undefined ? undefined : rowOf(lists.get(type))
  if (post === undefined || get === undefined || listRow?.kind !== "list") return undefined
  const row = createRowOf(post)
  const creates = row.shape === "create"
  const fields = { [row.job]: ["status", "errors", "failed_count"] }
  const jobs = listLinked(listRow.row)
  const jobFields = { [row.job]: ["created_at"] }
  const overhead = JSON.stringify({ data: { type: row.job, attributes: { [row.collection]: { data: [] } } } })
  const spec: KindSpec = {
    kind: { resource: kind.resource, operation: kind.operation },
    post,
    get: (jobId) => get(jobId, { fields }),
    jobs: () => jobs({ fields: jobFields }),
    row,
    ...recordCodec(row),
    overheadBytes: utf8Length(overhead),
    identity: creates
      ? (record) => {
        const external = stringMember(record, "external_id")
        if (external === undefined) return undefined
        const integration = stringMember(record, "integration_type") ?? "$custom"
        const catalog = stringMember(record, "catalog_type") ?? "$default"
        return `${integration}:::${catalog}:::${external}`
      }
      : (record) => stringMember(record, "id"),
    key: (record) => stringMember(record, creates ? "external_id" : "id"),
  }
  specs.set(name, spec)
  return spec
}
