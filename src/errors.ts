/**
 * The four ways a call can fail, each a tagged class: tell them apart with `_tag`
 * (`Effect.catchTag` in Effect code, `switch (error._tag)` with the Promise facade).
 *
 * None of them ever holds the API key: requests are described by method and URL only,
 * and network failures keep the platform's own cause, never the request headers.
 *
 * @module
 */
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"

/**
 * The constructor type of a tagged error class: spelled out so that the public classes have
 * explicit types (no JSR "slow types").
 *
 * @example
 * ```ts
 * import type { InvalidRequestFields, TaggedErrorConstructor } from "@effect-klaviyo/catalog-jobs"
 * import { InvalidRequest } from "@effect-klaviyo/catalog-jobs"
 *
 * const constructor: TaggedErrorConstructor<"InvalidRequest", InvalidRequestFields> = InvalidRequest
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type TaggedErrorConstructor<Tag extends string, Fields> = new (
  args: Fields,
) => Cause.YieldableError & { readonly _tag: Tag } & Readonly<Fields>

/**
 * What an {@link InvalidRequest} is about: the input that was refused.
 *
 * @example
 * ```ts
 * import type { InvalidInput, InvalidRequest } from "@effect-klaviyo/catalog-jobs"
 *
 * const aboutTheId = (error: InvalidRequest): boolean => error.input === ("jobId" satisfies InvalidInput)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type InvalidInput =
  | "jobId"
  | "job"
  | "records"
  | "status"
  | "fields"
  | "include"
  | "revision"
  | "credentials"
  | "baseUrl"
  | "timeout"
  | "deadline"
  | "client"
  | "retry"
  | "rateLimit"
  | "maxBodyBytes"
  | "httpClient"
  | "interval"
  | "logger"
  | "logLevel"
  | "kind"
  | "maxInFlight"

/**
 * The fields of an {@link InvalidRequest}.
 *
 * @example
 * ```ts
 * import { InvalidRequest, type InvalidRequestFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: InvalidRequestFields = { input: "jobId", reason: "the id is empty" }
 * const error = new InvalidRequest(fields)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export interface InvalidRequestFields {
  /** Which input was refused. */
  readonly input: InvalidInput
  /** Why, in a sentence that names the offending value (never a credential). */
  readonly reason: string
}

const InvalidRequestBase: TaggedErrorConstructor<"InvalidRequest", InvalidRequestFields> =
  /* @__PURE__ */ Data.TaggedError(
    "InvalidRequest",
  )

/**
 * The request was refused before anything was sent: an empty or oversized job id, a field
 * name the spec does not list for the revision, a malformed revision, a credential or base URL
 * that cannot be used.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = getCatalogCategoryBulkUpdateJob("").pipe(
 *   Effect.catchTag("InvalidRequest", (error) => Effect.succeed(`${error.input}: ${error.reason}`)),
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends InvalidRequestBase {
  /** A readable summary: the input and the reason. */
  override get message(): string {
    return `Invalid ${this.input}: ${this.reason}`
  }
}

/**
 * One JSON:API error object as Klaviyo sends it. Every member is optional here because a
 * proxy or an outage page may answer with less than the spec promises.
 *
 * @example
 * ```ts
 * import type { JsonApiErrorObject, KlaviyoApiError } from "@effect-klaviyo/catalog-jobs"
 *
 * const codes = (error: KlaviyoApiError): ReadonlyArray<string> =>
 *   error.errors.flatMap((item: JsonApiErrorObject) => item.code ?? [])
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export interface JsonApiErrorObject {
  /** Klaviyo's id for this occurrence, useful to its support. */
  readonly id?: string
  /** A machine-readable code, for example `not_found` or `invalid`. */
  readonly code?: string
  /** A short summary. */
  readonly title?: string
  /** The specific explanation. */
  readonly detail?: string
  /** The HTTP status, as a number (Klaviyo sends numbers, JSON:API strings: both are read). */
  readonly status?: number
  /** Where in the request the problem is. */
  readonly source?: { readonly pointer?: string; readonly parameter?: string }
}

/**
 * The fields of a {@link KlaviyoApiError}.
 *
 * @example
 * ```ts
 * import { KlaviyoApiError, type KlaviyoApiErrorFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: KlaviyoApiErrorFields = {
 *   status: 404,
 *   method: "GET",
 *   url: "https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/x",
 *   revision: "2026-07-15",
 *   errors: [{ code: "not_found", title: "Not found." }],
 * }
 * const error = new KlaviyoApiError(fields)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export interface KlaviyoApiErrorFields {
  /** The HTTP status Klaviyo answered with. */
  readonly status: number
  /** The HTTP method of the request. */
  readonly method: string
  /** The request URL (it never carries a credential). */
  readonly url: string
  /** The revision the request asked for. */
  readonly revision: string
  /**
   * The JSON:API `errors` of the body; empty when the body was not JSON:API. At most 100 are
   * kept (see `omittedErrors`), and each string member at most 2,000 characters: a longer one
   * is cut and ends with `… [cut: N more characters]`.
   */
  readonly errors: ReadonlyArray<JsonApiErrorObject>
  /** How many error objects the body held past the 100 kept in `errors`, where it held more. */
  readonly omittedErrors?: number | undefined
  /** How long the server asked to wait (`Retry-After`), where it said so. */
  readonly retryAfter?: Duration.Duration | undefined
  /** The start of a body that was not JSON:API (an HTML error page, say), at most 500 characters. */
  readonly body?: string | undefined
  /** For a 3xx: why the redirect was not followed. */
  readonly note?: string | undefined
  /**
   * Set on the errors of a POST that creates a bulk job: `true` when Klaviyo may have acted on
   * it (a 5xx, a timeout, a connection reset after sending), so that a job may exist although
   * the call failed: look for it (list the jobs) before posting the records again. `false`
   * when Klaviyo certainly did not act (a 4xx, a connection that never opened). Absent on a GET.
   */
  readonly jobMayExist?: boolean | undefined
}

const KlaviyoApiErrorBase: TaggedErrorConstructor<"KlaviyoApiError", KlaviyoApiErrorFields> =
  /* @__PURE__ */ Data
    .TaggedError(
      "KlaviyoApiError",
    )

/** Whether a URL names one job (`…-jobs/<id>`), rather than a list of them. */
const namesOneJob = (url: string): boolean => /-jobs\/[^/?#]+\/?(?:[?#]|$)/.test(url)

/** A hint for the status, where one helps: it depends on the request (a GET of a job, a list, a POST). */
const statusHint = (status: number, method: string, url: string): string | undefined => {
  switch (status) {
    case 401:
      return "the credential was not accepted: check the private API key (KLAVIYO_API_KEY, pk_…) or the OAuth access token"
    case 403:
      return `the credential lacks a scope this endpoint needs (${
        method === "GET" ? "catalogs:read" : "catalogs:write"
      })`
    case 404:
      return method === "GET" && namesOneJob(url)
        ? "Klaviyo has no job with this id for this account (jobs expire: see expires_at)"
        : "Klaviyo has no such endpoint: check the base URL and the revision"
    case 429:
      return "the account's rate limit was exceeded"
    default:
      return undefined
  }
}

/**
 * Klaviyo answered with a status outside 2xx. `status` and `errors` say what went wrong;
 * `retryAfter` is set when the server asked to wait. A 410 means the requested revision is
 * retired: the message says which one and what to use instead.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH").pipe(
 *   Effect.catchTag("KlaviyoApiError", (error) =>
 *     error.status === 404 ? Effect.succeed(null) : Effect.fail(error)),
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class KlaviyoApiError extends KlaviyoApiErrorBase {
  /**
   * `retryAfter` in seconds, where the server asked to wait: a plain number for code that does
   * not use Effect's `Duration` (the Promise facade's rejections, `console.log`, JSON).
   */
  declare readonly retryAfterSeconds?: number

  /** The error of an answer, with `retryAfterSeconds` set from `retryAfter` where there is one. */
  constructor(fields: KlaviyoApiErrorFields) {
    super(fields)
    if (fields.retryAfter !== undefined) this.retryAfterSeconds = Duration.toSeconds(fields.retryAfter)
  }

  /** A readable summary: status, request, Klaviyo's own words and a hint where one helps. */
  override get message(): string {
    const first = this.errors[0]
    const said = first === undefined
      ? this.body === undefined || this.body === "" ? "" : `: ${oneLine(this.body, 200)}`
      // Klaviyo's title and detail are sentences of their own: one sentence here, with the hint.
      : `: ${
        [first.title, first.detail].filter((s): s is string => s !== undefined && s !== "").map((s) =>
          s.replace(/\.+$/, "")
        )
          .join(": ")
      }`
    const others = this.errors.length - 1 + (this.omittedErrors ?? 0)
    const more = others > 0 ? ` (and ${others} more)` : ""
    const hint = this.status === 410
      ? `; revision ${this.revision} is retired and Klaviyo no longer serves it: set \`revision\` (or KLAVIYO_REVISION) to one from the last two years, such as the default`
      : this.note !== undefined
      ? `; ${this.note}`
      : ((hint) => hint === undefined ? "" : `; ${hint}`)(statusHint(this.status, this.method, this.url))
    const wait = this.retryAfter === undefined ? "" : `; retry after ${Duration.format(this.retryAfter)}`
    return `Klaviyo answered ${this.status} to ${this.method} ${this.url}${said}${more}${hint}${wait}${
      mayExist(this.jobMayExist)
    }`
  }
}

/**
 * What kind of transport failure a {@link TransportError} is.
 *
 * @example
 * ```ts
 * import type { TransportError, TransportFailure } from "@effect-klaviyo/catalog-jobs"
 *
 * const worthRetryingLater = (error: TransportError): boolean =>
 *   (["network", "timeout", "body"] as ReadonlyArray<TransportFailure>).includes(error.kind)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type TransportFailure = "network" | "timeout" | "deadline" | "body" | "oversized"

/**
 * The fields of a {@link TransportError}.
 *
 * @example
 * ```ts
 * import { TransportError, type TransportErrorFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: TransportErrorFields = { kind: "timeout", method: "GET", url: "https://a.klaviyo.com/api/x", detail: "30s passed" }
 * const error = new TransportError(fields)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export interface TransportErrorFields {
  /**
   * `network`: no answer could be had; `timeout`: one attempt ran out of time; `deadline`: the
   * whole call (retries and waits included) ran out of time; `body`: the answer broke off;
   * `oversized`: a 2xx body was larger than the cap, and reading stopped (an error answer's
   * body is cut at the cap instead, and the answer stays a `KlaviyoApiError`).
   */
  readonly kind: TransportFailure
  /** The HTTP method of the request. */
  readonly method: string
  /** The request URL (it never carries a credential). */
  readonly url: string
  /** What happened, in words. */
  readonly detail: string
  /** The platform's own error, where there is one (never the request and its headers). */
  readonly cause?: unknown
  /**
   * Set on the errors of a POST that creates a bulk job: `true` when Klaviyo may have acted on
   * it (a 5xx, a timeout, a connection reset after sending), so that a job may exist although
   * the call failed: look for it (list the jobs) before posting the records again. `false`
   * when Klaviyo certainly did not act (a 4xx, a connection that never opened). Absent on a GET.
   */
  readonly jobMayExist?: boolean | undefined
}

const transportTitles: Readonly<Record<TransportFailure, string>> = {
  network: "Network error",
  timeout: "Attempt timed out",
  deadline: "Deadline passed",
  body: "Broken response body",
  oversized: "Response body too large",
}

const TransportErrorBase: TaggedErrorConstructor<"TransportError", TransportErrorFields> =
  /* @__PURE__ */ Data.TaggedError(
    "TransportError",
  )

/**
 * The request did not get a complete answer: the network failed, an attempt or the whole call
 * timed out, the body broke off or was too large. `kind` tells which.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH").pipe(
 *   Effect.catchTag("TransportError", (error) => Effect.logWarning(`${error.kind}: ${error.detail}`)),
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends TransportErrorBase {
  /** A readable summary: the kind, the request and the detail. */
  override get message(): string {
    return `${transportTitles[this.kind]} on ${this.method} ${this.url}: ${this.detail}${
      mayExist(this.jobMayExist)
    }`
  }
}

/**
 * One mismatch found while decoding a response.
 *
 * @example
 * ```ts
 * import type { DecodeError, DecodeIssue } from "@effect-klaviyo/catalog-jobs"
 *
 * const paths = (error: DecodeError): ReadonlyArray<string> => error.issues.map((issue: DecodeIssue) => issue.path)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export interface DecodeIssue {
  /** Where, as a dotted path into the document, for example `data.attributes.status`. */
  readonly path: string
  /** What was expected and what was found. */
  readonly message: string
}

/**
 * The fields of a {@link DecodeError}.
 *
 * @example
 * ```ts
 * import { DecodeError, type DecodeErrorFields } from "@effect-klaviyo/catalog-jobs"
 *
 * const fields: DecodeErrorFields = {
 *   path: "data.attributes.status",
 *   reason: 'Expected "cancelled" | "complete" | "processing" | "queued", found "done"',
 *   issues: [],
 *   url: "https://a.klaviyo.com/api/x",
 * }
 * const error = new DecodeError(fields)
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export interface DecodeErrorFields {
  /** Where the first mismatch is, as a dotted path (`data.attributes.status`); empty for the whole body. */
  readonly path: string
  /** What was expected there and what was found. */
  readonly reason: string
  /** Every mismatch found, the first one included. */
  readonly issues: ReadonlyArray<DecodeIssue>
  /** The request URL. */
  readonly url: string
}

const DecodeErrorBase: TaggedErrorConstructor<"DecodeError", DecodeErrorFields> = /* @__PURE__ */ Data
  .TaggedError(
    "DecodeError",
  )

/**
 * Klaviyo answered 2xx, but the body does not match the documented shape (or is not valid
 * UTF-8): `path` says where and `reason` what was found instead. Unknown extra fields never
 * cause it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { getCatalogCategoryBulkUpdateJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const program = getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH").pipe(
 *   Effect.catchTag("DecodeError", (error) => Effect.logError(`${error.path}: ${error.reason}`)),
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class DecodeError extends DecodeErrorBase {
  /** A readable summary: where, and what was found. */
  override get message(): string {
    const more = this.issues.length > 1 ? ` (and ${this.issues.length - 1} more)` : ""
    return `Unexpected response from ${this.url} at ${
      this.path === "" ? "the body" : this.path
    }: ${this.reason}${more}`
  }
}

/**
 * Every error a call can fail with.
 *
 * @example
 * ```ts
 * import type { KlaviyoError } from "@effect-klaviyo/catalog-jobs"
 *
 * const describe = (error: KlaviyoError): string => {
 *   switch (error._tag) {
 *     case "InvalidRequest":
 *       return `not sent: ${error.reason}`
 *     case "KlaviyoApiError":
 *       return `Klaviyo said ${error.status}`
 *     case "TransportError":
 *       return `network: ${error.kind}`
 *     case "DecodeError":
 *       return `unexpected body at ${error.path}`
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type KlaviyoError = InvalidRequest | KlaviyoApiError | TransportError | DecodeError

/** The warning a POST's error carries when Klaviyo may have acted on it. */
const mayExist = (jobMayExist: boolean | undefined): string =>
  jobMayExist === true
    ? "; the job may exist although the call failed: list the jobs before posting these records again"
    : ""

/** Collapses white space and cuts a text to `max` characters. */
const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
