/**
 * `list`: every job of a type, page after page through `links.next`, derived from its row. A
 * page is fetched only when the stream is pulled past the previous one. The cursor is taken
 * from `links.next` and sent to the same path of the client's own base URL: a `links.next` to
 * another origin is refused (the credential never leaves it), and a cursor seen twice ends the
 * stream with an error instead of looping.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { KlaviyoClient, type KlaviyoClientShape } from "../client.ts"
import { DecodeError, InvalidRequest, type KlaviyoError } from "../errors.ts"
import type { ApiRequest } from "../http/request.ts"
import {
  type DecodedDocument,
  decodePrimary,
  decodePrimaryNow,
  type FlatResource,
} from "../internal/jsonapi.ts"
import { checkFieldset, invalid, stage } from "../internal/pipeline.ts"
import { bulkJobResource } from "../resources/bulk-job.ts"
import type { Row } from "./define.ts"
import { withRow } from "./rows.ts"
import type { ListJobs } from "./types.ts"

const statuses: ReadonlyArray<string> = ["cancelled", "complete", "processing", "queued"]

const pageError = (url: string, path: string, message: string): DecodeError =>
  new DecodeError({ path, reason: message, issues: [{ path, message }], url })

/** A job's decoding error, its paths pointing into the page (`data[3].attributes.status`). */
const atIndex = (error: DecodeError, index: number): DecodeError => {
  const at = (path: string) => path.replace(/^data/, `data[${index}]`)
  return new DecodeError({
    path: at(error.path),
    reason: error.reason,
    issues: error.issues.map((issue) => ({ path: at(issue.path), message: issue.message })),
    url: error.url,
  })
}

/** The cursor of the next page, `undefined` on the last page, or why `links.next` is refused. */
const nextCursor = (
  body: { readonly links?: unknown },
  url: string,
  origin: string,
  seen: Set<string>,
): string | undefined | DecodeError => {
  const links = body.links
  const next = typeof links === "object" && links !== null
    ? (links as { readonly next?: unknown }).next
    : undefined
  if (next === undefined || next === null) return undefined
  if (typeof next !== "string") return pageError(url, "links.next", "Expected a URL or null")
  let parsed: URL
  try {
    parsed = new URL(next, url)
  } catch {
    return pageError(url, "links.next", `Expected a URL, found ${JSON.stringify(next.slice(0, 100))}`)
  }
  if (parsed.origin !== origin) {
    return pageError(
      url,
      "links.next",
      `links.next points to another origin (${parsed.origin}): not followed, so that the credential is only ever sent to ${origin}`,
    )
  }
  const cursor = parsed.searchParams.get("page[cursor]")
  if (cursor === null || cursor === "") return pageError(url, "links.next", "links.next has no page[cursor]")
  if (seen.has(cursor)) {
    return pageError(
      url,
      "links.next",
      `the cursor ${JSON.stringify(cursor.slice(0, 60))} came twice: the pages loop`,
    )
  }
  seen.add(cursor)
  return cursor
}

/**
 * A job of a list with the ids its relationship's linkage names (`relationships.<collection>.data`):
 * the records a create, update or delete job holds, as Klaviyo lists them. A bulk write's
 * reconciliation reads them to find the job a lost POST created.
 */
export interface LinkedJob {
  readonly job: FlatResource
  /** The ids of every relationship's linkage, in the order given. */
  readonly linkage: ReadonlyArray<string>
}

type LinkedOptions = {
  readonly status?: unknown
  readonly fields?: { readonly [type: string]: ReadonlyArray<string> | undefined }
}

/** What a list gives for one decoded job of a page, and whether it reads the job's relationships. */
interface Entry<A> {
  readonly make: (decoded: Pick<DecodedDocument, "resource" | "relationships">) => A
  readonly relationships: boolean
}

/** The job alone: what `list` gives. */
const jobEntry: Entry<FlatResource> = { make: (decoded) => decoded.resource, relationships: false }

/** The job with its linkage ids: what a bulk write's reconciliation reads. */
const linkedEntry: Entry<LinkedJob> = {
  make: (decoded) => ({
    job: decoded.resource,
    linkage: Object.values(decoded.relationships).flatMap((ids) => ids.map((identifier) => identifier.id)),
  }),
  relationships: true,
}

/** Builds the `list` function of a row (its pages' decoding set up once, not on every call). */
export const list = <T extends string>(row: Row<T>): ListJobs<T> => {
  const jobs = listOf(row, jobEntry)
  return withRow((options?: object) => jobs((options ?? {}) as LinkedOptions), {
    kind: "list",
    row,
  }) as ListJobs<T>
}

/** The jobs of a row's list, each with its relationship linkage ids (see {@link LinkedJob}). */
export const listLinked = (row: Row<string>): (options: LinkedOptions) => Stream.Stream<
  LinkedJob,
  KlaviyoError,
  KlaviyoClient
> => listOf(row, linkedEntry)

/** The jobs of a row's list, page after page, each as `entry` makes it. */
const listOf = <A>(row: Row<string>, entry: Entry<A>): (options: LinkedOptions) => Stream.Stream<
  A,
  KlaviyoError,
  KlaviyoClient
> => {
  const resource = bulkJobResource(row.job)

  const firstRequest = (client: KlaviyoClientShape, options: {
    readonly status?: unknown
    readonly fields?: { readonly [type: string]: ReadonlyArray<string> | undefined }
  }) =>
    Effect.suspend((): Effect.Effect<
      { readonly request: ApiRequest; readonly primaryFields: ReadonlyArray<string> | undefined },
      InvalidRequest
    > => {
      const urlParams: Array<readonly [string, string]> = []
      let primaryFields: ReadonlyArray<string> | undefined
      for (const [type, names] of Object.entries(options.fields ?? {})) {
        if (names === undefined) continue
        if (type !== row.job) {
          return Effect.fail(
            invalid("fields", `fields[${type}]: this endpoint lists only ${JSON.stringify(row.job)}`),
          )
        }
        const checked = checkFieldset(type, names, resource.fields(client.revision))
        if (checked instanceof InvalidRequest) return Effect.fail(checked)
        urlParams.push([`fields[${type}]`, checked.join(",")])
        primaryFields = checked.filter((name) => Object.hasOwn(resource.attributes, name))
      }
      const status = options.status
      if (status !== undefined) {
        if (typeof status !== "string" || !statuses.includes(status)) {
          return Effect.fail(
            invalid("status", `status must be one of ${statuses.join(", ")}, not ${JSON.stringify(status)}`),
          )
        }
        urlParams.push(["filter", `equals(status,'${status}')`])
      }
      const path = `${row.path}${client.revision.legacyPath ? "/" : ""}`
      return Effect.succeed({
        request: { operation: row.operation, method: "GET", path, urlParams, limitClass: row.limitClass },
        primaryFields,
      })
    })

  /**
   * Decodes the page's jobs from `from` on in plain code, into `jobs`; the index of the first
   * job the one-pass decoder leaves to the schema, or the page's length.
   */
  const decodeNow = (
    data: ReadonlyArray<unknown>,
    primaryFields: ReadonlyArray<string> | undefined,
    jobs: Array<A>,
    from: number,
  ): number => {
    for (let index = from; index < data.length; index++) {
      const decoded = decodePrimaryNow(resource, primaryFields, { data: data[index] }, entry.relationships)
      if (decoded === undefined) return index
      jobs.push(entry.make(decoded))
    }
    return data.length
  }

  /**
   * The job at `at` decided (and reported) by the schema, then the rest of the page as
   * {@link decodeNow} decodes it, and so on: a flatMap for each job the schema decides, no
   * generator holding the page.
   */
  const decodeRest = (
    data: ReadonlyArray<unknown>,
    primaryFields: ReadonlyArray<string> | undefined,
    jobs: Array<A>,
    at: number,
    url: string,
  ): Effect.Effect<void, DecodeError> =>
    at === data.length ? Effect.void : Effect.flatMap(
      Effect.mapError(
        decodePrimary(resource, { id: undefined, primaryFields }, { data: data[at] }, url),
        (error) => atIndex(error, at),
      ),
      (decoded) => {
        jobs.push(entry.make(decoded))
        return decodeRest(data, primaryFields, jobs, decodeNow(data, primaryFields, jobs, at + 1), url)
      },
    )

  /** One page: its jobs, decoded as a GET's, and the cursor of the next one. */
  const page = (
    client: KlaviyoClientShape,
    request: ApiRequest,
    primaryFields: ReadonlyArray<string> | undefined,
    seen: Set<string>,
  ): Effect.Effect<readonly [ReadonlyArray<A>, string | undefined], KlaviyoError> =>
    Effect.flatMap(client.send(request), (response) =>
      stage(
        client,
        "klaviyo.decode",
        Effect.suspend(() => {
          const body = response.body
          const data = typeof body === "object" && body !== null
            ? (body as { readonly data?: unknown }).data
            : undefined
          if (!Array.isArray(data)) {
            return Effect.fail(pageError(response.url, "data", "Expected a list of jobs"))
          }
          const jobs: Array<A> = []
          const withCursor = () => {
            const origin = new URL(client.baseUrl).origin
            const cursor = nextCursor(body as { readonly links?: unknown }, response.url, origin, seen)
            return cursor instanceof DecodeError
              ? Effect.fail(cursor)
              : Effect.succeed([jobs, cursor] as const)
          }
          // In plain code, in one synchronous step, while the one-pass decoder answers (the
          // parsed page is then held by nothing past the decode); the schema decides, and
          // reports, each job it leaves.
          const at = decodeNow(data, primaryFields, jobs, 0)
          return at === data.length
            ? withCursor()
            : Effect.flatMap(decodeRest(data, primaryFields, jobs, at, response.url), withCursor)
        }),
      ))

  return (options) =>
    Stream.unwrap(Effect.gen(function* () {
      const client = yield* KlaviyoClient
      const first = yield* stage(client, "klaviyo.buildRequest", firstRequest(client, options))
      const seen = new Set<string>()
      return Stream.paginate(first.request, (request) =>
        Effect.map(
          page(client, request, first.primaryFields, seen),
          ([jobs, cursor]) =>
            [
              jobs,
              cursor === undefined ? Option.none() : Option.some({
                ...first.request,
                urlParams: [...first.request.urlParams, ["page[cursor]", cursor] as const],
              }),
            ] as const,
        ))
    }))
}
