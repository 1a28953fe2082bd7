/**
 * The transport: the platform's `HttpClient` composed once per client (and per limit class) from
 * the transforms of this folder, so that one attempt at a request reads as the composition below.
 * The retry, the deadline and the `klaviyo.send` span wrap it in `send.ts`.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import type * as Redacted from "effect/Redacted"
import type { KlaviyoApiError, TransportError } from "../errors.ts"
import type { RateLimitBudgetShape } from "../rate-limit.ts"
import { limitClassOf } from "../rate-limit/classes.ts"
import type { AttemptFailure } from "../retry.ts"
import type { Revision } from "../revision.ts"
import { withBudgetFeedback, withPermit } from "./budget.ts"
import { withBodyCap } from "./body.ts"
import { toApiResponse, withStatusErrors } from "./classify.ts"
import { mediaTypeOf, withCredentials } from "./credentials.ts"
import { withTransportErrors } from "./failure.ts"
import { withSameOriginRedirects } from "./redirects.ts"
import { type ApiRequest, type ApiResponse, type LimitClass, toHttpRequest } from "./request.ts"
import { startsTheClock, withAttemptTimeout } from "./timeout.ts"

/** What the transport needs to know of the client. */
export interface TransportSettings {
  readonly authorization: Redacted.Redacted<string>
  readonly baseUrl: URL
  readonly revision: Revision
  readonly timeout: Duration.Duration
  readonly maxBodyBytes: number
  /** Removes the credential from a text (see `scrub.ts`). */
  readonly scrub: (text: string) => string
}

/**
 * One attempt at a request: the request on the wire is built when this is called (once per
 * call), and each run of the returned effect is one attempt (a retry runs it again).
 */
export type Attempt = (request: ApiRequest) => Effect.Effect<ApiResponse, AttemptFailure>

const always = (): boolean => true

/**
 * Leaves the platform's own client span out (a transform): `klaviyo.send` is the span of the
 * request, and no trace headers are sent to Klaviyo.
 */
const withoutPlatformSpans = <E, R>(
  self: HttpClient.HttpClient.With<E, R>,
): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) => Effect.provideService(effect, HttpClient.TracerDisabledWhen, always))

/** Composes the transport of one limit class: read from the platform's client up. */
const compose = (
  http: HttpClient.HttpClient,
  settings: TransportSettings,
  budget: RateLimitBudgetShape,
  limitClass: LimitClass,
): HttpClient.HttpClient.With<KlaviyoApiError | TransportError> => {
  const origin = settings.baseUrl.origin
  return http.pipe(
    withCredentials(settings.authorization, settings.revision), // the headers of every request
    withTransportErrors, // the platform's failures as TransportErrors
    startsTheClock, // the attempt's timeout runs from here: the first hop on the wire
    withPermit(budget, limitClass), // each hop inside the rate-limit budget
    withSameOriginRedirects(origin, settings.scrub), // a GET's same-origin redirects, at most 5
    withBodyCap(settings.maxBodyBytes), // the answer's body read, within the cap
    withAttemptTimeout(settings.timeout), // from the first send to the last byte
    withBudgetFeedback(budget, limitClass), // RateLimit-* headers and 429s tell the budget
    withStatusErrors({ revision: settings.revision.value, origin, scrub: settings.scrub }), // non-2xx
    withoutPlatformSpans,
  )
}

/** Builds the attempt function of a client over the platform's `HttpClient`. */
export const makeTransport = (
  http: HttpClient.HttpClient,
  settings: TransportSettings,
  budget: RateLimitBudgetShape,
): Attempt => {
  // One transport per limit class, each taking the permits of its class.
  const transports: Readonly<
    Record<LimitClass, HttpClient.HttpClient.With<KlaviyoApiError | TransportError>>
  > = {
    "jobs-read": compose(http, settings, budget, "jobs-read"),
    "jobs-write": compose(http, settings, budget, "jobs-write"),
  }
  const mediaType = mediaTypeOf(settings.revision)
  const { baseUrl, scrub } = settings
  return (request) => {
    const wire = toHttpRequest(baseUrl, request, mediaType)
    // The request's class (a POST without one is a write, a GET a read: see limitClassOf).
    return Effect.flatMap(
      transports[limitClassOf(request)].execute(wire),
      (response) => toApiResponse(response, scrub),
    )
  }
}
