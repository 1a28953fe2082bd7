/**
 * The rate-limit budget: a shared service, over `effect/persistence`'s `RateLimiterStore`, that
 * keeps every request inside Klaviyo's limits (for this endpoint: burst 350 per second, steady
 * 3500 per minute, fixed windows per account) without ever meeting a 429.
 *
 * ## Why not Effect's own algorithms
 * Klaviyo counts in fixed windows whose phase the client cannot know. Effect's `fixed-window`
 * and `token-bucket` limit averages: both let more than `limit` requests into some window of
 * length `window` (measured: 450 in 300 ms against 350 per second). The budget needs the
 * stricter guarantee: **at most `limit` requests in any interval of length `window`**, whatever
 * its phase. That is a sliding-window log.
 *
 * ## The algorithm: a ring of permits
 * Each window owns `limit` permits, one store key each. Taking a permit is one atomic store
 * operation (`fixedWindow` with a limit of 1): it succeeds only if the permit is free, and then
 * holds it for `window + margin`. The n-th request takes permit `n mod limit`, the one taken
 * `limit` requests earlier, and waits exactly as long as that permit is still held (the store
 * answers with the time left). So no more than `limit` permits are held at once, each for at
 * least `window` after its request was sent: every `window`-long interval sees at most `limit`
 * requests. `margin` absorbs the spread of network latency between the client and the server.
 *
 * Every window's permit is first waited for without being taken, so that no permit is held while
 * waiting for another (it would protect the wrong interval); then the longest window's permit is
 * taken first and the shortest one's last, just before sending (should a permit be taken by
 * another caller in between, only a longer window's permit is held while waiting for a shorter
 * one, never the reverse: a short permit could run out during the wait), and each permit is held
 * longer by the time since it was taken if that was slow. Store operations that do not depend on
 * each other go together: a free request costs four store round trips in a row (the reservation,
 * a look at every permit, the pause and the reservation counter together, then one take per
 * window). Acquisitions in one process go one at a time under a lock, the reservation included
 * (reserved before the lock, a process's reservations run ahead of its sends and the fleet's
 * ring spreads worse: measured 3 s slower in 29 at 8 processes). While it waits for the lock a
 * caller probes the store (one read, not waited for), so that a store that is gone fails it
 * within `storeTimeout` of asking. Each hop of a redirect takes permits of its own.
 *
 * ## Pauses
 * A 429 pauses every caller that shares the budget for its `Retry-After` (at most `maxPause`):
 * the pause's end becomes the later of its end and now + `Retry-After` (one compare-and-set on
 * the pause key), never the sum. Callers that find the budget paused wait it out outside the
 * lock, behind one gate per process, and go together when it ends: a 429 to one of them holds
 * back the callers that come after, not the others let go with it (as long as none has to wait
 * for a permit). The retry of a 429 follows its own `Retry-After`, not the pause other 429s
 * extended, so that each call ends within its own retry policy. A caller already waiting for a
 * permit waits out a pause that began meanwhile.
 *
 * `RateLimit-Limit`, `-Remaining` and `-Reset` describe the steady window. When an answer's
 * `Remaining` leaves nothing for the requests in flight, the budget counts its steady permits
 * held past the earliest end `Reset` allows (`Reset` is whole seconds: the window ends no
 * earlier than `Reset - 1` s from now); only if its own windows would let more requests through
 * before then than the server has left (another program spends the account) does it pause until
 * `Reset`. The budget's own requests, counted by the server, already hold those permits: pausing
 * for them would only add the rounding of `Reset`. Counting looks at each steady permit once,
 * only on such an answer.
 *
 * ## When the store fails
 * `storeTimeout` bounds each store operation. Every caller's first operation is its own (the
 * reservation), so a store that is gone fails it within `storeTimeout` of asking; and any failed
 * operation fails, at once, every caller then waiting for the lock, instead of letting each try
 * the store one `storeTimeout` after the other.
 *
 * A store that comes back empty (a restart without persistence, a failover to a replica behind,
 * a flush) is seen from the reservation counter, which only grows while it is in use and lives
 * longer than every permit: an operation that finds it lower than this process saw, while it
 * could not have expired by itself, means the permits are gone. The budget then sends nothing
 * for the longest window's hold (a minute and the margin, for Klaviyo's steady window), kept in
 * the process at once and written to the store as a pause every process honours, 429 retries
 * and released callers included. The trade-off: the permits of the last window may all have
 * been in use, by processes that are idle, gone or have not noticed yet, and nothing tells how
 * many; each process re-seeding the permits it remembers would resume at once but let theirs
 * through again (a fleet could send a window's worth twice). Holding back costs one window of
 * sending after each loss and never exceeds the limit. A process that starts after the loss, or
 * whose callers have not touched the store since before it, cannot tell an emptied store from a
 * new one: it is the first caller after the loss, whichever process it is in, that sees it.
 *
 * Store keys are bounded: `limit` permits per window plus two counters, so the in-memory store
 * does not grow.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as RateLimiter from "effect/persistence/RateLimiter"
import { InvalidRequest } from "./errors.ts"
import type { LimitClass } from "./http/request.ts"
import { makePause, RetryDue } from "./internal/budget-pause.ts"
import { makeRing, type RingWindow } from "./internal/budget-ring.ts"
import { guardStore } from "./internal/budget-store.ts"
import { checkRateLimitTypes } from "./internal/options.ts"

/**
 * One window of a limit: at most `limit` requests per `window`.
 *
 * @example
 * ```ts
 * import type { RateLimitWindow } from "@effect-klaviyo/catalog-jobs"
 *
 * const steady: RateLimitWindow = { limit: 3500, window: "1 minute" }
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RateLimitWindow {
  /** How many requests the window allows. */
  readonly limit: number
  /** How long the window is. */
  readonly window: Duration.Input
}

/**
 * How to limit: the burst and steady windows of the endpoint's limit class, and the margin that
 * absorbs latency spread.
 *
 * @example
 * ```ts
 * import { KlaviyoClient, type RateLimitOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const limits: RateLimitOptions = { burst: { limit: 350, window: "1 second" }, margin: "200 millis" }
 * const layer = KlaviyoClient.layer({ apiKey: "pk_example", rateLimit: limits })
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RateLimitOptions {
  /**
   * The short window.
   * @default { limit: 350, window: "1 second" }
   */
  readonly burst?: RateLimitWindow | undefined
  /**
   * The long window.
   * @default { limit: 3500, window: "1 minute" }
   */
  readonly steady?: RateLimitWindow | undefined
  /**
   * Added to each window's hold time: it covers the spread of latency between the client's
   * send and the server's count (requests sent `window` apart may arrive closer together) and
   * the store's round trip between taking the last permit and sending. A margin shorter than
   * those protects nothing; on this repository's benchmark machine 50 ms was enough for warm
   * processes. A request that must first open its connection (TCP and TLS to Klaviyo) reaches
   * the server that much later: processes that start at full speed together need a margin that
   * covers the connection's set-up.
   * @default "100 millis"
   */
  readonly margin?: Duration.Input | undefined
  /**
   * The longest a 429's `Retry-After` or a spent `RateLimit-Remaining` pauses the budget; calls
   * made past it meet Klaviyo's answer themselves (a `Retry-After` beyond the client's
   * `maxRetryAfter` fails them at once). The hold-back after a store lost its permits is not
   * capped: it lasts the longest window and its margin.
   * @default "60 seconds"
   */
  readonly maxPause?: Duration.Input | undefined
  /**
   * The budget's store key prefix.
   * @default "klaviyo:catalog-bulk-jobs"
   */
  readonly key?: string | undefined
  /**
   * The Klaviyo account the budget is for (with OAuth, the account and the app): Klaviyo counts
   * per account, so budgets with the same account share their limits, whatever the key or
   * process. Without it the budget is scoped by a hash of `credential` (never the credential
   * itself), and without that to one shared scope.
   */
  readonly account?: string | undefined
  /** The API key or access token whose hash scopes the budget when no `account` is given. */
  readonly credential?: string | Redacted.Redacted<string> | undefined
  /**
   * How long one store operation may take. A store that does not answer in time (Redis gone)
   * then fails the request with a `TransportError` instead of holding it: every caller gets its
   * answer within `storeTimeout` of asking (or of its turn, when it waits for a permit), however
   * many wait with it. Set it for a remote store; the in-memory store always answers at once.
   * @default no timeout
   */
  readonly storeTimeout?: Duration.Input | undefined
}

/**
 * What the {@link RateLimitBudget} service does.
 *
 * @example
 * ```ts
 * import { Duration, Effect } from "effect"
 * import { RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
 *
 * // Pause every client sharing the budget, for example after a 429 seen by other code.
 * const pause = Effect.flatMap(Effect.service(RateLimitBudget), (budget) => budget.pause(Duration.seconds(5)))
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RateLimitBudgetShape {
  /**
   * Runs `effect` (one hop on the wire) once every window has a permit for it; the time spent
   * waiting is recorded in the `klaviyo_rate_limit_wait_ms` metric. `limitClass` is the
   * request's (the budget keeps the classes apart in a later release).
   */
  readonly withPermit: <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    limitClass?: LimitClass,
  ) => Effect.Effect<A, E | RateLimiter.RateLimiterError, R>
  /** Pauses every caller that shares the budget for `duration` (a 429's `Retry-After`). */
  readonly pause: (duration: Duration.Duration) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /**
   * Reads the `RateLimit-*` headers of an answer (they describe the steady window): when
   * `RateLimit-Remaining` leaves nothing for the requests still in flight and the budget's own
   * steady permits do not account for what the server counted, the budget pauses until
   * `RateLimit-Reset`.
   */
  readonly observe: (
    headers: Readonly<Record<string, string>>,
  ) => Effect.Effect<void, RateLimiter.RateLimiterError>
}

type ResolvedWindow = RingWindow

/** The largest `limit` accepted: each permit is a store key. */
const MAX_LIMIT = 100_000

const waitMetric = Metric.counter("klaviyo_rate_limit_wait_ms", {
  description: "Milliseconds requests spent waiting for the rate-limit budget",
})
const pauseMetric = Metric.counter("klaviyo_rate_limit_pauses_total", {
  description: "Times the rate-limit budget was paused (by a 429 or a spent RateLimit-Remaining)",
})

const resolveWindow = (name: string, input: RateLimitWindow, fallback: RateLimitWindow) => {
  const limit = input.limit ?? fallback.limit
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return new InvalidRequest({
      input: "rateLimit",
      reason: `rateLimit.${name}.limit must be a whole number from 1 to ${MAX_LIMIT}, not ${String(limit)}`,
    })
  }
  const window = Option.getOrUndefined(Duration.fromInput(input.window ?? fallback.window))
  if (window === undefined || !Duration.isFinite(window) || !Duration.isGreaterThan(window, Duration.zero)) {
    return new InvalidRequest({
      input: "rateLimit",
      reason: `rateLimit.${name}.window must be a positive duration`,
    })
  }
  return { name, limit, window }
}

/** Checks the options and computes each window's hold, longest window first. */
export const resolveRateLimit = (
  options: RateLimitOptions,
):
  | {
    readonly windows: ReadonlyArray<ResolvedWindow>
    readonly key: string
    readonly maxPause: Duration.Duration
    readonly storeTimeout: Duration.Duration | undefined
  }
  | InvalidRequest => {
  const wrongType = checkRateLimitTypes(options)
  if (wrongType !== undefined) return wrongType
  const margin = Option.getOrUndefined(Duration.fromInput(options.margin ?? "100 millis"))
  if (margin === undefined || !Duration.isFinite(margin) || !Duration.isGreaterThan(margin, Duration.zero)) {
    return new InvalidRequest({
      input: "rateLimit",
      reason: "rateLimit.margin must be a positive, finite duration",
    })
  }
  const maxPause = Option.getOrUndefined(Duration.fromInput(options.maxPause ?? "60 seconds"))
  if (
    maxPause === undefined || !Duration.isFinite(maxPause) || Duration.isLessThan(maxPause, Duration.zero)
  ) {
    return new InvalidRequest({ input: "rateLimit", reason: "rateLimit.maxPause must be a finite duration" })
  }
  const burst = resolveWindow("burst", options.burst ?? defaultBurst, defaultBurst)
  if (burst instanceof InvalidRequest) return burst
  const steady = resolveWindow("steady", options.steady ?? defaultSteady, defaultSteady)
  if (steady instanceof InvalidRequest) return steady
  // Longest window first: its permit is taken first, the innermost one last, just before sending.
  const windows: Array<ResolvedWindow> = [burst, steady]
    .sort((a, b) => Duration.toMillis(b.window) - Duration.toMillis(a.window))
    .map((window) => ({ ...window, hold: Duration.sum(window.window, margin) }))
  const storeTimeout = options.storeTimeout === undefined
    ? undefined
    : Option.getOrUndefined(Duration.fromInput(options.storeTimeout))
  if (
    options.storeTimeout !== undefined &&
    (storeTimeout === undefined || !Duration.isGreaterThan(storeTimeout, Duration.zero))
  ) {
    return new InvalidRequest({
      input: "rateLimit",
      reason: "rateLimit.storeTimeout must be a positive duration",
    })
  }
  // The limit class: the windows themselves, so that budgets with other limits never share keys.
  const limitClass = windows.map((window) => `${window.limit}per${Duration.toMillis(window.window)}ms`).join(
    "+",
  )
  return {
    windows,
    key: `${options.key ?? "klaviyo:catalog-bulk-jobs"}:${limitClass}`,
    maxPause,
    storeTimeout,
  }
}

const defaultBurst: RateLimitWindow = { limit: 350, window: "1 second" }
const defaultSteady: RateLimitWindow = { limit: 3500, window: "1 minute" }

/** Reads the first whole number of a header such as `RateLimit-Remaining: 12` or `12;w=60`. */
const headerNumber = (value: string | undefined): number | undefined => {
  const match = value === undefined ? null : /^\s*(\d+)/.exec(value)
  return match === null ? undefined : Number(match[1])
}

/**
 * The scope of a budget's keys: the account when given; else the first 16 hex digits of the
 * credential's SHA-256 (never the credential); else one shared scope.
 */
const budgetScope = (options: RateLimitOptions): Effect.Effect<string> => {
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

/** Builds a budget over the `RateLimiterStore` in context. */
export const makeRateLimitBudget = (
  options: RateLimitOptions = {},
): Effect.Effect<RateLimitBudgetShape, InvalidRequest, RateLimiter.RateLimiterStore> =>
  Effect.gen(function* () {
    const resolved = resolveRateLimit(options)
    if (resolved instanceof InvalidRequest) return yield* resolved
    const { maxPause, storeTimeout, windows } = resolved
    const key = `${resolved.key}:${yield* budgetScope(options)}`
    // With a storeTimeout, every store operation answers in time or fails: a lost store never
    // holds a request.
    const store = guardStore(yield* RateLimiter.RateLimiterStore, storeTimeout)
    const pauses = makePause(store.fixedWindow, `${key}:pause`)
    const ring = makeRing({ store, key, windows, pause: pauses })
    const steady = windows.find((window) => window.name === "steady")!
    let inFlight = 0
    let checking = false

    /** Pauses the budget (capped at `maxPause`); pauses from many callers never add up. */
    const pause = (duration: Duration.Duration): Effect.Effect<void, RateLimiter.RateLimiterError> => {
      const wanted = Math.ceil(Math.min(Duration.toMillis(duration), Duration.toMillis(maxPause)))
      return wanted <= 0 ? Effect.void : Effect.flatMap(
        pauses.extend(wanted),
        (began) => began ? Metric.update(pauseMetric, 1) : Effect.void,
      )
    }

    /**
     * `RateLimit-*` describe the steady window. When the server has nothing left for the requests
     * in flight, it is only news if the budget's own steady permits would let more through before
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

    return {
      withPermit: (effect) =>
        Effect.gen(function* () {
          const start = yield* Clock.currentTimeMillis
          yield* ring.takeAll(yield* RetryDue).pipe(
            Effect.withSpan("klaviyo.rateLimit", undefined, { captureStackTrace: false }),
          )
          const waited = (yield* Clock.currentTimeMillis) - start
          if (waited > 0) yield* Metric.update(waitMetric, waited)
          return yield* Effect.acquireUseRelease(
            Effect.sync(() => inFlight++),
            () => effect,
            () => Effect.sync(() => inFlight--),
          )
        }),
      pause,
      observe,
    }
  })

/** A budget that never waits: `rateLimit: false`. */
export const unlimitedBudget: RateLimitBudgetShape = {
  withPermit: (effect) => effect,
  pause: () => Effect.void,
  observe: () => Effect.void,
}

const RateLimitBudgetBase: Context.ServiceClass<
  RateLimitBudget,
  "@effect-klaviyo/catalog-jobs/RateLimitBudget",
  RateLimitBudgetShape
> = Context.Service<RateLimitBudget, RateLimitBudgetShape>()("@effect-klaviyo/catalog-jobs/RateLimitBudget")

/**
 * A rate-limit budget shared by every client that uses it: provide one to several
 * `KlaviyoClient.layer({ ..., rateLimit: "shared" })` clients of the same account, so that
 * together they stay inside the account's limits and a 429 seen by one pauses all.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { KlaviyoClient, RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
 *
 * const client = KlaviyoClient.layer({ apiKey: "pk_example", rateLimit: "shared" }).pipe(
 *   Layer.provide(RateLimitBudget.layerMemory()),
 *   Layer.provide(FetchHttpClient.layer),
 * )
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export class RateLimitBudget extends RateLimitBudgetBase {
  /**
   * A budget over the `RateLimiterStore` in context (in memory, or Redis for a fleet).
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { RateLimiter } from "effect/persistence"
   * import { RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
   *
   * const budget = RateLimitBudget.layer({ steady: { limit: 3500, window: "1 minute" } }).pipe(
   *   Layer.provide(RateLimiter.layerStoreMemory),
   * )
   * ```
   */
  static layer(
    options: RateLimitOptions = {},
  ): Layer.Layer<RateLimitBudget, InvalidRequest, RateLimiter.RateLimiterStore> {
    return Layer.effect(RateLimitBudget, makeRateLimitBudget(options))
  }

  /**
   * A budget in this process's memory.
   *
   * @example
   * ```ts
   * import { RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
   *
   * const budget = RateLimitBudget.layerMemory({ burst: { limit: 350, window: "1 second" } })
   * ```
   */
  static layerMemory(options: RateLimitOptions = {}): Layer.Layer<RateLimitBudget, InvalidRequest> {
    return RateLimitBudget.layer(options).pipe(Layer.provide(RateLimiter.layerStoreMemory))
  }
}
