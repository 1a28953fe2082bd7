/**
 * Klaviyo's rate limits as the simulator enforces them: fixed windows (burst and steady), one
 * shared pair and one pair per limit class; a 429 with `Retry-After` (whole seconds, rounded up)
 * and no `RateLimit-*` headers past a limit, the steady window's `RateLimit-*` headers on every
 * other answer.
 *
 * @internal
 */
import type { LimitClass } from "../http/request.ts"
import type { SimulatorResponse, SimulatorStats } from "./api.ts"
import type { SimulatedRateLimit, SimulatedRateLimits } from "./options.ts"
import { errorResponse } from "./wire.ts"

/**
 * Klaviyo's limits for revision 2026-07-15, from the spec's `x-klaviyo-ratelimit`: 75 a second
 * and 750 a minute for `jobs-write`, 350 a second and 3500 a minute for `jobs-read`.
 *
 * @example
 * ```ts
 * import { KLAVIYO_RATE_LIMITS, KlaviyoSimulator } from "@effect-klaviyo/catalog-jobs"
 *
 * const model = KlaviyoSimulator.model({ rateLimits: KLAVIYO_RATE_LIMITS })
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export const KLAVIYO_RATE_LIMITS: SimulatedRateLimits = {
  "jobs-write": { burst: { limit: 75, windowMillis: 1_000 }, steady: { limit: 750, windowMillis: 60_000 } },
  "jobs-read": { burst: { limit: 350, windowMillis: 1_000 }, steady: { limit: 3_500, windowMillis: 60_000 } },
}

interface Window {
  readonly limit: number
  readonly windowMillis: number
  readonly steady: boolean
  readonly phase: number
  index: number
  count: number
}

const windowsOf = (limits: SimulatedRateLimit | undefined): ReadonlyArray<Window> =>
  limits === undefined
    ? []
    : [limits.burst, limits.steady].flatMap((window, i) =>
      window === undefined
        ? []
        : [{ ...window, steady: i === 1, phase: limits.phaseMillis ?? 0, index: Number.NaN, count: 0 }]
    )

/** Counts a request of a class: the answer's headers, or a 429 past a limit. */
export type Throttle = (
  limitClass: LimitClass,
  now: number,
) => SimulatorResponse | Readonly<Record<string, string>>

/** The throttle of a model. */
export const makeThrottle = (
  shared: SimulatedRateLimit | undefined,
  perClass: SimulatedRateLimits | undefined,
  stats: SimulatorStats,
): Throttle => {
  const common = windowsOf(shared)
  const own: Readonly<Record<LimitClass, ReadonlyArray<Window>>> = {
    "jobs-read": windowsOf(perClass?.["jobs-read"]),
    "jobs-write": windowsOf(perClass?.["jobs-write"]),
  }
  // The return type written out: inferred, the union of the answers gains optional `undefined`
  // headers, which a project without exactOptionalPropertyTypes refuses.
  return (limitClass, now): ReturnType<Throttle> => {
    stats.byClass[limitClass].requests++
    const windows = [...common, ...own[limitClass]]
    let blockedFor = 0
    for (const window of windows) {
      const index = Math.floor((now - window.phase) / window.windowMillis)
      if (index !== window.index) {
        window.index = index
        window.count = 0
      }
      if (window.count >= window.limit) {
        blockedFor = Math.max(blockedFor, window.phase + (index + 1) * window.windowMillis - now)
        stats.throttledBy[window.steady ? "steady" : "burst"]++
      }
    }
    if (blockedFor > 0) {
      stats.throttled++
      stats.byClass[limitClass].throttled++
      const seconds = Math.max(1, Math.ceil(blockedFor / 1000))
      const answer = errorResponse(
        429,
        "throttled",
        "Request was throttled.",
        `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`,
      )
      return { ...answer, headers: { ...answer.headers, "retry-after": String(seconds) } }
    }
    for (const window of windows) window.count++
    // The headers describe the class's own steady window when it has one, else the shared one's.
    const described = own[limitClass].length > 0 ? own[limitClass] : common
    const shown = described.find((window) => window.steady) ??
      (described.length === 1 ? described[0] : undefined)
    if (shown === undefined) return {}
    const resetMillis = shown.phase + (shown.index + 1) * shown.windowMillis - now
    return {
      "ratelimit-limit": String(shown.limit),
      "ratelimit-remaining": String(shown.limit - shown.count),
      "ratelimit-reset": String(Math.max(0, Math.ceil(resetMillis / 1000))),
    }
  }
}

/** Whether a throttle's result is a 429. */
export const isAnswer = (
  result: SimulatorResponse | Readonly<Record<string, string>>,
): result is SimulatorResponse => typeof result["status"] === "number"
