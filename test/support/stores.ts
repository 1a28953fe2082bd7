/** Stores for the rate-limit budget's tests, and a count of what a window let through. */
import { Duration, Effect, Layer } from "effect"
import { RateLimiter } from "effect/persistence"

/** `inner`, each of its operations answering `delayMillis()` late (a remote store's round trip). */
export const withLatency = (
  inner: RateLimiter.RateLimiterStore["Service"],
  delayMillis: () => number,
): RateLimiter.RateLimiterStore["Service"] => {
  const slow = <A, E>(effect: Effect.Effect<A, E>) =>
    Effect.andThen(Effect.sleep(Duration.millis(delayMillis())), effect)
  return RateLimiter.RateLimiterStore.of({
    fixedWindow: (options) => slow(inner.fixedWindow(options)),
    tokenBucket: (options) => slow(inner.tokenBucket(options)),
    adaptiveConsume: (options) => slow(inner.adaptiveConsume(options)),
    adaptiveFeedback: (options) => slow(inner.adaptiveFeedback(options)),
  })
}

/** The in-memory store, each operation answering `millis` late. */
export const slowStore = (millis: number): Layer.Layer<RateLimiter.RateLimiterStore> =>
  Layer.effect(
    RateLimiter.RateLimiterStore,
    Effect.map(Effect.service(RateLimiter.RateLimiterStore), (inner) => withLatency(inner, () => millis)),
  ).pipe(Layer.provide(RateLimiter.layerStoreMemory))

/** The most instants of `times` (milliseconds) that any interval of `windowMillis` holds. */
export const mostInAnyWindow = (times: ReadonlyArray<number>, windowMillis: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[first]! <= sorted[last]! - windowMillis) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}
