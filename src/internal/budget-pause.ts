/**
 * The rate-limit budget's pause: one store key whose expiry is when the pause ends, extended
 * (never added up) to the latest end asked for, and waited out in each process behind one gate,
 * so that the callers a pause held go together when it ends.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as RateLimiter from "effect/persistence/RateLimiter"
import * as Semaphore from "effect/Semaphore"
import type { FixedWindowNow } from "./budget-memory.ts"
import type { FixedWindow } from "./budget-store.ts"

/** The pause of one budget. */
export interface BudgetPause {
  /**
   * How long the budget is still paused for, in milliseconds (0 when it is not), and whether the
   * pause holds back every caller (after a lost store) rather than only those a 429 concerns.
   */
  readonly left: Effect.Effect<PauseLeft, RateLimiter.RateLimiterError>
  /**
   * Makes the pause last at least `millis` from now: its end becomes the later of its current end
   * and now + `millis`; `holdBack` marks it as one that holds back every caller until it ends.
   * Returns whether a pause began (there was none).
   */
  readonly extend: (
    millis: number,
    holdBack?: boolean,
  ) => Effect.Effect<boolean, RateLimiter.RateLimiterError>
  /**
   * Waits until the pause is over (it was found `millis` long). Every caller of this process that
   * waits for a pause waits behind one gate, and one of them looks at the store when the pause
   * should end: all are let go at once when it has, so that a pause that one of them starts
   * right after (a 429 to its request) does not hold back the others one after another.
   * Returns when they were let go.
   */
  readonly waitOut: (millis: number) => Effect.Effect<number, RateLimiter.RateLimiterError>
  /**
   * Tells the gate that a caller found the pause over (it then sends): the callers waiting for
   * the pause go now too, with it, rather than behind a pause its answer may start.
   */
  readonly over: Effect.Effect<void>
  /** `over` at `now`, in plain code. */
  readonly overNow: (now: number) => void
  /** `left` at `now`, in plain code: only over a store that can answer so (in memory). */
  readonly leftNow: ((now: number) => PauseLeft) | undefined
}

/**
 * When the retry of a 429 that is now attempted was due (its `Retry-After` over), set by the send
 * stage: it follows its own `Retry-After`, so a pause from other 429s does not hold it back (a
 * hold-back after a lost store does; see the ring's `awaitFree`).
 */
export const RetryDue: Context.Reference<number | undefined> = /* @__PURE__ */ Context.Reference<
  number | undefined
>(
  "@effect-klaviyo/catalog-jobs/RetryDue",
  { defaultValue: () => undefined },
)

/** What is left of a pause. */
export interface PauseLeft {
  readonly millis: number
  readonly holdBack: boolean
}

/** A hold-back adds this much to the key's count at once: a count past it marks the pause as one. */
const HOLD_BACK = 1_000_000
/** An extension that would move the end by less than this is left out (the store's round trip). */
const SLACK_MILLIS = 20
/** Attempts at extending the pause against others extending it at the same moment. */
const MAX_TRIES = 6

interface Gate {
  /** Done, with the time, when the pause is over. */
  readonly released: Deferred.Deferred<number, RateLimiter.RateLimiterError>
  /** When the pause is expected to end, by this process's clock. */
  until: number
  /** Held by the waiter that drives the gate. */
  readonly driver: Semaphore.Semaphore
}

/** The pause kept at `key`. */
export const makePause = (
  fixedWindow: FixedWindow,
  key: string,
  fixedWindowNow?: FixedWindowNow,
): BudgetPause => {
  const leftOf = ([count, ttl]: readonly [number, number]): PauseLeft => ({
    millis: count > 0 ? Math.max(0, ttl) : 0,
    holdBack: count >= HOLD_BACK,
  })
  const left = Effect.map(
    fixedWindow({ key, tokens: 0, refillRate: Duration.millis(1), limit: undefined }),
    leftOf,
  )
  const leftNow = fixedWindowNow === undefined
    ? undefined
    : (now: number): PauseLeft => leftOf(fixedWindowNow(key, 0, 1, undefined, now))

  // The key's count only counts changes; its expiry is the end. Each change adds (wanted - ttl)
  // to the expiry, and only if the count is still the one seen (`limit` = count + 1): a change
  // made meanwhile by another caller is seen, and the end is compared again, so that concurrent
  // extensions never add up. A hold-back adds HOLD_BACK to the count (the expiry still moves by
  // wanted - ttl in all), which marks the pause for the rest of its life.
  const extend = (millis: number, holdBack = false): Effect.Effect<boolean, RateLimiter.RateLimiterError> =>
    Effect.gen(function* () {
      const tokens = holdBack ? HOLD_BACK : 1
      let count = 0
      let ttl = 0
      for (
        let i = 0;
        i < MAX_TRIES && (ttl < millis - SLACK_MILLIS || (holdBack && count < HOLD_BACK));
        i++
      ) {
        const [next, nextTtl] = yield* fixedWindow({
          key,
          tokens,
          refillRate: Duration.millis(Math.max(0, millis - ttl) / tokens),
          limit: count + tokens,
        })
        const applied = next <= count + tokens
        if (applied && count === 0 && next === tokens && nextTtl >= millis - SLACK_MILLIS) return true
        // Applied (the count was still `count`), or refused: either way the key now holds these.
        count = applied ? next : next - tokens
        ttl = nextTtl
      }
      return false
    })

  let gate: Gate | undefined
  /** Run by one waiter at a time: sleeps until the expected end, then looks, until the pause is over. */
  const drive = (current: Gate): Effect.Effect<void> =>
    Effect.gen(function* () {
      while (!Deferred.isDoneUnsafe(current.released)) {
        const wait = current.until - (yield* Clock.currentTimeMillis)
        if (wait > 0) {
          yield* Effect.sleep(Duration.millis(wait))
          continue
        }
        const looked = yield* Effect.exit(left)
        if (looked._tag === "Success" && looked.value.millis > 0) {
          current.until = (yield* Clock.currentTimeMillis) + looked.value.millis
          continue
        }
        if (gate === current) gate = undefined
        const now = yield* Clock.currentTimeMillis
        Deferred.doneUnsafe(
          current.released,
          looked._tag === "Success" ? Effect.succeed(now) : Effect.failCause(looked.cause),
        )
      }
    })
  const waitOut = (millis: number): Effect.Effect<number, RateLimiter.RateLimiterError> =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      let current = gate
      if (current === undefined) {
        current = { released: Deferred.makeUnsafe(), until: now + millis, driver: Semaphore.makeUnsafe(1) }
        gate = current
      } else {
        current.until = Math.max(current.until, now + millis)
      }
      const mine = current
      // One waiter drives the gate; should it be interrupted, the next one takes over.
      yield* mine.driver.withPermits(1)(drive(mine))
      return yield* Deferred.await(mine.released)
    })

  const overNow = (now: number): void => {
    const current = gate
    if (current === undefined) return
    gate = undefined
    Deferred.doneUnsafe(current.released, Effect.succeed(now))
  }
  const over = Effect.map(Clock.currentTimeMillis, overNow)

  return { left, extend, waitOut, over, overNow, leftNow }
}
