/**
 * How to set up a simulated Klaviyo: what it holds, the limits it enforces, how its jobs move,
 * and the faults it can serve on demand.
 *
 * @module
 */
import type { LimitClass } from "../http/request.ts"
import type {
  SimulatedCategory,
  SimulatedItem,
  SimulatedJob,
  SimulatedProcessing,
  SimulatedRecord,
  SimulatedVariant,
} from "./types.ts"

/**
 * The fixed windows a simulator enforces.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedRateLimit } from "@effect-klaviyo/catalog-jobs"
 *
 * const klaviyoLike: SimulatedRateLimit = {
 *   burst: { limit: 350, windowMillis: 1_000 },
 *   steady: { limit: 3_500, windowMillis: 60_000 },
 *   phaseMillis: 123,
 * }
 * const model = KlaviyoSimulator.model({ rateLimit: klaviyoLike })
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedRateLimit {
  /** The short window, for example `{ limit: 350, windowMillis: 1000 }`. */
  readonly burst?: { readonly limit: number; readonly windowMillis: number }
  /** The long window, for example `{ limit: 3500, windowMillis: 60000 }`; its state goes into the `RateLimit-*` headers. */
  readonly steady?: { readonly limit: number; readonly windowMillis: number }
  /**
   * Where the windows start, in milliseconds since the epoch (any phase).
   * @default 0
   */
  readonly phaseMillis?: number
}

/**
 * The fixed windows of each rate-limit class, counted apart: a request counts against the
 * class of its operation (the table's `limitClass`: `jobs-write` for every POST and the GETs of
 * item and variant create and update jobs, `jobs-read` for the others).
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedRateLimits } from "@effect-klaviyo/catalog-jobs"
 *
 * // Klaviyo's limits a hundred times smaller, for a test that reaches them quickly.
 * const small: SimulatedRateLimits = {
 *   "jobs-write": { burst: { limit: 1, windowMillis: 1_000 }, steady: { limit: 7, windowMillis: 60_000 } },
 *   "jobs-read": { burst: { limit: 3, windowMillis: 1_000 }, steady: { limit: 35, windowMillis: 60_000 } },
 * }
 * const model = KlaviyoSimulator.model({ rateLimits: small })
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedRateLimits = { readonly [C in LimitClass]?: SimulatedRateLimit }

/**
 * Klaviyo's validation limits, as a simulator enforces them (each can be made smaller for a test).
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedLimits } from "@effect-klaviyo/catalog-jobs"
 *
 * const tight: SimulatedLimits = { jobsInProgress: 2, pageSize: 3 }
 * const model = KlaviyoSimulator.model({ limits: tight })
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export interface SimulatedLimits {
  /**
   * The most records one POST may hold; more answer 400.
   * @default 100
   */
  readonly records?: number
  /**
   * The largest body one POST may have, in UTF-8 bytes; a larger one answers 413.
   * @default 5000000
   */
  readonly bodyBytes?: number
  /**
   * The most jobs (of all nine types together) queued or processing at once for the account; a
   * POST past it answers 429 with a `Retry-After` of the seconds until the first of them ends.
   * @default 500
   */
  readonly jobsInProgress?: number
  /**
   * The most jobs a page of a list holds.
   * @default 100
   */
  readonly pageSize?: number
}

/**
 * Decides which records of a job fail: the `detail` of the record's error, or `undefined` for
 * a record that succeeds. Called once for each record, when the job processes it.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedFailRecords } from "@effect-klaviyo/catalog-jobs"
 *
 * const noShoes: SimulatedFailRecords = (record) =>
 *   record["external_id"] === "SHOES" ? "The category `SHOES` is not allowed." : undefined
 * const model = KlaviyoSimulator.model({ failRecords: noShoes })
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export type SimulatedFailRecords = (
  record: SimulatedRecord,
  index: number,
  job: SimulatedJob,
) => string | undefined

/**
 * How to set up a simulator.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type KlaviyoSimulatorOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: KlaviyoSimulatorOptions = { apiKey: "pk_test", retiredBefore: "2024-11-28" }
 * const layer = KlaviyoSimulator.layer(options)
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface KlaviyoSimulatorOptions {
  /**
   * The private API key it accepts.
   * @default "pk_simulated_key"
   */
  readonly apiKey?: string
  /** An OAuth access token it accepts besides the key. */
  readonly accessToken?: string
  /**
   * The jobs it holds.
   * @default a demo job of each type (see {@link SIMULATED_JOB_IDS}), and the items, variants and categories they name
   */
  readonly jobs?: ReadonlyArray<SimulatedJob>
  /** The categories it holds (by default the demo's, unless `jobs` is given). */
  readonly categories?: ReadonlyArray<SimulatedCategory>
  /** The items it holds (by default the demo's, unless `jobs` is given). */
  readonly items?: ReadonlyArray<SimulatedItem>
  /** The variants it holds (by default the demo's, unless `jobs` is given). */
  readonly variants?: ReadonlyArray<SimulatedVariant>
  /**
   * Revisions before this date are retired: they answer 410 when the request opts out of
   * falling forward (`X-Klaviyo-Revision-Fall-Forward-Opt-Out: 1`), and otherwise are served
   * as this revision. No revision is retired by default.
   */
  readonly retiredBefore?: string
  /**
   * The origin it writes into `links`.
   * @default the origin the request was sent to (`https://a.klaviyo.com` through the layer, with the client's default base URL)
   */
  readonly origin?: string
  /**
   * One pair of fixed windows that every request counts against, whatever its class: their
   * boundaries at `phaseMillis + k · window`, a 429 with `Retry-After` (whole seconds) past a
   * limit, and `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` on every other
   * answer. Off by default.
   */
  readonly rateLimit?: SimulatedRateLimit
  /**
   * Fixed windows per rate-limit class, counted apart (as {@link rateLimit}, but each class on
   * its own); {@link KLAVIYO_RATE_LIMITS} holds Klaviyo's. Off by default.
   */
  readonly rateLimits?: SimulatedRateLimits
  /** Klaviyo's validation limits (100 records, 5 MB, 500 jobs in progress, 100 jobs a page). */
  readonly limits?: SimulatedLimits
  /**
   * How the jobs it creates move.
   * @default { queuedMillis: 1000, perSecond: 10, keepMillis: 604800000 }
   */
  readonly processing?: SimulatedProcessing
  /** Which records of the jobs it processes fail, and with what detail (none by default). */
  readonly failRecords?: SimulatedFailRecords
}

/**
 * Which requests a fault waits for, and whether the model handles the request first.
 *
 * @example
 * ```ts
 * import type { SimulatedFaultTarget } from "@effect-klaviyo/catalog-jobs"
 *
 * // The next POST creates its job, then its answer is lost: the client cannot know.
 * const lostAnswer: SimulatedFaultTarget = { method: "POST", handled: true }
 * ```
 *
 * @since 0.2.0
 * @category simulator
 */
export interface SimulatedFaultTarget {
  /** Only a request of this method meets the fault (any, by default). */
  readonly method?: "GET" | "POST"
  /** Only a request whose path starts with this meets the fault (any, by default). */
  readonly path?: string
  /**
   * The model answers the request first (a POST creates its job), then the fault replaces the
   * answer: Klaviyo acted, and the client never learns of it. For a status or a reset.
   */
  readonly handled?: boolean
}

/**
 * A fault the simulator serves instead of (or on top of) its answer, on demand: a 5xx (or any)
 * status, a connection reset, or a slow answer; optionally only for some requests.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedFault } from "@effect-klaviyo/catalog-jobs"
 *
 * const model = KlaviyoSimulator.model()
 * const faults: ReadonlyArray<SimulatedFault> = [{ status: 503 }, { reset: true }, { delayMillis: 2_000 }]
 * model.inject(...faults) // the next three requests meet them, in order
 * model.inject({ reset: true, method: "POST", handled: true }) // the next POST's job exists, its answer is lost
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export type SimulatedFault =
  & (
    | {
      /** The status to answer with, for example 503. */
      readonly status: number
      /** A `Retry-After` header, in seconds. */
      readonly retryAfter?: number
    }
    | {
      /** The connection is reset before any answer. */
      readonly reset: true
    }
    | {
      /** The answer comes this much later. */
      readonly delayMillis: number
    }
  )
  & SimulatedFaultTarget
