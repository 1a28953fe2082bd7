/**
 * A rate-limit budget that several Promise clients share: what `rateLimit: "shared"` and a
 * `RateLimitBudget` layer do for Effect clients, as a value to pass to `makeKlaviyoClient`.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Secret } from "./client.ts"
import { InvalidRequest } from "./errors.ts"
import { makeMemoryStore } from "./internal/budget-memory.ts"
import { readRateLimitOptions } from "./internal/options.ts"
import { budgetStates } from "./internal/promise-budget.ts"
import type { RateLimitBudgetOptions } from "./rate-limit/options.ts"
import { makeRateLimitBudgetOver, RateLimitBudget } from "./rate-limit/service.ts"

/**
 * A rate-limit budget in this process's memory, for Promise clients: give the same one as
 * `rateLimit` to several {@link makeKlaviyoClient} calls, and the clients of one account draw
 * from one budget, class by class (a 429 seen by one pauses that class for all of them).
 *
 * Klaviyo counts per account. Clients with the same API key (or access token) share the budget;
 * clients with different keys count apart, as different accounts, unless the budget names its
 * `account` (then every client given it shares it, whatever its key).
 *
 * @example
 * ```ts
 * import { type KlaviyoBudget, makeKlaviyoBudget, makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const budget: KlaviyoBudget = makeKlaviyoBudget()
 * const reports = makeKlaviyoClient({ apiKey: "pk_example", rateLimit: budget })
 * const sync = makeKlaviyoClient({ apiKey: "pk_example", rateLimit: budget })
 * ```
 *
 * @since 0.2.0
 * @category promise
 */
export interface KlaviyoBudget {
  /** Tells a budget apart from rate-limit options when given as `rateLimit`. */
  readonly _tag: "KlaviyoBudget"
}

/**
 * Makes a {@link KlaviyoBudget}: its options are those of a `RateLimitBudget` (each class's
 * limits, by default those of its `revision`, 2026-07-15; a client of an older revision whose
 * spec allows less refuses it). Options are checked on a client's first call: a bad option
 * rejects every call of every client given the budget with an `InvalidRequest`.
 *
 * @example
 * ```ts
 * import { makeKlaviyoBudget, makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * // Two programs of one account, in one process: together at most 600 job POSTs a minute.
 * const budget = makeKlaviyoBudget({ classes: { "jobs-write": { steady: { limit: 600, window: "1 minute" } } } })
 * const first = makeKlaviyoClient({ apiKey: "pk_example", rateLimit: budget })
 * const second = makeKlaviyoClient({ apiKey: "pk_example", rateLimit: budget })
 * await Promise.all([first.close(), second.close()])
 * ```
 *
 * @since 0.2.0
 * @category promise
 */
export const makeKlaviyoBudget = (options: RateLimitBudgetOptions = {}): KlaviyoBudget => {
  const budget: KlaviyoBudget = Object.freeze({ _tag: "KlaviyoBudget" as const })
  budgetStates.set(budget, { options: readRateLimitOptions(options), store: makeMemoryStore() })
  return budget
}

/**
 * The `RateLimitBudget` a client with `credential` draws from: the budget's store, its keys
 * scoped by the budget's `account` (or `credential`) when it has one, else by the client's own
 * credential's hash.
 */
export const budgetLayerFor = (
  budget: KlaviyoBudget,
  credential: Secret | undefined,
): Layer.Layer<RateLimitBudget, InvalidRequest> => {
  const state = budgetStates.get(budget)
  if (state === undefined) {
    return Layer.effect(
      RateLimitBudget,
      Effect.fail(new InvalidRequest({ input: "rateLimit", reason: "rateLimit is not a KlaviyoBudget" })),
    )
  }
  const { options, store } = state
  if (options instanceof InvalidRequest) return Layer.effect(RateLimitBudget, Effect.fail(options))
  const scoped = options.account !== undefined || options.credential !== undefined || credential === undefined
    ? options
    : { ...options, credential }
  return Layer.effect(RateLimitBudget, makeRateLimitBudgetOver(scoped, store))
}
