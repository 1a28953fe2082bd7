/**
 * The yardstick of `bench:write`: the shortest time in which any client could have every job of
 * a bulk write ended, under the POST class's fixed windows, a cap on jobs in progress and a fixed
 * processing rate (see bench/write.ts for the derivation).
 */
import type { FixedWindow } from "../../test/support/fixed-windows.ts"

/** What bounds a bulk write from below. */
export interface WriteLimits {
  /** The sizes of the jobs, in the order they are posted. */
  readonly jobs: ReadonlyArray<number>
  /** The POST class's windows (burst, steady) and their phase (epoch ms). */
  readonly windows: ReadonlyArray<FixedWindow>
  readonly phaseMillis: number
  /** The most jobs in progress at once (the client's `maxInFlight`, or the server's limit if lower). */
  readonly inFlight: number
  /** How long a job stays queued, and the records a job processes per second. */
  readonly queuedMillis: number
  readonly perSecond: number
}

/** How long a job of `size` records runs after its POST, as the simulator moves it. */
export const jobMillis = (size: number, limits: Pick<WriteLimits, "queuedMillis" | "perSecond">): number =>
  limits.queuedMillis + Math.ceil((size * 1000) / limits.perSecond)

/**
 * Milliseconds from `start` until the last job has ended, for a client that posts each job as
 * soon as the windows have room and fewer than `inFlight` jobs are in progress (and learns of
 * each end at once): p_j = max(w_j, e_{j-inFlight}), e_j = p_j + jobMillis(size_j), answer
 * max e_j - start, where w_j is the earliest time at or after p_{j-1} at which every window
 * has room.
 */
export const minimumWriteTime = (limits: WriteLimits, start: number): number => {
  const counters = limits.windows.map(() => ({ index: Number.NaN, used: 0 }))
  const ends: Array<number> = []
  let now = start
  let last = start
  for (let j = 0; j < limits.jobs.length; j++) {
    // The in-flight cap: the job j - inFlight must have ended (ends are kept sorted).
    if (j >= limits.inFlight) {
      const sorted = [...ends].sort((a, b) => a - b)
      now = Math.max(now, sorted[j - limits.inFlight]!)
    }
    // The windows: the first moment at or after `now` where each has room.
    for (;;) {
      let blockedUntil = now
      limits.windows.forEach((window, i) => {
        const index = Math.floor((now - limits.phaseMillis) / window.windowMillis)
        if (index !== counters[i]!.index) counters[i] = { index, used: 0 }
        if (counters[i]!.used >= window.limit) {
          blockedUntil = Math.max(blockedUntil, limits.phaseMillis + (index + 1) * window.windowMillis)
        }
      })
      if (blockedUntil === now) break
      now = blockedUntil
    }
    for (const counter of counters) counter.used++
    const end = now + jobMillis(limits.jobs[j]!, limits)
    ends.push(end)
    last = Math.max(last, end)
  }
  return last - start
}
