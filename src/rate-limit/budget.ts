/**
 * The budget: one ring of permits, one pause and one reading of the `RateLimit-*` headers per
 * limit class, over one store (see the module doc of `rate-limit.ts`).
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Redacted from "effect/Redacted"
import type * as RateLimiter from "effect/persistence/RateLimiter"
import type { LimitClass } from "../http/request.ts"
import { type BudgetPause, makePause, RetryDue } from "../internal/budget-pause.ts"
import { makeRing, type Ring, type RingWindow } from "../internal/budget-ring.ts"
import type { FixedWindowNow } from "../internal/budget-memory.ts"
import { type FixedWindow, type GuardedStore, guardStore } from "../internal/budget-store.ts"
import { isTraced, withSpanIfTraced } from "../internal/traced.ts"
import { isLimitClass, LIMIT_CLASSES, type RateLimitClassLimits } from "./classes.ts"
import type { RateLimitOptions, ResolvedClass, ResolvedRateLimit } from "./options.ts"

/**
 * What the {@link RateLimitBudget} service does. Each limit class has a budget of its own; a call
 * that names no class counts against `jobs-read`.
 *
 * @example
 * ```ts
 * import { Duration, Effect } from "effect"
 * import { RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
 *
 * // Pause the POSTs of every client sharing the budget, for example after a 429 seen by other code.
 * const pause = Effect.flatMap(Effect.service(RateLimitBudget), (budget) => budget.pause(Duration.seconds(5), "jobs-write"))
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RateLimitBudgetShape {
  /**
   * Runs `effect` (one attempt) once every window of `limitClass` has a permit for it; the time
   * spent waiting is recorded in the `klaviyo_rate_limit_wait_ms` metric (by `limit_class`).
   */
  readonly withPermit: <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    limitClass?: LimitClass,
  ) => Effect.Effect<A, E | RateLimiter.RateLimiterError, R>
  /**
   * Pauses every caller of `limitClass` that shares the budget for `duration` (a 429's
   * `Retry-After`); without a class, every caller of every class.
   */
  readonly pause: (
    duration: Duration.Duration,
    limitClass?: LimitClass,
  ) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /**
   * Reads the `RateLimit-*` headers of an answer to a request of `limitClass` (they describe its
   * steady window): when `RateLimit-Remaining` leaves nothing for the class's requests still in
   * flight and its own steady permits do not account for what the server counted, the class
   * pauses until `RateLimit-Reset`.
   */
  readonly observe: (
    headers: Readonly<Record<string, string>>,
    limitClass?: LimitClass,
  ) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /** Each class's limits (a budget of the library's own always says; one of yours may not). */
  readonly classes?: Readonly<Record<LimitClass, RateLimitClassLimits>> | undefined
}

const waitMetric = /* @__PURE__ */ Metric.counter("klaviyo_rate_limit_wait_ms", {
  description: "Milliseconds requests spent waiting for the rate-limit budget",
})
const pauseMetric = /* @__PURE__ */ Metric.counter("klaviyo_rate_limit_pauses_total", {
  description: "Times the rate-limit budget was paused (by a 429 or a spent RateLimit-Remaining)",
})

/** Reads the first whole number of a header such as `RateLimit-Remaining: 12` or `12;w=60`. */
const headerNumber = (value: string | undefined): number | undefined => {
  const match = value === undefined ? null : /^\s*(\d+)/.exec(value)
  return match === null ? undefined : Number(match[1])
}

/**
 * The scope of a budget's keys: the account when given; else the first 16 hex digits of the
 * credential's SHA-256 (never the credential); else one shared scope.
 */
export const budgetScope = (options: RateLimitOptions): Effect.Effect<string> => {
  if (options.account !== undefined) return Effect.succeed(`account:${encodeURIComponent(options.account)}`)
  const credential = options.credential
  if (credential === undefined) return Effect.succeed("shared")
  const text = Redacted.isRedacted(credential) ? Redacted.value(credential) : credential
  return Effect.map(
    Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))),
    (digest) =>
      `key:${
        [...new Uint8Array(digest).slice(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("")
      }`,
  )
}

/** The budget of one class. */
interface ClassBudget {
  readonly withPermit: RateLimitBudgetShape["withPermit"]
  readonly pause: (duration: Duration.Duration) => Effect.Effect<void, RateLimiter.RateLimiterError>
  readonly observe: (
    headers: Readonly<Record<string, string>>,
  ) => Effect.Effect<void, RateLimiter.RateLimiterError>
}

/** Builds the budget of one class over the guarded store; `scope` ends its keys. */
const makeClassBudget = (
  resolved: ResolvedClass,
  scope: string,
  store: GuardedStore,
  maxPause: Duration.Duration,
  fixedWindowNow: FixedWindowNow | undefined,
): ClassBudget => {
  const key = `${resolved.key}:${scope}`
  const { windows } = resolved
  const pauses: BudgetPause = makePause(store.fixedWindow, `${key}:pause`, fixedWindowNow)
  const ring: Ring = makeRing({ store, key, windows, pause: pauses, fixedWindowNow })
  const takeNow = ring.takeNow
  const steady: RingWindow = windows.find((window) => window.name === "steady")!
  const attributes = { limit_class: resolved.name }
  const waited = Metric.withAttributes(waitMetric, attributes)
  const paused = Metric.withAttributes(pauseMetric, attributes)
  const span = { attributes: { "klaviyo.limit_class": resolved.name } }
  let inFlight = 0
  let checking = false

  /** Pauses the class (capped at `maxPause`); pauses from many callers never add up. */
  const pause = (duration: Duration.Duration): Effect.Effect<void, RateLimiter.RateLimiterError> => {
    const wanted = Math.ceil(Math.min(Duration.toMillis(duration), Duration.toMillis(maxPause)))
    return wanted <= 0
      ? Effect.void
      : Effect.flatMap(pauses.extend(wanted), (began) => began ? Metric.update(paused, 1) : Effect.void)
  }

  /**
   * `RateLimit-*` describe the steady window. When the server has nothing left for the requests
   * in flight, it is only news if the class's own steady permits would let more through before
   * the server's window ends than the server has left: the permits held past that end are the
   * budget's own requests the server counted (another program spends the account when they are
   * fewer). `Reset` is whole seconds: the window ends no earlier than `Reset - 1` s from now.
   */
  const observe = (
    headers: Readonly<Record<string, string>>,
  ): Effect.Effect<void, RateLimiter.RateLimiterError> => {
    const remaining = headerNumber(headers["ratelimit-remaining"])
    const reset = headerNumber(headers["ratelimit-reset"])
    // Called once the answer's request is no longer in flight: inFlight counts the others.
    // RateLimit-Reset cannot be longer than the steady window; a larger value is misread.
    if (
      remaining === undefined || reset === undefined || remaining > inFlight ||
      reset * 1000 > Duration.toMillis(steady.window) || checking
    ) return Effect.void
    checking = true
    return Effect.gen(function* () {
      const held = yield* ring.heldAtLeast(steady.name, Math.max(0, reset - 1) * 1000)
      if (steady.limit - held > remaining) yield* pause(Duration.seconds(reset))
    }).pipe(Effect.ensuring(Effect.sync(() => checking = false)))
  }

  const inFlightDone = Effect.sync(() => inFlight--)
  const holding = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.acquireUseRelease(Effect.sync(() => inFlight++), () => effect, () => inFlightDone)
  /**
   * The permits of one attempt: at once when nothing waits (see `Ring.takeNow`), else in turn;
   * `refused`: `takeNow` was already tried for this attempt and said no (it is not asked twice).
   */
  const take = (due: number | undefined, refused: boolean) =>
    takeNow === undefined || refused
      ? ring.takeAll(due)
      : Effect.withFiber((fiber) =>
        takeNow(fiber.getRef(Clock.Clock).currentTimeMillisUnsafe()) ? Effect.void : ring.takeAll(due)
      )
  const traced = withSpanIfTraced("klaviyo.rateLimit", span)
  const inTurn = <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    refused: boolean,
  ): Effect.Effect<A, E | RateLimiter.RateLimiterError, R> =>
    Effect.gen(function* () {
      const start = yield* Clock.currentTimeMillis
      yield* traced(take(yield* RetryDue, refused))
      // Counted even when nothing was waited for: the counter is there (at 0) as soon as a permit
      // was taken in turn, instead of only when the clock moved by a millisecond meanwhile.
      yield* Metric.update(waited, Math.max(0, (yield* Clock.currentTimeMillis) - start))
      return yield* holding(effect)
    })
  // With no tracer, a permit taken at once needs nothing more: no span, no wait to measure.
  const withPermit = <A, E, R>(
    effect: Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E | RateLimiter.RateLimiterError, R> =>
    takeNow === undefined
      ? inTurn(effect, true)
      : Effect.withFiber((fiber) =>
        isTraced(fiber)
          ? inTurn(effect, false)
          : takeNow(fiber.getRef(Clock.Clock).currentTimeMillisUnsafe())
          ? holding(effect)
          : inTurn(effect, true)
      )

  return { withPermit, pause, observe }
}

/**
 * Builds a budget over `raw` (the `RateLimiterStore`'s service) from resolved options: one class
 * budget per limit class, every key ending in `scope`.
 */
export const makeClassBudgets = (
  resolved: ResolvedRateLimit,
  scope: string,
  raw: { readonly fixedWindow: FixedWindow; readonly fixedWindowNow?: FixedWindowNow | undefined },
): RateLimitBudgetShape => {
  // With a storeTimeout, every store operation answers in time or fails: a lost store never
  // holds a request. One guard for every class: a store that is gone is gone for all.
  const store = guardStore(raw, resolved.storeTimeout)
  // A store in memory answers in plain code too, unless its operations are to be timed.
  const fixedWindowNow = resolved.storeTimeout === undefined ? raw.fixedWindowNow : undefined
  const make = (limitClass: LimitClass) =>
    makeClassBudget(resolved.classes[limitClass], scope, store, resolved.maxPause, fixedWindowNow)
  const budgets: Readonly<Record<LimitClass, ClassBudget>> = {
    "jobs-read": make("jobs-read"),
    "jobs-write": make("jobs-write"),
  }
  // From JavaScript any value may come: a class the budget does not know counts as jobs-read.
  const of = (limitClass: LimitClass | undefined): ClassBudget =>
    budgets[isLimitClass(limitClass) ? limitClass : "jobs-read"]
  return {
    withPermit: (effect, limitClass) => of(limitClass).withPermit(effect),
    pause: (duration, limitClass) =>
      limitClass === undefined
        ? Effect.asVoid(
          Effect.all(LIMIT_CLASSES.map((name) => budgets[name].pause(duration)), {
            concurrency: "unbounded",
          }),
        )
        : of(limitClass).pause(duration),
    observe: (headers, limitClass) => of(limitClass).observe(headers),
    classes: {
      "jobs-read": resolved.classes["jobs-read"].limits,
      "jobs-write": resolved.classes["jobs-write"].limits,
    },
  }
}

/** A budget that never waits: `rateLimit: false`. */
export const unlimitedBudget: RateLimitBudgetShape = {
  withPermit: (effect) => effect,
  pause: () => Effect.void,
  observe: () => Effect.void,
}
