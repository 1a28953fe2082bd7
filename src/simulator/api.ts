/**
 * The simulator's model as code sees it: a request in, an answer out, the data it serves and
 * what it has counted.
 *
 * @module
 */
import type * as Layer from "effect/Layer"
import type * as HttpClient from "effect/http/HttpClient"
import type { LimitClass } from "../http/request.ts"
import type { KlaviyoSimulatorOptions, SimulatedFault } from "./options.ts"
import type {
  SimulatedCategory,
  SimulatedItem,
  SimulatedJob,
  SimulatedJobType,
  SimulatedVariant,
} from "./types.ts"

/**
 * What a simulator has counted.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatorStats } from "@effect-klaviyo/catalog-jobs"
 *
 * const stats: SimulatorStats = KlaviyoSimulator.model().stats
 * console.log(stats.requests, stats.throttled, stats.jobsCreated["catalog-item-bulk-create-job"]) // 0 0 0
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatorStats {
  /** Requests answered. */
  requests: number
  /** Requests answered 429 by a rate limit. */
  throttled: number
  /** The 429s by the window that was full (both count when both were). */
  throttledBy: { burst: number; steady: number }
  /** Per rate-limit class: the requests that were counted against it, and its 429s. */
  byClass: { [C in LimitClass]: { requests: number; throttled: number } }
  /** The POSTs that reached a job type's path with a valid credential, whatever their answer (a 429 too). */
  posts: { [T in SimulatedJobType]: number }
  /** The jobs created (POSTs answered 202), per job type. */
  jobsCreated: { [T in SimulatedJobType]: number }
  /** The most jobs queued or processing at once, as counted when a job was created. */
  jobsInProgressPeak: number
  /** POSTs refused because too many jobs were in progress. */
  tooManyJobs: number
}

/**
 * A request as the simulator's model sees it.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatorRequest } from "@effect-klaviyo/catalog-jobs"
 *
 * const request: SimulatorRequest = {
 *   method: "GET",
 *   url: "https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/nope",
 *   headers: { authorization: "Klaviyo-API-Key pk_simulated_key", revision: "2026-07-15" },
 * }
 * console.log(KlaviyoSimulator.model().handle(request).status) // 404
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatorRequest {
  /** The method. */
  readonly method: string
  /** The full URL. */
  readonly url: string
  /** The headers, names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body, as text (a POST's JSON:API document). */
  readonly body?: string | undefined
}

/**
 * An answer of the simulator's model.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatorResponse } from "@effect-klaviyo/catalog-jobs"
 *
 * const answer: SimulatorResponse = KlaviyoSimulator.model().handle({
 *   method: "GET",
 *   url: "https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/x",
 *   headers: {},
 * })
 * console.log(answer.status) // 401
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatorResponse {
  /** The status. */
  readonly status: number
  /** The headers. */
  readonly headers: Readonly<Record<string, string>>
  /** The body text. */
  readonly body: string
  /** Send nothing and reset the connection (a fault from {@link KlaviyoModel.inject}). */
  readonly reset?: boolean
  /** Answer this many milliseconds late (a fault from {@link KlaviyoModel.inject}). */
  readonly delayMillis?: number
}

/**
 * One operation the simulator serves, as the library's table declares it.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedRoute } from "@effect-klaviyo/catalog-jobs"
 *
 * const posts: ReadonlyArray<SimulatedRoute> = KlaviyoSimulator.model().routes.filter((route) => route.method === "POST")
 * console.log(posts.length) // 9
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export interface SimulatedRoute {
  /** The library's function for it, `bulkCreateCatalogItems`. */
  readonly operation: string
  /** The method. */
  readonly method: "GET" | "POST"
  /** The path, `/api/catalog-item-bulk-create-jobs` or `/api/catalog-item-bulk-create-jobs/{job_id}`. */
  readonly path: string
  /** The job type it serves. */
  readonly job: SimulatedJobType
  /** The rate-limit class it counts against. */
  readonly limitClass: LimitClass
}

/**
 * The simulator's model: a handler from request to answer, and the data it serves.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type KlaviyoModel, SIMULATED_JOB_ID } from "@effect-klaviyo/catalog-jobs"
 *
 * const model: KlaviyoModel = KlaviyoSimulator.model()
 * const job = model.jobs.get(SIMULATED_JOB_ID)
 * if (job !== undefined) model.jobs.set(SIMULATED_JOB_ID, { ...job, status: "cancelled" })
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface KlaviyoModel {
  /** Answers one request as Klaviyo would, at `nowMillis` (default: the system clock). */
  readonly handle: (request: SimulatorRequest, nowMillis?: number) => SimulatorResponse
  /** What it has counted so far. */
  readonly stats: SimulatorStats
  /** The jobs, by id; change them to move a job along. */
  readonly jobs: Map<string, SimulatedJob>
  /** The categories, by id. */
  readonly categories: Map<string, SimulatedCategory>
  /** The items, by id. */
  readonly items: Map<string, SimulatedItem>
  /** The variants, by id. */
  readonly variants: Map<string, SimulatedVariant>
  /** The 27 operations it serves, derived from the library's table. */
  readonly routes: ReadonlyArray<SimulatedRoute>
  /**
   * Queues faults: each of the next requests meets the first fault that targets it. A status
   * outside 200–599 or a negative delay throws a `RangeError` here, not later.
   */
  readonly inject: (...faults: ReadonlyArray<SimulatedFault>) => void
  /** The faults still queued. */
  readonly pendingFaults: () => number
  /**
   * Applies to the items, variants and categories every record the jobs have processed by
   * `nowMillis` (each request does this first; call it to read the stores at a time of your choosing).
   */
  readonly advance: (nowMillis: number) => void
  /** The job as it stands at `nowMillis` (moved along by its `progress`), or undefined once gone. */
  readonly jobAt: (id: string, nowMillis: number) => SimulatedJob | undefined
}

/**
 * The shape of {@link KlaviyoSimulator}.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type KlaviyoSimulatorApi } from "@effect-klaviyo/catalog-jobs"
 *
 * const simulator: KlaviyoSimulatorApi = KlaviyoSimulator
 * const layer = simulator.layer(simulator.model())
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface KlaviyoSimulatorApi {
  /** Builds a model; see {@link makeKlaviyoModel}. */
  readonly model: (options?: KlaviyoSimulatorOptions) => KlaviyoModel
  /** An `HttpClient` layer answered by a new model, or by the one given. */
  readonly layer: (options?: KlaviyoSimulatorOptions | KlaviyoModel) => Layer.Layer<HttpClient.HttpClient>
}
