/**
 * The rate-limit budget as two transforms: every hop on the wire waits for its permit
 * ({@link withPermit}), and every answer tells the budget what the server said
 * ({@link withBudgetFeedback}: its `RateLimit-*` headers, or a 429's `Retry-After`).
 *
 * `HttpClient.withRateLimiter` is not used: its algorithms let more than the limit into some
 * window of Klaviyo's (fixed windows of unknown phase), and it reads `RateLimit-Reset` as the
 * window's length where Klaviyo sends the seconds left in the steady window.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as RateLimiter from "effect/persistence/RateLimiter"
import { TransportError } from "../errors.ts"
import { type RateLimitBudgetShape, unlimitedBudget } from "../rate-limit.ts"
import { parseRetryAfter } from "../internal/wire.ts"
import { postOutcome } from "./failure.ts"
import type { LimitClass } from "./request.ts"

/**
 * Runs each hop inside the budget (a transform, below the redirects: each hop takes its own
 * permits), the request's limit class given to the budget. A failure of the budget's store is a
 * `TransportError` of kind `network`; the permit is taken before sending, so nothing went out.
 */
export const withPermit =
  (budget: RateLimitBudgetShape, limitClass: LimitClass) =>
  <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | TransportError, R> =>
    // `rateLimit: false`: nothing to wait for, nothing added to the stack. (A client's error type
    // is invariant, as its `postprocess` takes it too: widened by hand, the client fails no other way.)
    budget === unlimitedBudget
      ? self as HttpClient.HttpClient.With<E | TransportError, R>
      : HttpClient.transform(self, (effect, request) =>
        Effect.mapError(
          budget.withPermit(effect, limitClass),
          (error): E | TransportError =>
            error instanceof RateLimiter.RateLimiterError
              ? new TransportError({
                kind: "network",
                method: request.method,
                url: request.url,
                detail: `the rate-limit store failed: ${error.message}`,
                cause: error,
                ...postOutcome(request.method, false),
              })
              : error,
        ))

/** How long a 429 pauses the budget when it gives no readable `Retry-After`. */
const DEFAULT_PAUSE: Duration.Duration = /* @__PURE__ */ Duration.seconds(1)

/**
 * Tells the budget about the answer of a call (`HttpClient.tap`, above the redirects and the body):
 * a 429 pauses every caller of the request's limit class that shares the budget for its `Retry-After`; any other answer's
 * `RateLimit-*` headers are read (they describe the steady window). The budget's own failures
 * here are ignored: the answer stands.
 */
export const withBudgetFeedback =
  (budget: RateLimitBudgetShape, limitClass: LimitClass) =>
  <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
    budget === unlimitedBudget ? self : HttpClient.tap(self, (response) => {
      const headers = response.headers
      return response.status === 429
        ? Effect.flatMap(
          Clock.currentTimeMillis,
          (now) =>
            // A 429 pauses the request's limit class, not the others.
            Effect.ignore(
              budget.pause(parseRetryAfter(headers["retry-after"], now) ?? DEFAULT_PAUSE, limitClass),
            ),
        )
        : Effect.ignore(budget.observe(headers, limitClass))
    })
