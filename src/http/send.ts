/**
 * The send stage: one attempt at a time (the transport, `transport.ts`), retried on a `Schedule`
 * as the retry policy decides by method, within an overall deadline, in the `klaviyo.send` span.
 * Every retry is visible: a log line, a span event and metrics.
 *
 * It wraps the transport rather than being one of its transforms (`HttpClient.retry`): the
 * attempt it retries ends in an `ApiResponse` (a 2xx body that is not JSON is an attempt's
 * `DecodeError`, counted as such), and its logs and span name the operation, which the request on
 * the wire does not carry. `HttpClient.retryTransient` would not do either: it retries 408 but
 * not 524 (Klaviyo's own SDKs retry 524), and knows nothing of what a POST may have done.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import { type DecodeError, type KlaviyoApiError, TransportError } from "../errors.ts"
import { RetryDue } from "../internal/budget-pause.ts"
import { withSpanIfTraced } from "../internal/traced.ts"
import type { AttemptFailure, RetryDecision, RetryPolicy } from "../retry.ts"
import { type ApiRequest, type ApiResponse, methodOf, requestUrl } from "./request.ts"
import type { Attempt } from "./transport.ts"

const requestsMetric = /* @__PURE__ */ Metric.counter("klaviyo_requests_total", {
  description: "Attempts sent to Klaviyo, by outcome (the HTTP status, or the transport failure)",
})
const retriesMetric = /* @__PURE__ */ Metric.counter("klaviyo_retries_total", {
  description: "Attempts retried, by the source of the delay (retry-after or backoff)",
})
const rateLimitedMetric = /* @__PURE__ */ Metric.counter("klaviyo_429_total", {
  description: "429 answers from Klaviyo",
})
const countRateLimited = /* @__PURE__ */ Metric.update(rateLimitedMetric, 1)

/** The request counter of each outcome, made once (outcomes are few: statuses and failure kinds). */
const requestsByOutcome = /* @__PURE__ */ new Map<string, Metric.Counter<number>>()
const requestsBy = (label: string): Metric.Counter<number> => {
  let counter = requestsByOutcome.get(label)
  if (counter === undefined) {
    counter = Metric.withAttributes(requestsMetric, { outcome: label })
    requestsByOutcome.set(label, counter)
  }
  return counter
}

/** The outcome label of an attempt, for metrics. */
const outcome = (exit: ApiResponse | AttemptFailure): string =>
  "_tag" in exit
    ? exit._tag === "KlaviyoApiError"
      ? String(exit.status)
      : exit._tag === "TransportError"
      ? exit.kind
      : "decode"
    : String(exit.status)

/** Never sooner than the server asked: a custom policy's delay is raised to `Retry-After`. */
const honourRetryAfter = (failure: AttemptFailure, decision: RetryDecision): RetryDecision =>
  decision._tag === "Retry" && failure._tag === "KlaviyoApiError" && failure.retryAfter !== undefined &&
    Duration.isLessThan(decision.delay, failure.retryAfter)
    ? { ...decision, delay: failure.retryAfter, source: "retry-after" }
    : decision

/**
 * A POST that may have reached Klaviyo is never repeated, whatever a custom policy answers:
 * a second POST would create a second job.
 */
const neverRepeatAmbiguousPost = (failure: AttemptFailure, decision: RetryDecision): RetryDecision =>
  decision._tag === "Retry" && failure._tag !== "DecodeError" && failure.method === "POST" &&
    failure.jobMayExist !== false
    ? { _tag: "Stop", reason: "the POST may have reached Klaviyo (the job may exist): it is not repeated" }
    : decision

/** Builds the send stage. */
export const makeSend = (options: {
  readonly attempt: Attempt
  readonly policy: RetryPolicy
  readonly deadline: Duration.Duration | undefined
  readonly baseUrl: URL
  readonly revision: string
  /** The client's scrubber of errors (see `scrub.ts`). */
  readonly redact: <E>(error: E) => E
}): (request: ApiRequest) => Effect.Effect<ApiResponse, KlaviyoApiError | TransportError | DecodeError> => {
  const { attempt, deadline, policy, redact } = options

  /**
   * One attempt (`once`, built once per call); `due`: when it was due, if it is the retry of a
   * 429 after its `Retry-After`. (The 429's pause of the budget is the transport's.)
   */
  const counted = (once: Effect.Effect<ApiResponse, AttemptFailure>, due: () => number | undefined) =>
    Effect.suspend(() => Effect.provideService(once, RetryDue, due())).pipe(
      // Scrubbed before anything sees it: the retry policy, the logs and span events of a retry.
      Effect.mapError(redact),
      Effect.tapError((failure) =>
        failure._tag === "KlaviyoApiError" && failure.status === 429 ? countRateLimited : Effect.void
      ),
      Effect.onExit((exit) =>
        Metric.update(
          requestsBy(
            exit._tag === "Success"
              ? outcome(exit.value)
              : exit.cause.reasons[0]?._tag === "Fail"
              ? outcome(exit.cause.reasons[0].error)
              : "interrupted",
          ),
          1,
        )
      ),
    )

  return (request) =>
    Effect.suspend(() => {
      let retries = 0
      let deadlineAt = Number.POSITIVE_INFINITY
      let due: number | undefined
      // Effect.retry consults both the `while` predicate and the schedule for each failure; the
      // decision is made once per failure, whichever asks first, and shared.
      const decisions = new WeakMap<AttemptFailure, RetryDecision>()
      const decisionFor = (failure: AttemptFailure) =>
        Effect.gen(function* () {
          const known = decisions.get(failure)
          if (known !== undefined) return known
          retries++
          let decision = neverRepeatAmbiguousPost(
            failure,
            honourRetryAfter(failure, policy(failure, retries, yield* Random.next)),
          )
          const now = yield* Clock.currentTimeMillis
          if (decision._tag === "Retry" && now + Duration.toMillis(decision.delay) >= deadlineAt) {
            // Waiting would only end in the deadline's error: fail now, with what went wrong.
            decision = {
              _tag: "Stop",
              reason: `the retry in ${Duration.format(decision.delay)} would come after the deadline`,
            }
          }
          decisions.set(failure, decision)
          // The retry of a 429 waits out its own Retry-After; the budget then knows when it was due.
          due = decision._tag === "Retry" && decision.source === "retry-after" &&
              failure._tag === "KlaviyoApiError" &&
              failure.status === 429
            ? now + Duration.toMillis(decision.delay)
            : undefined
          if (decision._tag === "Stop") {
            if (retries > 1) yield* Effect.logDebug(`Not retrying ${request.operation}: ${decision.reason}`)
            return decision
          }
          const details = {
            "klaviyo.retry.attempt": retries + 1,
            "klaviyo.retry.cause": decision.cause,
            "klaviyo.retry.delay_ms": Duration.toMillis(decision.delay),
            "klaviyo.retry.delay_source": decision.source,
          }
          yield* Effect.logWarning(
            `Retrying ${request.operation} (attempt ${retries + 1}) in ${
              Duration.format(decision.delay)
            } (${decision.source}) after ${decision.cause}`,
          ).pipe(Effect.annotateLogs(details))
          const span = yield* Effect.option(Effect.currentSpan)
          if (span._tag === "Some") span.value.event("klaviyo.retry", yield* Clock.currentTimeNanos, details)
          yield* Metric.update(Metric.withAttributes(retriesMetric, { source: decision.source }), 1)
          return decision
        })
      const retryAfterFailure = (effect: Effect.Effect<ApiResponse, AttemptFailure>) =>
        Effect.retry(effect, {
          while: (failure) => Effect.map(decisionFor(failure), (decision) => decision._tag === "Retry"),
          schedule: Schedule.forever.pipe(
            Schedule.setInputType<AttemptFailure>(),
            Schedule.modifyDelay(({ input }) =>
              Effect.map(
                decisionFor(input),
                (decision) => decision._tag === "Retry" ? decision.delay : Duration.zero,
              )
            ),
          ),
        })
      const once = counted(attempt(request), () => due)
      // The retry machinery is entered only after a failure: the first attempt runs plain, and
      // the retried effect replays that failure first, so the schedule sees the same failures.
      const retried = Effect.catch(once, (first) => {
        let replayed = false
        const again = Effect.suspend(() => {
          if (replayed) return once
          replayed = true
          return Effect.fail(first)
        })
        return retryAfterFailure(again)
      })
      const bounded = deadline === undefined ? retried : Effect.andThen(
        Effect.map(Clock.currentTimeMillis, (now) => {
          deadlineAt = now + Duration.toMillis(deadline)
        }),
        retried,
      ).pipe(
        Effect.timeoutOrElse({
          duration: deadline,
          orElse: () =>
            Effect.fail(
              new TransportError({
                kind: "deadline",
                method: methodOf(request),
                url: requestUrl(options.baseUrl, request),
                // A POST cut off by the deadline may have been sent.
                ...(methodOf(request) === "POST" ? { jobMayExist: true } : {}),
                detail: `the call (with its retries and waits) passed its deadline of ${
                  Duration.format(deadline)
                }`,
              }),
            ),
        }),
      )
      // The span ends with no value: a tracer records a span's exit, and a 2xx body (not yet
      // decoded, it may hold anything, a credential a server echoed included) is not the span's
      // to record. The response is handed on past the span instead.
      let answered: ApiResponse | undefined
      return bounded.pipe(
        // The deadline's error too, before the span records it (an attempt's is already clean).
        Effect.mapError(redact),
        Effect.map((response) => {
          answered = response
        }),
        withSpanIfTraced("klaviyo.send", () => ({
          attributes: { "klaviyo.operation": request.operation, "klaviyo.revision": options.revision },
        })),
        Effect.map(() => answered as ApiResponse),
      )
    })
}
