/**
 * The simulator's model: one request handler for the 27 operations of the table, over jobs
 * that move with the time it is given and stores that their records change.
 *
 * @module
 */
import type { KlaviyoModel, SimulatorRequest } from "./api.ts"
import { makeDispatch } from "./dispatch.ts"
import { makeFaults, serveFault } from "./faults.ts"
import type { KlaviyoSimulatorOptions } from "./options.ts"
import { simulatedRoutes } from "./routes.ts"
import { makeState } from "./state.ts"

/**
 * Builds the simulator's model: answer requests with {@link KlaviyoModel.handle}, move jobs
 * along by replacing them in {@link KlaviyoModel.jobs}.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, SIMULATED_API_KEY, SIMULATED_JOB_ID } from "@effect-klaviyo/catalog-jobs"
 *
 * const model = KlaviyoSimulator.model()
 * const answer = model.handle({
 *   method: "GET",
 *   url: `https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
 *   headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15" },
 * })
 * console.log(answer.status) // 200
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const makeKlaviyoModel = (options: KlaviyoSimulatorOptions = {}): KlaviyoModel => {
  const { context, advance } = makeState(options)
  const dispatch = makeDispatch(context, options)
  const faults = makeFaults()
  const answer = (request: SimulatorRequest, now: number) => {
    advance(now)
    return dispatch(request, now)
  }
  return {
    handle: (request, nowMillis) => {
      context.stats.requests++
      const now = nowMillis ?? Date.now()
      const fault = faults.take(request)
      return fault === undefined ? answer(request, now) : serveFault(fault, () => answer(request, now))
    },
    stats: context.stats,
    jobs: context.jobs,
    categories: context.stores.categories,
    items: context.stores.items,
    variants: context.stores.variants,
    routes: simulatedRoutes(),
    inject: faults.inject,
    pendingFaults: faults.pending,
    advance,
    jobAt: (id, nowMillis) => {
      advance(nowMillis)
      const job = context.jobs.get(id)
      return job === undefined ? undefined : context.stateAt(job, nowMillis)
    },
  }
}
