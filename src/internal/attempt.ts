/**
 * One attempt: a GET (or a POST with its JSON body) with the credential and the revision's
 * headers, same-origin redirects (a GET's only), a capped body, a per-attempt timeout, and the
 * answer classified into a response or a typed error. A POST's errors say whether the job may
 * exist (`jobMayExist`).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { type ApiRequest, type ApiResponse, type LimitClass, methodOf, requestUrl } from "../http/request.ts"
import { limitClassOf } from "../rate-limit/classes.ts"
import { DecodeError, KlaviyoApiError, TransportError } from "../errors.ts"
import type { Revision } from "../revision.ts"
import type * as RateLimiter from "effect/persistence/RateLimiter"
import {
  decodeDocument,
  decodeErrorBody,
  discard,
  type Overflow,
  postOutcome,
  readCapped,
  transportFailure,
} from "./body.ts"
import type { Scrubber } from "./scrub.ts"
import { parseApiErrorBody, parseRetryAfter } from "./wire.ts"

/** What an attempt needs to know. */
export interface AttemptSettings {
  readonly authorization: Redacted.Redacted<string>
  /**
   * Removes the credential from texts. Every error is scrubbed whole on its way out (see
   * `send.ts`); here a text is scrubbed before it is cut, so that a cut never leaves a piece of
   * the credential behind.
   */
  readonly scrubber: Scrubber
  readonly baseUrl: URL
  readonly revision: Revision
  readonly timeout: Duration.Duration
  readonly maxBodyBytes: number
}

/**
 * Called with every answer's status and headers, and its request's limit class (the rate-limit
 * budget reads them).
 */
export type OnAnswer = (
  status: number,
  headers: Readonly<Record<string, string>>,
  limitClass: LimitClass,
) => Effect.Effect<void>

/** Runs one request on the wire inside the rate-limit budget of its limit class. */
export type WithPermit = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  limitClass: LimitClass,
) => Effect.Effect<A, E | RateLimiter.RateLimiterError, R>

/** A status the loop below treats as a redirect (304 is an answer, not a redirect). */
const isRedirect = (status: number): boolean => status >= 300 && status < 400 && status !== 304

const always = (): boolean => true

const isSuccess = (status: number): boolean => status >= 200 && status < 300

/**
 * A document past the cap fails the attempt (`oversized`); an error's body is cut at the cap,
 * so that the answer stays the `KlaviyoApiError` its status says (a 5xx is retried as a 5xx).
 */
const overflowOf = (status: number): Overflow => isSuccess(status) ? "fail" : "cut"

/** The most same-origin redirects followed. */
const MAX_REDIRECTS = 5

/** Asks `fetch` not to follow redirects, keeping the rest of any `RequestInit` the application gave. */
const manualRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...Option.getOrElse(init, () => ({})),
        redirect: "manual",
      }),
  )

const jsonContentType = /^application\/(?:[\w.+-]+\+)?json\b/i

/** Parses a 2xx body as JSON, or fails with a `DecodeError` that says what the body was. */
const parseJson = (
  text: string,
  headers: Readonly<Record<string, string>>,
  url: string,
  scrub: (text: string) => string,
): Effect.Effect<unknown, DecodeError> => {
  const contentType = headers["content-type"]
  const fail = (reason: string) =>
    Effect.fail(new DecodeError({ path: "", reason, issues: [{ path: "", message: reason }], url }))
  const shown = contentType ?? "no content-type"
  if (contentType !== undefined && !jsonContentType.test(contentType.trim())) {
    return fail(
      `Expected a JSON:API document (application/vnd.api+json), found content-type ${contentType}: ${
        JSON.stringify(scrub(text.slice(0, 200)).slice(0, 80))
      }`,
    )
  }
  if (text.trim() === "") return fail(`Expected a JSON:API document, found an empty body (${shown})`)
  try {
    return Effect.succeed(JSON.parse(text))
  } catch (error) {
    return fail(
      `Expected a JSON:API document, found a body that is not JSON (${shown}): ${
        JSON.stringify(scrub(text.slice(0, 200)).slice(0, 80))
      }${error instanceof Error ? ` (${scrub(error.message).replace(/"[^"]*"(?:\.\.\.)?/g, "…")})` : ""}`,
    )
  }
}

/**
 * Whether a URL carries a user name or password. `fetch` refuses such a URL (a network error,
 * which would be retried as one), and what it holds is a credential: a redirect to one is not
 * followed, and its error says why without quoting it.
 */
const hasUserInfo = (url: URL): boolean => url.username !== "" || url.password !== ""

/** Why a 3xx answer was not followed, for the error's message. */
const redirectNote = (location: string | undefined, next: URL | undefined, origin: string): string =>
  location === undefined
    ? "a redirect without a Location header"
    : next === undefined
    ? `a redirect to an unusable Location (${JSON.stringify(location.slice(0, 100))})`
    : next.origin !== origin
    ? `a redirect to another origin (${next.origin}), not followed so that the credential is only ever sent to ${origin}`
    : hasUserInfo(next)
    ? "a redirect to a Location with a user name or password (not followed: fetch refuses such a URL, and a credential does not belong in one)"
    : `more than ${MAX_REDIRECTS} redirects`

/** Builds the attempt function. */
export const makeAttempt = (
  http: HttpClient.HttpClient,
  settings: AttemptSettings,
  withPermit: WithPermit,
  onAnswer: OnAnswer,
): (request: ApiRequest) => Effect.Effect<ApiResponse, KlaviyoApiError | TransportError | DecodeError> => {
  const { authorization, baseUrl, maxBodyBytes, revision, scrubber, timeout } = settings
  const accept = revision.legacyPath ? "application/json" : "application/vnd.api+json"
  const scrub = scrubber.text
  // The credential and the revision's headers, once for every request of this client.
  const client = http.pipe(HttpClient.mapRequest(HttpClientRequest.setHeaders({
    authorization: Redacted.value(authorization),
    revision: revision.value,
    accept,
  })))

  return (request) => {
    const method = methodOf(request)
    const limitClass = limitClassOf(request)
    /** Runs a hop inside the permits of the request's limit class. */
    const permit = <A, E, R>(effect: Effect.Effect<A, E, R>) => withPermit(effect, limitClass)
    const firstUrl = requestUrl(baseUrl, request)
    // Encoded once per call (every attempt and hop sends the same bytes).
    const body = request.body === undefined ? undefined : JSON.stringify(request.body)
    const build = (url: string): HttpClientRequest.HttpClientRequest => {
      const plain = HttpClientRequest.make(method)(url)
      return body === undefined ? plain : HttpClientRequest.bodyText(plain, body, accept)
    }
    const timedOut = () =>
      new TransportError({
        kind: "timeout",
        method,
        url: firstUrl,
        detail: `no complete answer within the per-attempt timeout of ${Duration.format(timeout)}`,
        ...postOutcome(method, true),
      })
    // The per-attempt timeout runs from the first send to the last byte of the body: waits for
    // the rate-limit budget before the first send are not part of it. Each run of the attempt
    // (each retry) starts its own clock.
    const bounded = <A, E, R>(
      sent: { at?: number },
      effect: Effect.Effect<A, E, R>,
    ): Effect.Effect<A, E | TransportError, R> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const firstSent = sent.at ??= now
        const left = Duration.toMillis(timeout) - (now - firstSent)
        return left <= 0 ? Effect.fail(timedOut()) : Effect.timeoutOrElse(effect, {
          duration: Duration.millis(left),
          orElse: () => Effect.fail(timedOut()),
        })
      })
    return Effect.gen(function* () {
      const sent: { at?: number } = {}
      let url = firstUrl
      let response: HttpClientResponse.HttpClientResponse
      let bytes: Uint8Array | undefined
      let note: string | undefined
      for (let hops = 0;; hops++) {
        const hopUrl = url
        // Every hop on the wire, redirects included, takes its own rate-limit permits. The
        // request and the reading of its body run under one timeout race (a redirect's body is
        // not read here: it is let go, or read below when the redirect is not followed).
        const hop = yield* permit(bounded(
          sent,
          Effect.flatMap(
            client.execute(build(hopUrl)).pipe(
              Effect.mapError((error) => transportFailure(method, hopUrl, error)),
            ),
            (answer): Effect.Effect<
              {
                readonly answer: HttpClientResponse.HttpClientResponse
                readonly body: Uint8Array | undefined
              },
              TransportError
            > =>
              isRedirect(answer.status) ? Effect.succeed({ answer, body: undefined }) : Effect.map(
                readCapped(method, answer, hopUrl, maxBodyBytes, overflowOf(answer.status)),
                (body) => ({ answer, body }),
              ),
          ),
        )).pipe(
          Effect.mapError((error) =>
            error._tag === "RateLimiterError"
              ? new TransportError({
                kind: "network",
                method,
                url: hopUrl,
                detail: `the rate-limit store failed: ${error.message}`,
                cause: error,
                // The permit is taken before sending: nothing went out.
                ...postOutcome(method, false),
              })
              : error
          ),
          // The platform's own client span is left out: `klaviyo.send` is the span of this
          // request, and no trace headers are sent to Klaviyo.
          Effect.provideService(HttpClient.TracerDisabledWhen, always),
        )
        response = hop.answer
        bytes = hop.body
        if (!isRedirect(response.status)) break
        const location = response.headers["location"]
        let next: URL | undefined
        try {
          next = location === undefined ? undefined : new URL(location, url)
        } catch {
          next = undefined
        }
        if (method !== "GET") {
          // A redirect of a POST would turn it into a GET, or send the body again elsewhere.
          note = "a redirect of a POST, not followed"
          break
        }
        if (
          next === undefined || next.origin !== baseUrl.origin || hasUserInfo(next) || hops >= MAX_REDIRECTS
        ) {
          note = redirectNote(location === undefined ? undefined : scrub(location), next, baseUrl.origin)
          break
        }
        yield* bounded(sent, discard(response))
        url = next.href
      }
      const read = bytes ??
        (yield* bounded(sent, readCapped(method, response, url, maxBodyBytes, overflowOf(response.status))))
      const responseHeaders: Record<string, string> = { ...response.headers }
      yield* onAnswer(response.status, responseHeaders, limitClass)
      if (isSuccess(response.status)) {
        const document = decodeDocument(read)
        if (document === undefined) {
          const reason = "Expected a JSON:API document in UTF-8, found a body that is not valid UTF-8"
          return yield* new DecodeError({ path: "", reason, issues: [{ path: "", message: reason }], url })
        }
        return {
          status: response.status,
          headers: responseHeaders,
          body: yield* parseJson(document, responseHeaders, url, scrub),
          url,
        }
      }
      const body = decodeErrorBody(read)
      const now = yield* Clock.currentTimeMillis
      // The body is parsed as it came: a credential it holds, escaped or not, is scrubbed from
      // the decoded errors with the rest of the error. What is kept of it is bounded first.
      const parsed = parseApiErrorBody(body, scrub)
      return yield* new KlaviyoApiError({
        status: response.status,
        method,
        // A 5xx may come after Klaviyo acted on the POST; any other status says it did not.
        ...postOutcome(method, response.status >= 500),
        url: firstUrl,
        revision: revision.value,
        errors: parsed.errors,
        ...(parsed.omitted > 0 ? { omittedErrors: parsed.omitted } : {}),
        retryAfter: parseRetryAfter(responseHeaders["retry-after"], now),
        body: parsed.errors.length === 0 ? scrub(body.slice(0, 4096)).slice(0, 500) : undefined,
        note,
      })
    }).pipe(
      // fetch follows redirects by itself: ask it not to, so that the credential is never sent
      // to another origin whatever the platform does; same-origin redirects are followed above.
      manualRedirects,
    )
  }
}
