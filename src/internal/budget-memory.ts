/**
 * The rate-limit budget's store in this process's memory: the `fixedWindow` of a
 * `RateLimiterStore` (what `RateLimiter.layerStoreMemory` does for it), and the same operation as
 * a plain function of the time, which lets the budget take a permit without an effect of its own
 * when nothing waits (see the ring's `takeNow`).
 *
 * Like `RateLimiter.layerStoreMemory`, the store is a layer: the budgets built where layers are
 * shared (one runtime's memo map) share one store, as they did over Effect's.
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { FixedWindow } from "./budget-store.ts"

/**
 * One `fixedWindow` operation at `now`: the key's count after adding `tokens` (unless that passes
 * `limit`: then the count it would have, and the key is left as it was), and how long the key
 * still lives, in milliseconds.
 */
export type FixedWindowNow = (
  key: string,
  tokens: number,
  refillMillis: number,
  limit: number | undefined,
  now: number,
) => readonly [count: number, ttl: number]

/** A store the budget can also use synchronously. */
export interface MemoryStore {
  readonly fixedWindow: FixedWindow
  readonly fixedWindowNow: FixedWindowNow
}

interface Counter {
  count: number
  expiresAt: number
}

/** A store of its own, in memory: every key a count and an expiry. */
export const makeMemoryStore = (): MemoryStore => {
  const counters = new Map<string, Counter>()
  const fixedWindowNow: FixedWindowNow = (key, tokens, refillMillis, limit, now) => {
    let counter = counters.get(key)
    if (counter === undefined || counter.expiresAt <= now) {
      counter = { count: 0, expiresAt: now }
      counters.set(key, counter)
    }
    if (limit !== undefined && limit > 0 && counter.count + tokens > limit) {
      return [counter.count + tokens, counter.expiresAt - now]
    }
    counter.count += tokens
    counter.expiresAt += refillMillis * tokens
    return [counter.count, counter.expiresAt - now]
  }
  const fixedWindow: FixedWindow = (options) =>
    Effect.clockWith((clock) =>
      Effect.sync(() =>
        fixedWindowNow(
          options.key,
          options.tokens,
          Duration.toMillis(options.refillRate),
          options.limit,
          clock.currentTimeMillisUnsafe(),
        )
      )
    )
  return { fixedWindow, fixedWindowNow }
}

/** The store in memory, as a service. */
export const MemoryBudgetStore: Context.Service<MemoryStore, MemoryStore> = /* @__PURE__ */ Context.Service<
  MemoryStore
>(
  "@effect-klaviyo/catalog-jobs/MemoryBudgetStore",
)

/** The store in memory, made once where the layer is shared. */
export const layerMemoryStore: Layer.Layer<MemoryStore> = /* @__PURE__ */ Layer.sync(
  MemoryBudgetStore,
  makeMemoryStore,
)
