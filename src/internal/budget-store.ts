/**
 * The rate-limit budget's view of its store: every operation bounded by `storeTimeout`, every
 * failure told at once to the callers waiting for the per-process lock, and a watch on the
 * reservation counter that tells when the store has lost what it held (a restart, a failover,
 * a flush).
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as RateLimiter from "effect/persistence/RateLimiter"
import type * as Semaphore from "effect/Semaphore"

/** The one store operation the budget uses. */
export type FixedWindow = RateLimiter.RateLimiterStore["Service"]["fixedWindow"]

/** What the budget's parts share about the store. */
export interface GuardedStore {
  /** The store's `fixedWindow`, bounded by `storeTimeout`; a failure is told to the lock's waiters. */
  readonly fixedWindow: FixedWindow
  /**
   * Runs `body` under the per-process lock. While the caller waits for the lock, a failure of any
   * store operation (the store is gone) fails it at once with that failure, instead of letting it
   * reach the lock and try the store one `storeTimeout` after the callers ahead of it; the caller
   * that holds the lock learns from its own operations. `probe`, a read of the store sent when
   * the caller asks, alongside the wait for the lock, is the caller's own operation: a store that
   * is gone when it asks fails it within `storeTimeout`, whatever the callers ahead of it do.
   * (The reservation itself stays under the lock: made before the lock, the reservations of a
   * process run ahead of its sends, and a fleet's ring spreads its sends worse.)
   */
  readonly underLock: <A>(
    lock: Semaphore.Semaphore,
    body: Effect.Effect<A, RateLimiter.RateLimiterError>,
    probe: Effect.Effect<unknown, RateLimiter.RateLimiterError>,
  ) => Effect.Effect<A, RateLimiter.RateLimiterError>
}

const noAnswer = (timeout: Duration.Duration) =>
  new RateLimiter.RateLimiterError({
    reason: new RateLimiter.RateLimitStoreError({ message: `no answer within ${Duration.format(timeout)}` }),
  })

/** Wraps the store: `storeTimeout` on every operation, and failures told to the lock's waiters. */
export const guardStore = (
  raw: { readonly fixedWindow: FixedWindow },
  storeTimeout: Duration.Duration | undefined,
): GuardedStore => {
  if (storeTimeout === undefined) {
    // A store without a timeout is the in-memory one, which always answers: nothing to tell.
    return { fixedWindow: raw.fixedWindow, underLock: (lock, body) => lock.withPermits(1)(body) }
  }
  /** Failed (and replaced) when a store operation fails: what the lock's waiters listen to. */
  let outage = Deferred.makeUnsafe<never, RateLimiter.RateLimiterError>()
  const tell = (error: RateLimiter.RateLimiterError) =>
    Effect.sync(() => {
      const told = outage
      outage = Deferred.makeUnsafe()
      Deferred.doneUnsafe(told, Effect.fail(error))
    })
  return {
    fixedWindow: (operation) =>
      raw.fixedWindow(operation).pipe(
        Effect.timeoutOrElse({ duration: storeTimeout, orElse: () => Effect.fail(noAnswer(storeTimeout)) }),
        Effect.tapError(tell),
      ),
    underLock: (lock, body, probe) =>
      Effect.suspend(() => {
        const signal = outage
        let holding = false
        // Once the lock is held, a failure is the holder's own operations' to find.
        const unlessHolding = (error: RateLimiter.RateLimiterError) =>
          holding ? Effect.never : Effect.fail(error)
        return Effect.raceFirst(
          lock.withPermits(1)(Effect.suspend(() => {
            holding = true
            return body
          })),
          Effect.raceFirst(
            Effect.catch(Deferred.await(signal), unlessHolding),
            Effect.matchEffect(probe, { onFailure: unlessHolding, onSuccess: () => Effect.never }),
          ),
        )
      }),
  }
}

/**
 * Watches the reservation counter for a loss of the store's contents. The counter only grows,
 * and each reservation adds a hold to its expiry, so while it is in use it outlives every permit;
 * the budget knows, from its own operations, the highest value it saw and a time before which the
 * key cannot have expired by itself. An operation sent after that value was seen, and before that
 * time, that finds the counter lower (or gone) means the store lost it: restarted without
 * persistence, failed over to a replica that had not caught up, or flushed. An operation sent
 * earlier cannot be compared (its answer may simply be older), nor one sent after the key could
 * have expired on its own (a budget used less than once a window).
 */
export interface LossWatch {
  /**
   * Runs `operation` (on the counter: `tokens` 1 reserves, 0 reads) and reports whether its
   * answer shows that the store lost its contents.
   */
  readonly check: (
    operation: Effect.Effect<readonly [count: number, ttl: number], RateLimiter.RateLimiterError>,
    reserves: boolean,
  ) => Effect.Effect<{ readonly count: number; readonly lost: boolean }, RateLimiter.RateLimiterError>
  /** Whether an operation sent at `sentAt` that answers `count` would show a loss (nothing noted). */
  readonly wouldLose: (sentAt: number, count: number, reserves: boolean) => boolean
  /** Notes the answer of an operation sent at `sentAt` (as `check` does); returns whether it shows a loss. */
  readonly note: (sentAt: number, count: number, ttl: number, reserves: boolean) => boolean
}

/** Makes the watch of one budget (per process: it only knows its own operations). */
export const makeLossWatch = (): LossWatch => {
  let seen = 0
  let aliveUntil = Number.NEGATIVE_INFINITY
  // A reservation answers more than any value seen before it was sent; a read, at least as much.
  const lostAgainst = (floor: number, until: number, sentAt: number, count: number, reserves: boolean) =>
    floor > 0 && sentAt < until && (reserves ? count <= floor : count < floor)
  const record = (sentAt: number, count: number, ttl: number, lost: boolean): void => {
    // The store applied the operation after it was sent: the key lives at least until then + ttl
    // (and its expiry only moves later while nothing is lost).
    const bound = count > 0 && ttl > 0 ? sentAt + ttl : Number.NEGATIVE_INFINITY
    if (lost || sentAt >= aliveUntil) {
      seen = count
      aliveUntil = bound
    } else if (count >= seen) {
      seen = count
      aliveUntil = Math.max(aliveUntil, bound)
    }
  }
  const wouldLose = (sentAt: number, count: number, reserves: boolean): boolean =>
    lostAgainst(seen, aliveUntil, sentAt, count, reserves)
  return {
    check: (operation, reserves) =>
      Effect.gen(function* () {
        const sentAt = yield* Clock.currentTimeMillis
        const floor = seen
        const until = aliveUntil
        const [count, ttl] = yield* operation
        const lost = lostAgainst(floor, until, sentAt, count, reserves)
        record(sentAt, count, ttl, lost)
        return { count, lost }
      }),
    wouldLose,
    note: (sentAt, count, ttl, reserves) => {
      const lost = wouldLose(sentAt, count, reserves)
      record(sentAt, count, ttl, lost)
      return lost
    },
  }
}
