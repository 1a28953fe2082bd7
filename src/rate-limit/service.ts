/**
 * The `RateLimitBudget` service: a budget built from options over the `RateLimiterStore` in
 * context, and the check a client makes of a shared one against its revision.
 *
 * @module
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as RateLimiter from "effect/persistence/RateLimiter"
import { InvalidRequest } from "../errors.ts"
import { layerMemoryStore, MemoryBudgetStore, type MemoryStore } from "../internal/budget-memory.ts"
import { readRateLimitOptions } from "../internal/options.ts"
import { DEFAULT_REVISION, parseRevision, type Revision } from "../revision.ts"
import { budgetScope, makeClassBudgets, type RateLimitBudgetShape } from "./budget.ts"
import { classLimitsOf, LIMIT_CLASSES } from "./classes.ts"
import { type RateLimitBudgetOptions, resolveRateLimit } from "./options.ts"

/**
 * Builds a budget over the `RateLimiterStore` in context. Each class's default limits come from
 * `revision` (a client's own budget: the client's) or else from `options.revision`.
 */
export const makeRateLimitBudget = (
  options: RateLimitBudgetOptions = {},
  revision?: Revision,
): Effect.Effect<RateLimitBudgetShape, InvalidRequest, RateLimiter.RateLimiterStore> =>
  Effect.flatMap(
    Effect.service(RateLimiter.RateLimiterStore),
    (store) => budgetOver(options, revision, store),
  )

/**
 * {@link makeRateLimitBudget} over a store of its own in this process's memory, which also lets
 * it take a permit in plain code when nothing waits.
 */
export const makeMemoryRateLimitBudget = (
  options: RateLimitBudgetOptions = {},
  revision?: Revision,
): Effect.Effect<RateLimitBudgetShape, InvalidRequest> =>
  Effect.provide(overMemory(options, revision), layerMemoryStore)

/**
 * A budget over a store in memory that the caller holds (a Promise `KlaviyoBudget`'s): budgets
 * built over one such store, with the same options and scope, share their permits and pauses.
 */
export const makeRateLimitBudgetOver = (
  options: RateLimitBudgetOptions,
  store: MemoryStore,
): Effect.Effect<RateLimitBudgetShape, InvalidRequest> => budgetOver(options, undefined, store)

const overMemory = (
  options: RateLimitBudgetOptions,
  revision: Revision | undefined,
): Effect.Effect<RateLimitBudgetShape, InvalidRequest, MemoryStore> =>
  Effect.flatMap(Effect.service(MemoryBudgetStore), (store) => budgetOver(options, revision, store))

const budgetOver = (
  options: RateLimitBudgetOptions,
  revision: Revision | undefined,
  store: Parameters<typeof makeClassBudgets>[2],
): Effect.Effect<RateLimitBudgetShape, InvalidRequest> =>
  Effect.gen(function* () {
    // Read once into a snapshot, types checked; nothing reads the caller's object again.
    const read = readRateLimitOptions(options)
    if (read instanceof InvalidRequest) return yield* read
    let forRevision = revision
    if (forRevision === undefined) {
      const parsed = parseRevision(read.revision ?? DEFAULT_REVISION)
      if (parsed instanceof InvalidRequest) {
        return yield* new InvalidRequest({
          input: "rateLimit",
          reason: `rateLimit.revision: ${parsed.reason}`,
        })
      }
      forRevision = parsed
    }
    const resolved = resolveRateLimit(read, forRevision)
    if (resolved instanceof InvalidRequest) return yield* resolved
    const scope = yield* budgetScope(read)
    return makeClassBudgets(resolved, scope, store)
  })

/**
 * Checks a shared budget against a client's revision: a class whose limits the budget took from
 * a revision's spec must not allow more than the client's revision's spec does (a budget built
 * for 2026-07-15, 750 POSTs a minute, shared with a client of 2025-10-15, whose spec says 700).
 * A class the budget's options set is the application's to choose, and is not checked.
 */
export const checkSharedBudget = (
  budget: RateLimitBudgetShape,
  revision: Revision,
): InvalidRequest | undefined => {
  const own = classLimitsOf(revision)
  for (const limitClass of LIMIT_CLASSES) {
    const shared = budget.classes?.[limitClass]
    if (shared === undefined || shared.revision === undefined) continue
    const mine = own[limitClass]
    if (shared.burst.limit <= mine.burst.limit && shared.steady.limit <= mine.steady.limit) continue
    return new InvalidRequest({
      input: "rateLimit",
      reason:
        `the shared RateLimitBudget gives ${limitClass} ${shared.burst.limit} per second and ${shared.steady.limit} per minute (revision ${shared.revision}), more than this client's revision ${revision.value} allows (${mine.burst.limit} and ${mine.steady.limit}): build the budget with revision: "${revision.value}" (the oldest revision among its clients), or set its rateLimit.classes["${limitClass}"]`,
    })
  }
  return undefined
}

const RateLimitBudgetBase: Context.ServiceClass<
  RateLimitBudget,
  "@effect-klaviyo/catalog-jobs/RateLimitBudget",
  RateLimitBudgetShape
> = /* @__PURE__ */ Context.Service<RateLimitBudget, RateLimitBudgetShape>()(
  "@effect-klaviyo/catalog-jobs/RateLimitBudget",
)

/**
 * A rate-limit budget shared by every client that uses it: provide one to several
 * `KlaviyoClient.layer({ ..., rateLimit: "shared" })` clients of the same account, so that
 * together they stay inside the account's limits, class by class, and a 429 seen by one pauses
 * that class for all. Its classes' default limits are those of its `revision` (default
 * 2026-07-15); a client of an older revision whose spec allows less refuses it (build it with the
 * oldest revision among its clients).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { KlaviyoClient, RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
 *
 * const client = KlaviyoClient.layer({ apiKey: "pk_example", rateLimit: "shared" }).pipe(
 *   Layer.provide(RateLimitBudget.layerMemory()),
 *   Layer.provide(FetchHttpClient.layer),
 * )
 * ```
 *
 * @since 0.1.0
 * @category rate limit
 */
export class RateLimitBudget extends RateLimitBudgetBase {
  /**
   * A budget over the `RateLimiterStore` in context (in memory, or Redis for a fleet).
   *
   * @example
   * ```ts
   * import { Layer } from "effect"
   * import { RateLimiter } from "effect/persistence"
   * import { RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
   *
   * const budget = RateLimitBudget.layer({
   *   steady: { limit: 3500, window: "1 minute" },
   *   classes: { "jobs-write": { steady: { limit: 600, window: "1 minute" } } },
   * }).pipe(Layer.provide(RateLimiter.layerStoreMemory))
   * ```
   */
  static layer(
    options: RateLimitBudgetOptions = {},
  ): Layer.Layer<RateLimitBudget, InvalidRequest, RateLimiter.RateLimiterStore> {
    return Layer.effect(RateLimitBudget, makeRateLimitBudget(options))
  }

  /**
   * A budget in this process's memory.
   *
   * @example
   * ```ts
   * import { RateLimitBudget } from "@effect-klaviyo/catalog-jobs"
   *
   * const budget = RateLimitBudget.layerMemory({ revision: "2025-10-15" })
   * ```
   */
  static layerMemory(options: RateLimitBudgetOptions = {}): Layer.Layer<RateLimitBudget, InvalidRequest> {
    return Layer.effect(RateLimitBudget, overMemory(options, undefined)).pipe(Layer.provide(layerMemoryStore))
  }
}
