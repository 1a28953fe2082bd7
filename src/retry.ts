/**
 * When to try a call again, and how long to wait first: one pure decision function, and the
 * options that shape it.
 *
 * A GET is retried after 429 (never sooner than `Retry-After`, which gets no jitter), 500,
 * 502, 503, 504, 524, network errors, broken bodies and per-attempt timeouts (a GET is safe to
 * repeat). A POST (which creates a bulk job) only when Klaviyo certainly did not act on it: a
 * 429, or a connection that never opened; after any other failure its error says that the job
 * may exist (`jobMayExist`). Never retried: every other status, a decoding mismatch, a body
 * over the size cap, the overall deadline. Our own delays back off exponentially with jitter.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type { DecodeError, KlaviyoApiError, TransportError } from "./errors.ts"

/**
 * What the retry decision looks at: a failed attempt.
 *
 * @example
 * ```ts
 * import type { AttemptFailure } from "@effect-klaviyo/catalog-jobs"
 *
 * const isServerSide = (failure: AttemptFailure): boolean => failure._tag === "KlaviyoApiError" && failure.status >= 500
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export type AttemptFailure = KlaviyoApiError | TransportError | DecodeError

/**
 * Where a retry's delay came from: the server's `Retry-After`, or our own backoff.
 *
 * @example
 * ```ts
 * import type { DelaySource, RetryDecision } from "@effect-klaviyo/catalog-jobs"
 *
 * const source = (decision: RetryDecision): DelaySource | undefined => decision._tag === "Retry" ? decision.source : undefined
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export type DelaySource = "retry-after" | "backoff"

/**
 * The outcome of the retry decision.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import type { RetryDecision } from "@effect-klaviyo/catalog-jobs"
 *
 * const again: RetryDecision = { _tag: "Retry", delay: Duration.seconds(1), source: "backoff", cause: "status 503" }
 * const stop: RetryDecision = { _tag: "Stop", reason: "not retried" }
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export type RetryDecision =
  | {
    readonly _tag: "Retry"
    readonly delay: Duration.Duration
    readonly source: DelaySource
    readonly cause: string
  }
  | { readonly _tag: "Stop"; readonly reason: string }

/**
 * The default policy's settings.
 *
 * @example
 * ```ts
 * import { KlaviyoClient, type RetryOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const retry: RetryOptions = { times: 5, base: "500 millis", maxDelay: "30 seconds", maxRetryAfter: "2 minutes" }
 * const layer = KlaviyoClient.layer({ apiKey: "pk_example", retry })
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export interface RetryOptions {
  /**
   * How many times to retry after the first attempt.
   * @default 3
   */
  readonly times?: number | undefined
  /**
   * The first backoff delay; each retry doubles it.
   * @default "250 millis"
   */
  readonly base?: Duration.Input | undefined
  /**
   * The longest backoff delay (jitter included). It does not cap `Retry-After`.
   * @default "10 seconds"
   */
  readonly maxDelay?: Duration.Input | undefined
  /**
   * The longest `Retry-After` the client waits out; a longer one fails the call with the
   * `KlaviyoApiError` and its `retryAfter` at once.
   * @default "60 seconds"
   */
  readonly maxRetryAfter?: Duration.Input | undefined
}

/**
 * A custom policy: given a failed attempt and its retry number (1 for the first retry) and a
 * random number in [0, 1), decide. Whatever it answers, a retry never comes sooner than the
 * server's `Retry-After`.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { KlaviyoClient, type RetryPolicy } from "@effect-klaviyo/catalog-jobs"
 *
 * // Retry only network failures, every 2 seconds, five times.
 * const policy: RetryPolicy = (failure, retry) =>
 *   failure._tag === "TransportError" && failure.kind === "network" && retry <= 5
 *     ? { _tag: "Retry", delay: Duration.seconds(2), source: "backoff", cause: failure.detail }
 *     : { _tag: "Stop", reason: "only network failures are retried" }
 * const layer = KlaviyoClient.layer({ apiKey: "pk_example", retry: policy })
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export type RetryPolicy = (failure: AttemptFailure, retry: number, random: number) => RetryDecision

/**
 * The default policy's settings, resolved: what {@link retryDecision} reads.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { defaultRetrySettings, type RetrySettings } from "@effect-klaviyo/catalog-jobs"
 *
 * const patient: RetrySettings = { ...defaultRetrySettings, times: 10, maxDelay: Duration.minutes(1) }
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export interface RetrySettings {
  /** How many times to retry after the first attempt. */
  readonly times: number
  /** The first backoff delay. */
  readonly base: Duration.Duration
  /** The longest backoff delay. */
  readonly maxDelay: Duration.Duration
  /** The longest `Retry-After` waited out. */
  readonly maxRetryAfter: Duration.Duration
}

/**
 * The default settings: 3 retries, backoff from 250 ms doubling up to 10 s, `Retry-After` up to
 * 60 s.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { defaultRetrySettings } from "@effect-klaviyo/catalog-jobs"
 *
 * console.log(defaultRetrySettings.times, Duration.format(defaultRetrySettings.base)) // 3 250ms
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export const defaultRetrySettings: RetrySettings = {
  times: 3,
  base: /* @__PURE__ */ Duration.millis(250),
  maxDelay: /* @__PURE__ */ Duration.seconds(10),
  maxRetryAfter: /* @__PURE__ */ Duration.seconds(60),
}

/** The statuses that are retried: overload and gateway trouble, including Cloudflare's 524. */
const retriedStatuses: ReadonlySet<number> = /* @__PURE__ */ new Set([429, 500, 502, 503, 504, 524])

/**
 * Our own backoff before retry number `retry` (1-based): `base · 2^(retry-1)`, jittered by a
 * factor between 0.8 and 1.2 (from `random` in [0, 1)), capped at `maxDelay`.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import { backoffDelay, defaultRetrySettings } from "@effect-klaviyo/catalog-jobs"
 *
 * Duration.toMillis(backoffDelay(3, 0.5, defaultRetrySettings)) // 1000
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export const backoffDelay = (retry: number, random: number, settings: RetrySettings): Duration.Duration => {
  const raw = Duration.toMillis(settings.base) * 2 ** Math.max(0, retry - 1)
  const jittered = raw * (0.8 + 0.4 * random)
  return Duration.millis(Math.round(Math.min(Duration.toMillis(settings.maxDelay), jittered)))
}

/**
 * The retry decision of the default policy: one pure function of the failure, the retry number
 * (1-based), a random number in [0, 1) for jitter, and the settings.
 *
 * @example
 * ```ts
 * import { defaultRetrySettings, KlaviyoApiError, retryDecision } from "@effect-klaviyo/catalog-jobs"
 *
 * const notFound = new KlaviyoApiError({ status: 404, method: "GET", url: "https://a.klaviyo.com/api/x", revision: "2026-07-15", errors: [] })
 * retryDecision(notFound, 1, 0.5, defaultRetrySettings)._tag // "Stop"
 * ```
 *
 * @since 0.1.0
 * @category retry
 */
export const retryDecision = (
  failure: AttemptFailure,
  retry: number,
  random: number,
  settings: RetrySettings,
): RetryDecision => {
  if (retry > settings.times) {
    return {
      _tag: "Stop",
      reason: `gave up after ${settings.times} ${settings.times === 1 ? "retry" : "retries"}`,
    }
  }
  switch (failure._tag) {
    case "DecodeError":
      return { _tag: "Stop", reason: "a body that does not match will not match on a retry" }
    case "TransportError": {
      if (failure.kind === "oversized") return { _tag: "Stop", reason: "the body is over the size cap" }
      if (failure.kind === "deadline") return { _tag: "Stop", reason: "the overall deadline has passed" }
      if (failure.method === "POST" && failure.jobMayExist !== false) {
        return {
          _tag: "Stop",
          reason: `a POST that may have reached Klaviyo is not repeated (${failure.kind})`,
        }
      }
      return {
        _tag: "Retry",
        delay: backoffDelay(retry, random, settings),
        source: "backoff",
        cause: `${failure.kind}: ${failure.detail}`,
      }
    }
    case "KlaviyoApiError": {
      if (!retriedStatuses.has(failure.status)) {
        return { _tag: "Stop", reason: `status ${failure.status} is not retried` }
      }
      if (failure.method === "POST" && failure.status !== 429) {
        return { _tag: "Stop", reason: `status ${failure.status} to a POST is not retried (only 429 is)` }
      }
      const retryAfter = failure.retryAfter
      if (retryAfter !== undefined) {
        if (Duration.isGreaterThan(retryAfter, settings.maxRetryAfter)) {
          return {
            _tag: "Stop",
            reason: `Retry-After of ${Duration.format(retryAfter)} is longer than maxRetryAfter (${
              Duration.format(settings.maxRetryAfter)
            })`,
          }
        }
        return { _tag: "Retry", delay: retryAfter, source: "retry-after", cause: `status ${failure.status}` }
      }
      return {
        _tag: "Retry",
        delay: backoffDelay(retry, random, settings),
        source: "backoff",
        cause: `status ${failure.status}`,
      }
    }
  }
}

/**
 * Resolves `KlaviyoClient.layer`'s `retry` option into a policy, or `undefined` when it is
 * invalid. `false` gives a policy that never retries.
 */
export const resolveRetry = (
  option: false | RetryOptions | RetryPolicy | undefined,
): RetryPolicy | string => {
  if (option === false) return () => ({ _tag: "Stop", reason: "retries are turned off" })
  if (typeof option === "function") return option
  const settings = resolveRetrySettings(option ?? {})
  return typeof settings === "string"
    ? settings
    : (failure, retry, random) => retryDecision(failure, retry, random, settings)
}

const resolveRetrySettings = (options: RetryOptions): RetrySettings | string => {
  const duration = (input: Duration.Input | undefined, fallback: Duration.Duration, name: string) => {
    if (input === undefined) return fallback
    const parsed = Option.getOrUndefined(Duration.fromInput(input))
    return parsed !== undefined && Duration.isFinite(parsed) && !Duration.isLessThan(parsed, Duration.zero)
      ? parsed
      : `retry.${name} must be a finite duration, zero or more`
  }
  const times = options.times ?? defaultRetrySettings.times
  if (!Number.isInteger(times) || times < 0) return "retry.times must be a whole number, 0 or more"
  const base = duration(options.base, defaultRetrySettings.base, "base")
  const maxDelay = duration(options.maxDelay, defaultRetrySettings.maxDelay, "maxDelay")
  const maxRetryAfter = duration(options.maxRetryAfter, defaultRetrySettings.maxRetryAfter, "maxRetryAfter")
  if (typeof base === "string") return base
  if (typeof maxDelay === "string") return maxDelay
  if (typeof maxRetryAfter === "string") return maxRetryAfter
  return { times, base, maxDelay, maxRetryAfter }
}
