/**
 * The yardstick for rate-limit tests and benchmarks: the shortest time in which a client that
 * knew the server's window phase could send `count` requests without a 429 (it sends greedily
 * whenever every window has room, which is optimal for fixed windows).
 */
export interface FixedWindow {
  readonly limit: number
  readonly windowMillis: number
}

/** Milliseconds from `start` until the last of `count` requests can be sent. */
export const minimumTime = (
  count: number,
  windows: ReadonlyArray<FixedWindow>,
  phaseMillis: number,
  start: number,
): number => {
  const state = windows.map(() => ({ index: Number.NaN, used: 0 }))
  let sent = 0
  let now = start
  while (true) {
    windows.forEach((window, i) => {
      const index = Math.floor((now - phaseMillis) / window.windowMillis)
      if (index !== state[i]!.index) state[i] = { index, used: 0 }
    })
    const room = Math.min(...windows.map((window, i) => window.limit - state[i]!.used))
    const batch = Math.min(room, count - sent)
    sent += batch
    state.forEach((s) => (s.used += batch))
    if (sent >= count) return now - start
    // Jump to the next boundary of a full window.
    now = Math.min(
      ...windows
        .filter((window, i) => state[i]!.used >= window.limit)
        .map((window, i) =>
          phaseMillis + (Math.floor((now - phaseMillis) / window.windowMillis) + 1) * window.windowMillis +
          i * 0
        ),
    )
  }
}
