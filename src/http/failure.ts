/**
 * The HTTP client's failures in our terms: a `TransportError` that says what failed and, for a
 * POST, whether the job may exist (`jobMayExist`).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import { TransportError } from "../errors.ts"

/**
 * Error codes of a connection that never opened: nothing was sent, so a POST cannot have been
 * acted on. Node's fetch (undici) reports them on the cause of its `TypeError` (`ECONNREFUSED`,
 * `ENOTFOUND`, ...), Bun on the error itself (`ConnectionRefused`).
 */
const neverOpenedCodes: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ConnectionRefused",
  "FailedToOpenSocket",
])

/** Deno words it instead: `tcp connect error: Connection refused`, `dns error: ...`. */
const neverOpenedMessage = /connection refused|dns error|failed to lookup address|name or service not known/i

const codeOf = (value: unknown): string | undefined =>
  typeof value === "object" && value !== null && "code" in value && typeof value.code === "string"
    ? value.code
    : undefined

/** Whether an error of `fetch` says that the connection never opened (so nothing was sent). */
export const connectionNeverOpened = (cause: unknown): boolean => {
  for (let error: unknown = cause, depth = 0; error !== undefined && error !== null && depth < 4; depth++) {
    const code = codeOf(error)
    if (code !== undefined && neverOpenedCodes.has(code)) return true
    if (error instanceof Error && neverOpenedMessage.test(error.message)) return true
    error = typeof error === "object" ? (error as { readonly cause?: unknown }).cause : undefined
  }
  return false
}

/**
 * What a failure of a POST says about the job: `{ jobMayExist }` (true unless nothing can have
 * reached Klaviyo), nothing for any other method.
 */
export const postOutcome = (method: string, mayExist: boolean): { readonly jobMayExist?: boolean } =>
  method === "POST" ? { jobMayExist: mayExist } : {}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)`: the error and its cause, in words. */
const describeCause = (cause: unknown): string => {
  if (!(cause instanceof Error)) return String(cause)
  const inner: unknown = (cause as { cause?: unknown }).cause
  const innerText = inner instanceof Error ? inner.message : undefined
  const code = typeof inner === "object" && inner !== null && "code" in inner ? String(inner.code) : undefined
  return [cause.message, innerText, code === undefined || innerText?.includes(code) ? undefined : `(${code})`]
    .filter((part): part is string => part !== undefined && part !== "")
    .join(": ")
}

/**
 * Maps the HTTP client's failure to ours, keeping the platform's cause but never the request
 * (its headers hold the credential). `method` and `url` are those of the request on the wire.
 */
export const transportFailure = (
  method: string,
  url: string,
  error: HttpClientError.HttpClientError,
): TransportError => {
  const reason = error.reason
  const kind =
    reason._tag === "TransportError" || reason._tag === "InvalidUrlError" || reason._tag === "EncodeError"
      ? "network"
      : "body"
  const cause = reason.cause
  const unsent = reason._tag === "InvalidUrlError" || reason._tag === "EncodeError" ||
    (reason._tag === "TransportError" && connectionNeverOpened(cause))
  return new TransportError({
    kind,
    method,
    url,
    detail: reason.description ?? describeCause(cause),
    cause,
    ...postOutcome(method, !unsent),
  })
}

/**
 * The client's failures as `TransportError`s (`transformResponse`: the error type is replaced).
 * Each names the request it belongs to: the hop on the wire, a redirect's included.
 */
export const withTransportErrors = <R>(
  self: HttpClient.HttpClient.With<HttpClientError.HttpClientError, R>,
): HttpClient.HttpClient.With<TransportError, R> =>
  HttpClient.transformResponse(
    self,
    Effect.mapError((error) => transportFailure(error.request.method, error.request.url, error)),
  )
