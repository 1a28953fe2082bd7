/**
 * What a Promise `KlaviyoBudget` holds, out of the caller's reach: its options as read once, and
 * its store in memory (every permit and pause of the clients that share it).
 *
 * @internal
 */
import type { InvalidRequest } from "../errors.ts"
import type { KlaviyoBudget } from "../promise-budget.ts"
import type { RateLimitBudgetOptions } from "../rate-limit/options.ts"
import type { MemoryStore } from "./budget-memory.ts"

/** One budget's state. */
export interface BudgetState {
  /** Its options, read once (or why they could not be: every client using it rejects with it). */
  readonly options: RateLimitBudgetOptions | InvalidRequest
  readonly store: MemoryStore
}

/** Every budget made, by the value handed out. */
export const budgetStates: WeakMap<object, BudgetState> = /* @__PURE__ */ new WeakMap()

/** Whether `value` is a budget made by `makeKlaviyoBudget`. */
export const isKlaviyoBudget = (value: unknown): value is KlaviyoBudget =>
  typeof value === "object" && value !== null && budgetStates.has(value)
