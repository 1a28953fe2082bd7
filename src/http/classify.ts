/**
 * Classifying an answer: a non-2xx answer is a `KlaviyoApiError` ({@link withStatusErrors}, a
 * transform), a 2xx answer's body is parsed as JSON into an {@link ApiResponse}
 * ({@link toApiResponse}), or fails with a `DecodeError` that says what the body was.
 *
 * `HttpClient.filterStatus` is not used: its error is the platform's `StatusCodeError`, without
 * the body's JSON:API errors, `Retry-After`, or what a POST's failure says about its job.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { DecodeError, KlaviyoApiError, type TransportError } from "../errors.ts"
import { parseApiErrorBody, parseRetryAfter } from "../internal/wire.ts"
import { decodeDocument, decodeErrorBody } from "./body.ts"
import { postOutcome, transportFailure } from "./failure.ts"
import { ReadResponse } from "./read-response.ts"
import { refusal } from "./redirects.ts"
import type { ApiResponse } from "./request.ts"

/** What the classification needs to know of the client. */
export interface ClassifySettings {
  /** The revision every request sends, named in the error. */
  readonly revision: string
  /** The base URL's origin: a redirect elsewhere was not followed, and the error says so. */
  readonly origin: string
  /**
   * Removes the credential from a text. Every error is scrubbed whole on its way out; here a text
   * is scrubbed before it is cut, so that a cut never leaves a piece of the credential behind.
   */
  readonly scrub: (text: string) => string
}

const isSuccess = (status: number): boolean => status >= 200 && status < 300

/** The body's bytes: in memory after the body cap; read here (whole) without it. */
const bytesOf = (
  response: HttpClientResponse.HttpClientResponse,
): Effect.Effect<Uint8Array, TransportError> =>
  response instanceof ReadResponse ? Effect.succeed(response.bytes) : response.arrayBuffer.pipe(
    Effect.map((buffer) => new Uint8Array(buffer)),
    Effect.mapError((error) => transportFailure(response.request.method, response.request.url, error)),
  )

/** The `KlaviyoApiError` of a non-2xx answer to `request` (the request the call started with). */
const apiError = (
  settings: ClassifySettings,
  url: string,
  response: HttpClientResponse.HttpClientResponse,
  bytes: Uint8Array,
  now: number,
): KlaviyoApiError => {
  const method = response.request.method
  const headers = response.headers
  const body = decodeErrorBody(bytes)
  // The body is parsed as it came: a credential it holds, escaped or not, is scrubbed from the
  // decoded errors with the rest of the error. What is kept of it is bounded first.
  const parsed = parseApiErrorBody(body, settings.scrub)
  return new KlaviyoApiError({
    status: response.status,
    method,
    // A 5xx may come after Klaviyo acted on the POST; any other status says it did not.
    ...postOutcome(method, response.status >= 500),
    url,
    revision: settings.revision,
    errors: parsed.errors,
    ...(parsed.omitted > 0 ? { omittedErrors: parsed.omitted } : {}),
    retryAfter: parseRetryAfter(headers["retry-after"], now),
    body: parsed.errors.length === 0 ? settings.scrub(body.slice(0, 4096)).slice(0, 500) : undefined,
    note: refusal(response, settings.origin, settings.scrub),
  })
}

/**
 * Fails a call whose answer is not a 2xx with a `KlaviyoApiError` (a transform, above the
 * redirects and the body cap): its status, the JSON:API errors of its body, `Retry-After`, why a
 * redirect was not followed, and the URL of the request that started the call.
 */
export const withStatusErrors = (settings: ClassifySettings) =>
<E, R>(
  self: HttpClient.HttpClient.With<E, R>,
): HttpClient.HttpClient.With<E | KlaviyoApiError | TransportError, R> =>
  HttpClient.transform(
    self,
    (effect, request) =>
      Effect.flatMap(effect, (response) =>
        isSuccess(response.status) ? Effect.succeed(response) : Effect.flatMap(
          bytesOf(response),
          (bytes) =>
            Effect.flatMap(Clock.currentTimeMillis, (now) =>
              Effect.fail(apiError(settings, request.url, response, bytes, now))),
        )),
  )

const jsonContentType = /^application\/(?:[\w.+-]+\+)?json\b/i

const decodeError = (reason: string, url: string): DecodeError =>
  new DecodeError({ path: "", reason, issues: [{ path: "", message: reason }], url })

/** A body's start, quoted for a message: scrubbed before it is cut. */
const quoted = (text: string, scrub: (text: string) => string): string =>
  JSON.stringify(scrub(text.slice(0, 200)).slice(0, 80))

/** Parses a 2xx body as JSON, or says what the body was instead. */
const parseJson = (
  text: string,
  contentType: string | undefined,
  url: string,
  scrub: (text: string) => string,
): unknown => {
  const shown = contentType ?? "no content-type"
  if (contentType !== undefined && !jsonContentType.test(contentType.trim())) {
    return decodeError(
      `Expected a JSON:API document (application/vnd.api+json), found content-type ${contentType}: ${
        quoted(text, scrub)
      }`,
      url,
    )
  }
  if (text.trim() === "") {
    return decodeError(`Expected a JSON:API document, found an empty body (${shown})`, url)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    return decodeError(
      `Expected a JSON:API document, found a body that is not JSON (${shown}): ${quoted(text, scrub)}${
        error instanceof Error ? ` (${scrub(error.message).replace(/"[^"]*"(?:\.\.\.)?/g, "…")})` : ""
      }`,
      url,
    )
  }
}

/**
 * The 2xx answer of a call as an {@link ApiResponse}: its body parsed as JSON, its headers as a
 * plain record, the URL that answered (a redirect's). A body that is not valid UTF-8 or not JSON
 * fails with a `DecodeError`.
 */
export const toApiResponse = (
  response: HttpClientResponse.HttpClientResponse,
  scrub: (text: string) => string,
): Effect.Effect<ApiResponse, DecodeError | TransportError> =>
  Effect.flatMap(bytesOf(response), (bytes) => {
    const url = response.request.url
    const document = decodeDocument(bytes)
    if (document === undefined) {
      return Effect.fail(
        decodeError("Expected a JSON:API document in UTF-8, found a body that is not valid UTF-8", url),
      )
    }
    const headers: Record<string, string> = { ...response.headers }
    const body = parseJson(document, headers["content-type"], url, scrub)
    return body instanceof DecodeError
      ? Effect.fail(body)
      : Effect.succeed({ status: response.status, headers, body, url })
  })
