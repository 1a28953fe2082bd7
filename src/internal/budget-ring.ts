/**
 * The rate-limit budget's ring of permits (see the module doc of `rate-limit.ts`): reserving,
 * looking, taking and holding permits, one acquisition at a time in a process.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as RateLimiter from "effect/persistence/RateLimiter"
import * as Semaphore from "effect/Semaphore"
import type { FixedWindowNow } from "./budget-memory.ts"
import type { BudgetPause } from "./budget-pause.ts"
import { type GuardedStore, makeLossWatch } from "./budget-store.ts"

/** One window of the budget, resolved. */
export interface RingWindow {
  readonly name: string
  readonly limit: number
  readonly window: Duration.Duration
  /** How long a permit is held from when it is taken: the window and the margin. */
  readonly hold: Duration.Duration
}

/** The ring of one budget. */
export interface Ring {
  /**
   * Takes a permit of every window (waiting for them, for a pause, or after a lost store);
   * `due`: when the retry of a 429 now attempted was due, if it is one.
   */
  readonly takeAll: (due: number | undefined) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /** How many permits of the window named `name` are held at least `millis` longer. */
  readonly heldAtLeast: (name: string, millis: number) => Effect.Effect<number, RateLimiter.RateLimiterError>
  /**
   * Over a store in memory: takes a permit of every window at `now` in plain code, when that is
   * what `takeAll` would do at once (no caller of this process is taking or waiting, the budget is
   * not paused or held back, and every permit is free); returns whether it did. Otherwise nothing
   * changes, and the caller goes through `takeAll`.
   */
  readonly takeNow: ((now: number) => boolean) | undefined
}

/** What lets a caller past a pause (see `awaitFree`). */
interface LetGo {
  readonly due: number | undefined
  readonly releasedAt: number | undefined
}

/**
 * What one attempt under the lock ended with: taken, a pause to wait out, a lost store (seen by
 * this attempt), or a loss seen by another caller since this one reserved (it starts again).
 */
type Outcome = "taken" | "lost" | "stale" | number

/** Permits looked at together, at most, when counting a window's held permits. */
const COUNT_CONCURRENCY = 100

/** Builds the ring over `store`, windows longest first. */
export const makeRing = (options: {
  readonly store: GuardedStore
  readonly key: string
  readonly windows: ReadonlyArray<RingWindow>
  readonly pause: BudgetPause
  /** The store's operation in plain code, when it has one (in memory). */
  readonly fixedWindowNow?: FixedWindowNow | undefined
}): Ring => {
  const { key, pause, store, windows } = options
  const { fixedWindow } = store
  const counterKey = `${key}:next`
  const watch = makeLossWatch()
  const lock = Semaphore.makeUnsafe(1)
  /**
   * When the callers of this process last stopped going straight through: one began to wait for
   * a permit, or the store was found lost.
   */
  let waveEnd = Number.NEGATIVE_INFINITY
  const endWave = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => (waveEnd = now)))
  const waitFor = (millis: number) => Effect.andThen(endWave, Effect.sleep(Duration.millis(millis)))
  /** Delays up to a quarter of the margin are left to it rather than paid for with store calls. */
  const quick = Math.max(
    0,
    ...windows.map((window) => Duration.toMillis(window.hold) - Duration.toMillis(window.window)),
  ) / 4
  /**
   * After a lost store, nothing is sent for the longest hold: its permits may all have been in
   * use. The hold-back is kept here at once (the callers of this process see it before the
   * store's pause is written) and written to the store for the other processes.
   */
  const holdMillis = Duration.toMillis(windows[0]!.hold)
  const holdBack = Effect.asVoid(pause.extend(holdMillis, true))
  /** Counts the losses this process has seen: a reservation made before the last one is stale. */
  let epoch = 0
  let heldBackUntil = Number.NEGATIVE_INFINITY
  const noteLoss = Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.sync(() => {
      epoch++
      heldBackUntil = Math.max(heldBackUntil, now + holdMillis)
      waveEnd = now
    }))

  const permitKey = (window: RingWindow, sequence: number) =>
    `${key}:${window.name}:${(Math.max(1, Math.round(sequence)) - 1) % window.limit}`

  /**
   * Reserves the next permit of every window: one sequence shared by the windows (each request
   * takes one permit of each), so one store operation gives every window's permit key.
   */
  const reserve = Effect.suspend(() => {
    const reservedIn = epoch
    return Effect.flatMap(
      watch.check(
        fixedWindow({ key: counterKey, tokens: 1, refillRate: windows[0]!.hold, limit: undefined }),
        true,
      ),
      ({ count, lost }) =>
        Effect.as(lost ? noteLoss : Effect.void, {
          lost,
          // A loss seen meanwhile by another caller: this answer may come from the emptied store.
          stale: !lost && reservedIn !== epoch,
          epoch: reservedIn,
          permits: windows.map((window) => permitKey(window, count)),
        }),
    )
  })

  /** A read of the counter: the caller's own store operation while it waits for the lock. */
  const probe = fixedWindow({ key: counterKey, tokens: 0, refillRate: Duration.millis(1), limit: undefined })

  /** How long a permit is still held, in milliseconds (0 when it is free), without taking it. */
  const heldFor = (permit: string): Effect.Effect<number, RateLimiter.RateLimiterError> =>
    Effect.map(
      fixedWindow({ key: permit, tokens: 0, refillRate: Duration.millis(1), limit: undefined }),
      ([count, ttl]) => count >= 1 && ttl > 0 ? ttl : 0,
    )

  /** Takes a permit, waiting while it is held; returns when it was taken. */
  const take = (permit: string, window: RingWindow): Effect.Effect<number, RateLimiter.RateLimiterError> =>
    Effect.gen(function* () {
      while (true) {
        const [count, ttl] = yield* fixedWindow({ key: permit, tokens: 1, refillRate: window.hold, limit: 1 })
        if (count <= 1) return yield* Clock.currentTimeMillis
        yield* waitFor(Math.max(1, ttl))
      }
    })

  /**
   * Holds a taken permit `millis` longer, so that it covers a send that comes that much later
   * than it was taken (one atomic store operation: the count grows, which changes nothing for
   * a held permit, and the expiry moves by `millis`).
   */
  const extend = (permit: string, millis: number): Effect.Effect<void, RateLimiter.RateLimiterError> =>
    millis <= 0 ? Effect.void : Effect.asVoid(
      fixedWindow({ key: permit, tokens: 1, refillRate: Duration.millis(millis), limit: undefined }),
    )

  /**
   * Waits (under the lock) until every permit is free, without taking any, so that none is held
   * while waiting for another: the permits, the pause and the counter are looked at together.
   * Returns the pause to wait out (outside the lock), or whether the store lost its contents.
   * Who a pause holds back (a hold-back after a lost store holds back everyone):
   * - the retry of a 429 (`due`: when its `Retry-After` was over) follows its own `Retry-After`,
   *   not the pause that other 429s extended: each call then ends within its own retry policy;
   * - a caller let go by the end of a pause (`releasedAt`: when the gate saw it over) is not held
   *   back by a pause begun since, started by the answer of another caller let go with it: it
   *   holds back the callers that come after them, not these, as long as the callers go straight
   *   through, one after the other. Once a caller of this process has had to wait for a permit
   *   since, they are callers like any other.
   */
  const awaitFree = (permits: ReadonlyArray<string>, reservedIn: number, letGo: LetGo) =>
    Effect.gen(function* () {
      while (true) {
        const skipPause = letGo.due !== undefined ||
          (letGo.releasedAt !== undefined && waveEnd < letGo.releasedAt)
        const [left, counter, held] = yield* Effect.all([
          pause.left,
          watch.check(
            fixedWindow({ key: counterKey, tokens: 0, refillRate: Duration.millis(1), limit: undefined }),
            false,
          ),
          Effect.all(permits.map(heldFor), { concurrency: "unbounded" }),
        ], { concurrency: "unbounded" })
        if (counter.lost) {
          yield* noteLoss
          return "lost" as const
        }
        if (reservedIn !== epoch) return "stale" as const
        const heldBack = heldBackUntil - (yield* Clock.currentTimeMillis)
        if (heldBack > 0) return Math.max(heldBack, left.millis)
        if (left.millis > 0 && (left.holdBack || !skipPause)) return left.millis
        if (left.millis === 0) yield* pause.over
        const longest = Math.max(0, ...held)
        if (longest <= 0) return "free" as const
        yield* waitFor(longest)
      }
    })

  /**
   * One attempt under the lock. The permits are first waited for together, then taken from the
   * longest window in, one after the other. Taking them at once would save a round trip but
   * could hold a short window's permit while waiting for a long one that another caller took
   * meanwhile: the short permit would run out, be taken by someone else, and this caller would
   * send on it too. When a pause began while they were taken (slowly), the permits are let go
   * (they run out by themselves; held through the pause, others would take them too and all
   * would send when it ends); otherwise every permit is held longer by the time since it was
   * taken, so that each covers the send.
   */
  const attempt = (permits: ReadonlyArray<string>, reservedIn: number, letGo: LetGo): Effect.Effect<
    Outcome,
    RateLimiter.RateLimiterError
  > =>
    Effect.gen(function* () {
      const free = yield* awaitFree(permits, reservedIn, letGo)
      if (free !== "free") return free
      const looked = yield* Clock.currentTimeMillis
      const takenAt: Array<number> = []
      for (let i = 0; i < windows.length; i++) takenAt.push(yield* take(permits[i]!, windows[i]!))
      let now = yield* Clock.currentTimeMillis
      if (now - looked > quick) {
        const left = yield* pause.left
        if (left.millis > 0) return left.millis
        now = yield* Clock.currentTimeMillis
      }
      for (let i = 0; i < windows.length; i++) {
        if (now - takenAt[i]! > quick) yield* extend(permits[i]!, now - takenAt[i]!)
      }
      return "taken"
    })

  /**
   * While a caller waits for the lock, its probe (a read of the counter) is its own store
   * operation, so a store that is gone fails it within `storeTimeout` of asking, however many
   * callers are ahead of it (see `underLock`).
   */
  const takeAll = (due: number | undefined): Effect.Effect<void, RateLimiter.RateLimiterError> =>
    Effect.acquireUseRelease(
      Effect.sync(() => taking++),
      () => takeInTurn(due),
      () => Effect.sync(() => taking--),
    )

  /** Callers of this process in `takeAll`: while there are some, `takeNow` leaves it to them. */
  let taking = 0
  const takeInTurn = (due: number | undefined): Effect.Effect<void, RateLimiter.RateLimiterError> =>
    Effect.gen(function* () {
      let letGo: LetGo = { due, releasedAt: undefined }
      while (true) {
        const outcome: Outcome = yield* store.underLock(
          lock,
          Effect.flatMap(
            reserve,
            (reservation) =>
              reservation.lost
                ? Effect.succeed("lost" as const)
                : reservation.stale
                ? Effect.succeed("stale" as const)
                : attempt(reservation.permits, reservation.epoch, letGo),
          ),
          probe,
        )
        if (outcome === "taken") return
        letGo = { due: undefined, releasedAt: undefined }
        if (outcome === "lost") yield* holdBack
        if (outcome === "lost" || outcome === "stale") continue
        letGo = { due: undefined, releasedAt: yield* pause.waitOut(outcome) }
      }
    })

  const heldAtLeast = (name: string, millis: number) => {
    const window = windows.find((candidate) => candidate.name === name)
    if (window === undefined) return Effect.succeed(0)
    return Effect.map(
      Effect.forEach(
        Array.from({ length: window.limit }, (_, i) => `${key}:${name}:${i}`),
        heldFor,
        { concurrency: COUNT_CONCURRENCY },
      ),
      (held) => held.filter((ttl) => ttl > 0 && ttl >= millis).length,
    )
  }

  /**
   * `takeAll` done at once in plain code (see `Ring.takeNow`): the same operations on the store
   * as the lock's holder makes when nothing waits (the reservation, the look at the counter, the
   * pause and the permits, then the permits taken), the permits looked at before anything changes.
   */
  const takeNow = ((): ((now: number) => boolean) | undefined => {
    const sync = options.fixedWindowNow
    const leftNow = pause.leftNow
    if (sync === undefined || leftNow === undefined) return undefined
    const holds = windows.map((window) => Duration.toMillis(window.hold))
    return (now) => {
      if (taking > 0 || heldBackUntil > now || leftNow(now).millis > 0) return false
      const next = sync(counterKey, 0, 1, undefined, now)[0] + 1
      if (watch.wouldLose(now, next, true)) return false
      for (const window of windows) {
        const [count, ttl] = sync(permitKey(window, next), 0, 1, undefined, now)
        if (count >= 1 && ttl > 0) return false
      }
      const [reserved, ttl] = sync(counterKey, 1, holds[0]!, undefined, now)
      watch.note(now, reserved, ttl, true)
      watch.note(now, reserved, ttl, false)
      pause.overNow(now)
      for (let i = 0; i < windows.length; i++) sync(permitKey(windows[i]!, reserved), 1, holds[i]!, 1, now)
      return true
    }
  })()

  return { takeAll, heldAtLeast, takeNow }
}
