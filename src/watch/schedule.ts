/**
 * When to poll: the default schedule's delays (quick at first, slower while nothing moves,
 * paced by the observed rate while the job runs) and the checks of the watch's timing options.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { InvalidRequest } from "../errors.ts"
import type { JobProgress } from "./progress.ts"
import type { WatchTiming } from "./types.ts"

/** The bounds of the default schedule, in milliseconds. */
export interface Bounds {
  readonly min: number
  readonly max: number
  /**
   * Aim the polls of a running job at its estimated end rather than at every 5% of it (a bulk
   * write, which needs the end, not the progress: fewer GETs, and the end seen sooner).
   */
  readonly toEnd?: boolean | undefined
}

/** A watch's timing options, whatever its snapshots hold. */
type Timing = WatchTiming<never>

/**
 * The default schedule's next delay: `min` after a change when there is no rate yet; about 5%
 * of the job at the observed rate (never past the estimated end; just past it with `toEnd`)
 * while it moves; doubling from
 * `min` up to `max` for each poll in a row that saw nothing move.
 */
export const pollDelay = (
  progress: JobProgress,
  unchanged: number,
  bounds: Bounds,
): number => {
  const clamp = (millis: number) => Math.min(bounds.max, Math.max(bounds.min, millis))
  if (unchanged > 0) return clamp(bounds.min * 2 ** Math.min(unchanged, 30))
  if (progress.rate !== null && progress.rate > 0 && progress.remaining !== null) {
    const remaining = Duration.toMillis(progress.remaining)
    // Just past the estimated end: 5% later, so that a slightly slow job is already done.
    if (bounds.toEnd === true) return clamp(Math.ceil(remaining * 1.05) + 1)
    const step = (1000 * progress.total) / 20 / progress.rate
    return clamp(Math.min(step, remaining))
  }
  return bounds.min
}

/**
 * The default schedule: each delay from {@link pollDelay}, given the snapshot just taken and
 * how many polls in a row saw nothing change (read when the delay is decided).
 */
export const defaultCadence = (
  bounds: Bounds,
  unchanged: () => number,
): Schedule.Schedule<unknown, { readonly progress: JobProgress }> =>
  Schedule.forever.pipe(
    Schedule.modifyDelay(({ input }) =>
      Effect.succeed(Duration.millis(pollDelay(input.progress, unchanged(), bounds)))
    ),
  )

const DEFAULT_MIN = /* @__PURE__ */ Duration.seconds(1)
const DEFAULT_MAX = /* @__PURE__ */ Duration.seconds(30)

/** The default schedule's bounds, checked: positive, finite, `max` not below `min`. */
export const resolveBounds = (options: Timing): Bounds | InvalidRequest => {
  const read = (name: "min" | "max", input: Duration.Input | undefined, fallback: Duration.Duration) => {
    const value = input === undefined ? fallback : Option.getOrUndefined(Duration.fromInput(input))
    return value !== undefined && Duration.isFinite(value) && Duration.isGreaterThan(value, Duration.zero)
      ? Duration.toMillis(value)
      : new InvalidRequest({
        input: "interval",
        reason: `interval.${name} must be a positive, finite duration`,
      })
  }
  const min = read("min", options.interval?.min, DEFAULT_MIN)
  if (min instanceof InvalidRequest) return min
  const max = read(
    "max",
    options.interval?.max,
    options.interval?.min === undefined
      ? DEFAULT_MAX
      : Duration.millis(Math.max(min, Duration.toMillis(DEFAULT_MAX))),
  )
  if (max instanceof InvalidRequest) return max
  if (max < min) {
    return new InvalidRequest({
      input: "interval",
      reason: `interval.max (${max} ms) is shorter than interval.min (${min} ms)`,
    })
  }
  return { min, max }
}

/** The watch's deadline in milliseconds (`undefined`: none, or an infinite one), checked. */
export const resolveDeadline = (options: Timing): number | undefined | InvalidRequest => {
  if (options.deadline === undefined) return undefined
  const value = Option.getOrUndefined(Duration.fromInput(options.deadline))
  if (value === undefined || !Duration.isGreaterThan(value, Duration.zero)) {
    return new InvalidRequest({
      input: "deadline",
      reason: "the watch's deadline must be a positive duration",
    })
  }
  return Duration.isFinite(value) ? Duration.toMillis(value) : undefined
}
