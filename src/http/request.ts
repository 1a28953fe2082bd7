/**
 * The request as an endpoint declares it, and the answer `send` gives back: the one shape the
 * endpoints, the transport and the retry stage share (so that none of them imports another);
 * and the request on the wire it becomes: method, URL and body.
 *
 * @module
 */
import * as Option from "effect/Option"
import * as Headers from "effect/http/Headers"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as UrlParams from "effect/http/UrlParams"

/**
 * A rate-limit class: which of Klaviyo's limit pairs an operation counts against, as the spec's
 * `x-klaviyo-ratelimit` gives them for revision 2026-07-15 (and, read conservatively, for every
 * revision). `jobs-write` is 75/s and 750/m (700/m before revision 2026-01-15): every
 * job-creating POST, and the GETs of item and variant create and update jobs. `jobs-read` is
 * 350/s and 3500/m: the GETs of category jobs and of every delete job. The rate-limit budget
 * keeps the classes apart.
 *
 * @example
 * ```ts
 * import type { LimitClass } from "@effect-klaviyo/catalog-jobs"
 *
 * const perSecond = (limitClass: LimitClass): number => limitClass === "jobs-write" ? 75 : 350
 * ```
 *
 * @since 0.2.0
 * @category client
 */
export type LimitClass = "jobs-read" | "jobs-write"

/**
 * A request as an endpoint declares it: the method, the path under the base URL, the query,
 * the JSON body of a POST and the operation's rate-limit class.
 *
 * @example
 * ```ts
 * import type { ApiRequest } from "@effect-klaviyo/catalog-jobs"
 *
 * const request: ApiRequest = {
 *   operation: "getCatalogCategoryBulkUpdateJob",
 *   method: "GET",
 *   path: "/api/catalog-category-bulk-update-jobs/01GSQPBF74KQ5YTDEPP41T1BZH",
 *   urlParams: [["include", "categories"]],
 * }
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export interface ApiRequest {
  /** The operation's name, for spans and logs. */
  readonly operation: string
  /**
   * The HTTP method. A GET is retried after any transient failure; a POST only when Klaviyo
   * certainly did not act on it (see `retryDecision`).
   * @default "GET"
   */
  readonly method?: "GET" | "POST" | undefined
  /** The path under the base URL, each segment already percent-encoded. */
  readonly path: string
  /** The query parameters, in order. */
  readonly urlParams: ReadonlyArray<readonly [string, string]>
  /** The body of a POST, sent as JSON (`application/vnd.api+json`). */
  readonly body?: unknown
  /**
   * The operation's rate-limit class: the budget of which class the request counts against.
   * @default "jobs-write" for a POST, "jobs-read" for a GET
   */
  readonly limitClass?: LimitClass | undefined
}

/**
 * A 2xx answer, its body parsed as JSON.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const raw = Effect.gen(function*() {
 *   const client = yield* KlaviyoClient
 *   const response = yield* client.send({ operation: "raw", path: "/api/catalog-category-bulk-update-jobs/x", urlParams: [] })
 *   return response.body
 * })
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export interface ApiResponse {
  /** The status (2xx). */
  readonly status: number
  /** The response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body. */
  readonly body: unknown
  /** The URL that answered. */
  readonly url: string
}

/**
 * Builds the URL of a request: base, path, and a query with its brackets, commas and the
 * quotes and parentheses of a filter left readable.
 */
export const requestUrl = (baseUrl: URL, request: ApiRequest): string => {
  const base = baseUrl.href.replace(/\/+$/, "")
  const query = request.urlParams
    .map(([name, value]) =>
      `${encodeURIComponent(name).replace(/%5B/g, "[").replace(/%5D/g, "]")}=${
        value.split(",").map(encodeURIComponent).join(",")
      }`
    )
    .join("&")
  return `${base}${request.path}${query === "" ? "" : `?${query}`}`
}

/**
 * A POST's body already written as JSON text: sent as it is, not encoded again (a bulk write
 * encodes each record once, in its plan, for the size check and the body alike). An
 * `ApiRequest`'s `body` may be one; anything else is encoded with `JSON.stringify`.
 *
 * @internal
 */
export class JsonText {
  constructor(readonly text: string) {}
  /** The value the text holds, for whatever stringifies the request itself. */
  toJSON(): unknown {
    return JSON.parse(this.text)
  }
}

/** The method of a request (GET unless it says otherwise). */
export const methodOf = (request: ApiRequest): "GET" | "POST" => request.method ?? "GET"

/**
 * The request on the wire: the method, the whole URL (its query written by {@link requestUrl})
 * and a POST's body as JSON text of `contentType`, encoded once (every attempt and hop sends the
 * same bytes; a {@link JsonText} body is that text). The client's headers are added by the transport.
 */
export const toHttpRequest = (
  baseUrl: URL,
  request: ApiRequest,
  contentType: string,
): HttpClientRequest.HttpClientRequest => {
  const text: string | undefined = request.body === undefined
    ? undefined
    : request.body instanceof JsonText
    ? request.body.text
    : JSON.stringify(request.body)
  const wire = HttpClientRequest.makeWith(
    methodOf(request),
    requestUrl(baseUrl, request),
    UrlParams.empty,
    Option.none(),
    Headers.empty,
    HttpBody.empty,
  )
  // The body's content-type and content-length headers come with it.
  return text === undefined ? wire : HttpClientRequest.setBody(wire, HttpBody.text(text, contentType))
}
