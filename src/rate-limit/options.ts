/**
 * The rate-limit budget's options: the public types, and their resolution (checked, defaults
 * applied, each class's windows and store key computed) for one revision.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import { InvalidRequest } from "../errors.ts"
import type { LimitClass } from "../http/request.ts"
import type { RingWindow } from "../internal/budget-ring.ts"
import type { Revision } from "../revision.ts"
import { classLimitsOf, LIMIT_CLASSES, type RateLimitClassLimits } from "./classes.ts"

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
 * The windows of one limit class, to replace what the revision's spec gives it (a window left out
 * keeps the spec's).
 *
 * @example
 * ```ts
 * import type { RateLimitClassOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * // Leave a third of the POST budget to another program of the same account.
 * const writes: RateLimitClassOptions = { burst: { limit: 50, window: "1 second" }, steady: { limit: 500, window: "1 minute" } }
 * ```
 *
 * @since 0.2.0
 * @category rate limit
 */
export interface RateLimitClassOptions {
  /** The short window. */
  readonly burst?: RateLimitWindow | undefined
  /** The long window (the one the `RateLimit-*` headers describe). */
  readonly steady?: RateLimitWindow | undefined
}

/**
 * How to limit: each limit class's burst and steady windows (by default its revision's, from the
 * spec), the margin that absorbs latency spread, the pause after a 429, the store's keys.
 *
 * Each class has a budget of its own (its windows, its store keys, its pause after a 429, its
 * reading of the `RateLimit-*` headers): `jobs-write` (every job-creating POST, and the GETs of
 * item and variant create and update jobs; 75 per second, 750 per minute, 700 before revision
 * 2026-01-15) and `jobs-read` (the GETs of category jobs and of every delete job; 350 per second,
 * 3500 per minute). `burst` and `steady` set `jobs-read`'s windows, as they set the only class
 * before there were classes; `classes` sets any class's.
 *
 * @example
 * ```ts
 * import { KlaviyoClient, type RateLimitOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const limits: RateLimitOptions = {
 *   burst: { limit: 350, window: "1 second" },
 *   classes: { "jobs-write": { steady: { limit: 600, window: "1 minute" } } },
 *   margin: "200 millis",
 * }
 * const layer = KlaviyoClient.layer({ apiKey: "pk_example", rateLimit: limits })
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RateLimitOptions {
  /**
   * The short window of the `jobs-read` class (the same as `classes["jobs-read"].burst`: give one).
   * @default { limit: 350, window: "1 second" }
   */
  readonly burst?: RateLimitWindow | undefined
  /**
   * The long window of the `jobs-read` class (the same as `classes["jobs-read"].steady`: give one).
   * @default { limit: 3500, window: "1 minute" }
   */
  readonly steady?: RateLimitWindow | undefined
  /**
   * The windows of each limit class, to replace the spec's for the revision.
   * @default the revision's: `jobs-read` 350 per second and 3500 per minute; `jobs-write` 75 per second and 750 per minute (700 before 2026-01-15)
   */
  readonly classes?: { readonly [C in LimitClass]?: RateLimitClassOptions | undefined } | undefined
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
   * The longest a 429's `Retry-After` or a spent `RateLimit-Remaining` pauses a class; calls
   * made past it meet Klaviyo's answer themselves (a `Retry-After` beyond the client's
   * `maxRetryAfter` fails them at once). The hold-back after a store lost its permits is not
   * capped: it lasts the longest window and its margin.
   * @default "60 seconds"
   */
  readonly maxPause?: Duration.Input | undefined
  /**
   * The budget's store key prefix; each class's keys add its name and its limits.
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
 * The options of a budget shared by several clients ({@link RateLimitBudget.layer}): those of
 * {@link RateLimitOptions}, and the revision whose spec gives the classes' default limits.
 *
 * @example
 * ```ts
 * import type { RateLimitBudgetOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * // Clients of revisions 2025-10-15 and 2026-07-15 share it: the older one's limits hold for both.
 * const options: RateLimitBudgetOptions = { account: "acme", revision: "2025-10-15" }
 * ```
 *
 * @since 0.2.0
 * @category rate limit
 */
export interface RateLimitBudgetOptions extends RateLimitOptions {
  /**
   * The revision whose spec gives each class's default limits. A client whose own revision's
   * limits are lower (for a class the options do not set) refuses the budget with an
   * `InvalidRequest`: build the budget with the oldest revision among its clients.
   * @default "2026-07-15"
   */
  readonly revision?: string | undefined
}

/** One class, resolved. */
export interface ResolvedClass {
  readonly name: LimitClass
  /** Its windows, longest first (its permit is taken first, the innermost one last). */
  readonly windows: ReadonlyArray<RingWindow>
  /** Its store key, the scope left out: prefix, class name, limits. */
  readonly key: string
  readonly limits: RateLimitClassLimits
}

/** The options, resolved. */
export interface ResolvedRateLimit {
  readonly classes: Readonly<Record<LimitClass, ResolvedClass>>
  readonly maxPause: Duration.Duration
  readonly storeTimeout: Duration.Duration | undefined
}

/** The largest `limit` accepted: each permit is a store key. */
const MAX_LIMIT = 100_000

const refuse = (reason: string) => new InvalidRequest({ input: "rateLimit", reason })

/** A window as given, its missing members from the class's default (`path` names it in errors). */
const resolveWindow = (
  path: string,
  input: Partial<RateLimitWindow>,
  fallback: { readonly limit: number; readonly window: Duration.Duration },
): { readonly limit: number; readonly window: Duration.Duration } | InvalidRequest => {
  const limit = input.limit ?? fallback.limit
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return refuse(`${path}.limit must be a whole number from 1 to ${MAX_LIMIT}, not ${String(limit)}`)
  }
  const window = Option.getOrUndefined(Duration.fromInput(input.window ?? fallback.window))
  if (window === undefined || !Duration.isFinite(window) || !Duration.isGreaterThan(window, Duration.zero)) {
    return refuse(`${path}.window must be a positive duration`)
  }
  return { limit, window }
}

/** A duration option: `fallback` when not given; `undefined` when refused. */
const durationOf = (
  input: Duration.Input | undefined,
  fallback: Duration.Input,
): Duration.Duration | undefined => Option.getOrUndefined(Duration.fromInput(input ?? fallback))

/** The windows given for `limitClass`, and the option path that gave each (for errors). */
const givenWindows = (options: RateLimitOptions, limitClass: LimitClass) => {
  const own = options.classes?.[limitClass]
  const path = `rateLimit.classes.${limitClass}`
  if (limitClass !== "jobs-read") {
    return {
      burst: own?.burst,
      steady: own?.steady,
      burstPath: `${path}.burst`,
      steadyPath: `${path}.steady`,
    }
  }
  for (const name of ["burst", "steady"] as const) {
    if (options[name] !== undefined && own?.[name] !== undefined) {
      return refuse(`rateLimit.${name} and ${path}.${name} both set the jobs-read ${name} window: give one`)
    }
  }
  return {
    burst: options.burst ?? own?.burst,
    steady: options.steady ?? own?.steady,
    burstPath: options.burst !== undefined ? "rateLimit.burst" : `${path}.burst`,
    steadyPath: options.steady !== undefined ? "rateLimit.steady" : `${path}.steady`,
  }
}

/** One class: its windows from the options, else from the revision's spec. */
const resolveClass = (
  options: RateLimitOptions,
  limitClass: LimitClass,
  spec: RateLimitClassLimits,
  prefix: string,
  margin: Duration.Duration,
): ResolvedClass | InvalidRequest => {
  const given = givenWindows(options, limitClass)
  if (given instanceof InvalidRequest) return given
  const burst = resolveWindow(given.burstPath, given.burst ?? spec.burst, spec.burst)
  if (burst instanceof InvalidRequest) return burst
  const steady = resolveWindow(given.steadyPath, given.steady ?? spec.steady, spec.steady)
  if (steady instanceof InvalidRequest) return steady
  // Longest window first: its permit is taken first, the innermost one last, just before sending.
  const windows: Array<RingWindow> = [{ name: "burst", ...burst }, { name: "steady", ...steady }]
    .sort((a, b) => Duration.toMillis(b.window) - Duration.toMillis(a.window))
    .map((window) => ({ ...window, hold: Duration.sum(window.window, margin) }))
  // The limits are in the key too, so that budgets with other limits never share keys.
  const limits = windows.map((window) => `${window.limit}per${Duration.toMillis(window.window)}ms`).join("+")
  return {
    name: limitClass,
    windows,
    key: `${prefix}:${limitClass}:${limits}`,
    limits: {
      burst,
      steady,
      revision: given.burst === undefined && given.steady === undefined ? spec.revision : undefined,
    },
  }
}

/**
 * Checks the options (their types already checked: see `readRateLimitOptions`) and resolves them
 * for `revision`: each class's windows (longest first, each with its hold) and store key.
 */
export const resolveRateLimit = (
  options: RateLimitOptions,
  revision: Revision,
): ResolvedRateLimit | InvalidRequest => {
  const margin = durationOf(options.margin, "100 millis")
  if (margin === undefined || !Duration.isFinite(margin) || !Duration.isGreaterThan(margin, Duration.zero)) {
    return refuse("rateLimit.margin must be a positive, finite duration")
  }
  const maxPause = durationOf(options.maxPause, "60 seconds")
  if (
    maxPause === undefined || !Duration.isFinite(maxPause) || Duration.isLessThan(maxPause, Duration.zero)
  ) {
    return refuse("rateLimit.maxPause must be a finite duration")
  }
  const storeTimeout = options.storeTimeout === undefined ? undefined : durationOf(options.storeTimeout, 0)
  if (
    options.storeTimeout !== undefined &&
    (storeTimeout === undefined || !Duration.isGreaterThan(storeTimeout, Duration.zero))
  ) {
    return refuse("rateLimit.storeTimeout must be a positive duration")
  }
  const spec = classLimitsOf(revision)
  const prefix = options.key ?? "klaviyo:catalog-bulk-jobs"
  const classes: Partial<Record<LimitClass, ResolvedClass>> = {}
  for (const limitClass of LIMIT_CLASSES) {
    const resolved = resolveClass(options, limitClass, spec[limitClass], prefix, margin)
    if (resolved instanceof InvalidRequest) return resolved
    classes[limitClass] = resolved
  }
  return { classes: classes as Record<LimitClass, ResolvedClass>, maxPause, storeTimeout }
}
