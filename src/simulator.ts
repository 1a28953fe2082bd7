/**
 * A simulated Klaviyo for tests and demos: an in-memory model of the catalog bulk-job API that
 * answers like Klaviyo does (sparse fieldsets, `include`, 404 for an unknown job, 401 for a
 * wrong key, 400 for a bad query, the revision's wire shape), with no network.
 *
 * `KlaviyoSimulator.layer(...)` stands in for the `HttpClient`; `KlaviyoSimulator.model(...)`
 * gives the same model as a plain request handler, to mount behind a real HTTP server.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import type { BulkJobError, BulkJobStatus } from "./resources.ts"
import { parseRevision, type Revision } from "./revision.ts"

/**
 * A catalog category the simulator knows.
 *
 * @example
 * ```ts
 * import type { SimulatedCategory } from "@effect-klaviyo/catalog-jobs"
 *
 * const apparel: SimulatedCategory = { id: "$custom:::$default:::APPAREL", name: "Apparel", updated: new Date() }
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedCategory {
  /** The compound id, for example `$custom:::$default:::APPAREL`. */
  readonly id: string
  /** The id in the external system. */
  readonly external_id?: string | null
  /** The name. */
  readonly name?: string | null
  /** When it was last updated. */
  readonly updated?: Date | null
}

/**
 * A category bulk update job the simulator knows.
 *
 * @example
 * ```ts
 * import type { SimulatedJob } from "@effect-klaviyo/catalog-jobs"
 *
 * const job: SimulatedJob = {
 *   id: "job-1",
 *   status: "processing",
 *   created_at: new Date(),
 *   total_count: 10,
 *   completed_count: 4,
 *   categories: ["$custom:::$default:::APPAREL"],
 * }
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedJob {
  /** The job id. */
  readonly id: string
  /** Where the job stands. */
  readonly status: BulkJobStatus
  /** When it was created. */
  readonly created_at: Date
  /** The number of operations. */
  readonly total_count: number
  /** Completed operations. */
  readonly completed_count?: number | null
  /** Failed operations. */
  readonly failed_count?: number | null
  /** When it completed. */
  readonly completed_at?: Date | null
  /** Errors met. */
  readonly errors?: ReadonlyArray<BulkJobError> | null
  /** When it expires. */
  readonly expires_at?: Date | null
  /** The ids of the categories it updates, in order (they need not all exist). */
  readonly categories?: ReadonlyArray<string>
  /**
   * Makes the job move as time passes (the `Clock`'s time: under `TestClock`, as the test
   * adjusts it): from `created_at` it is `queued`, then `processing`, then `complete` (or
   * `cancelled`), and it answers 404 once it has expired. With `progress`, `status`, the counts,
   * `completed_at`, `errors` and `expires_at` are computed and the values given are ignored.
   */
  readonly progress?: SimulatedJobProgress
}

/**
 * How a simulated job moves over time: its operations are `total_count` category updates,
 * processed one after another at `perSecond`.
 *
 * @example
 * ```ts
 * import type { SimulatedJob, SimulatedJobProgress } from "@effect-klaviyo/catalog-jobs"
 *
 * // Queued for 2 s, then 5 operations a second; operations 3 and 7 fail.
 * const progress: SimulatedJobProgress = { queuedMillis: 2_000, perSecond: 5, failures: [3, 7] }
 * const job: SimulatedJob = { id: "job-1", status: "queued", created_at: new Date(0), total_count: 20, progress }
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatedJobProgress {
  /**
   * How long the job stays `queued` after `created_at`.
   * @default 1000
   */
  readonly queuedMillis?: number
  /**
   * Operations processed per second once `processing`.
   * @default 10
   */
  readonly perSecond?: number
  /** The operations (0-based, in category order) that fail, each with an error in `errors`. */
  readonly failures?: ReadonlyArray<number>
  /** The job is `cancelled` once this many operations have been processed. */
  readonly cancelAfter?: number
  /**
   * How long the job is kept from `created_at`: `expires_at` is then (Klaviyo sets it while the
   * job still runs), and past it the job answers 404, whatever its status.
   * @default 604800000 (7 days)
   */
  readonly keepMillis?: number
  /** Klaviyo's counts as they come, from the job's state: to serve odd counts such as the spec's example. */
  readonly counts?: (state: {
    readonly completed: number
    readonly failed: number
    readonly total: number
  }) => { readonly completed_count: number; readonly failed_count: number; readonly total_count: number }
}

/**
 * A fault the simulator serves instead of (or on top of) its answer, on demand: a 5xx (or any)
 * status, a connection reset, or a slow answer.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatedFault } from "@effect-klaviyo/catalog-jobs"
 *
 * const model = KlaviyoSimulator.model()
 * const faults: ReadonlyArray<SimulatedFault> = [{ status: 503 }, { reset: true }, { delayMillis: 2_000 }]
 * model.inject(...faults) // the next three requests meet them, in order
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export type SimulatedFault =
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
   * @default the demo job {@link SIMULATED_JOB_ID} and its categories
   */
  readonly jobs?: ReadonlyArray<SimulatedJob>
  /** The categories it holds. */
  readonly categories?: ReadonlyArray<SimulatedCategory>
  /**
   * Revisions before this date are retired: they answer 410 when the request opts out of
   * falling forward (`X-Klaviyo-Revision-Fall-Forward-Opt-Out: 1`), and otherwise are served
   * as this revision. No revision is retired by default.
   */
  readonly retiredBefore?: string
  /**
   * The origin it writes into `links`.
   * @default "https://a.klaviyo.com"
   */
  readonly origin?: string
  /**
   * Enforce rate limits as Klaviyo does: fixed windows (their boundaries at
   * `phaseMillis + k · window`), a 429 with `Retry-After` (whole seconds) past a limit, and
   * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` on every other answer. Off by
   * default.
   */
  readonly rateLimit?: SimulatedRateLimit
}

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
 * What a simulator has counted.
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, type SimulatorStats } from "@effect-klaviyo/catalog-jobs"
 *
 * const stats: SimulatorStats = KlaviyoSimulator.model().stats
 * console.log(stats.requests, stats.throttled) // 0 0
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export interface SimulatorStats {
  /** Requests answered. */
  requests: number
  /** Requests answered 429. */
  throttled: number
  /** The 429s by the window that was full (both count when both were). */
  throttledBy: { burst: number; steady: number }
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
  /**
   * Queues faults: each of the next requests meets the next fault, in order. A status outside
   * 200–599 or a negative delay throws a `RangeError` here, not later.
   */
  readonly inject: (...faults: ReadonlyArray<SimulatedFault>) => void
  /** The faults still queued. */
  readonly pendingFaults: () => number
  /** The job as it stands at `nowMillis` (moved along by its `progress`), or undefined once gone. */
  readonly jobAt: (id: string, nowMillis: number) => SimulatedJob | undefined
}

/**
 * The id of the demo job the simulator holds by default.
 *
 * @example
 * ```ts
 * import { SIMULATED_JOB_ID } from "@effect-klaviyo/catalog-jobs"
 *
 * console.log(SIMULATED_JOB_ID) // "01JDEM0CATEG0RYUPDATEJ0B01"
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const SIMULATED_JOB_ID = "01JDEM0CATEG0RYUPDATEJ0B01"

/**
 * The API key the simulator accepts by default.
 *
 * @example
 * ```ts
 * import { KlaviyoClient, SIMULATED_API_KEY } from "@effect-klaviyo/catalog-jobs"
 *
 * const layer = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const SIMULATED_API_KEY = "pk_simulated_key"

const demoCategories: ReadonlyArray<SimulatedCategory> = [
  ["APPAREL", "Apparel"],
  ["FOOTWEAR", "Footwear"],
  ["ACCESSORIES", "Accessories"],
].map(([externalId, name]) => ({
  id: `$custom:::$default:::${externalId}`,
  external_id: externalId!,
  name: name!,
  updated: new Date("2026-11-20T09:30:00Z"),
}))

const demoJobs: ReadonlyArray<SimulatedJob> = [{
  id: SIMULATED_JOB_ID,
  status: "complete",
  created_at: new Date("2026-11-27T14:00:00Z"),
  total_count: 3,
  completed_count: 2,
  failed_count: 1,
  completed_at: new Date("2026-11-27T14:00:07Z"),
  expires_at: new Date("2026-12-04T14:00:00Z"),
  errors: [{
    id: null,
    code: null,
    title: null,
    detail: "The category with the external id `ACCESSORIES` has no name in the payload.",
    source: { pointer: "/data/attributes/categories/2" },
    meta: { external_id: "ACCESSORIES" },
  }],
  categories: demoCategories.map((category) => category.id),
}]

const JOB_TYPE = "catalog-category-bulk-update-job"
const CATEGORY_TYPE = "catalog-category"
const JOB_PATH = /^\/api\/catalog-category-bulk-update-jobs\/([^/]+)\/?$/
const JOB_FIELDS = [
  "completed_at",
  "completed_count",
  "created_at",
  "errors",
  "expires_at",
  "failed_count",
  "status",
  "total_count",
]
const CATEGORY_FIELDS = ["external_id", "name", "updated"]

const errorResponse = (
  status: number,
  code: string,
  title: string,
  detail: string,
  source?: { readonly pointer?: string; readonly parameter?: string },
): SimulatorResponse => ({
  status,
  headers: { "content-type": "application/vnd.api+json" },
  body: JSON.stringify({
    errors: [{
      id: crypto.randomUUID(),
      status,
      code,
      title,
      detail,
      source: source ?? { pointer: "/data/" },
      links: {},
      meta: {},
    }],
  }),
})

/**
 * Klaviyo writes date-times as Python's `isoformat` does: microseconds when there are any
 * (`2025-05-03T17:51:08.502977+00:00`), then `+00:00`; old revisions wrote them without an offset.
 */
const formatDate = (date: Date | null | undefined, legacy: boolean): string | null | undefined => {
  if (date === null || date === undefined) return date
  const text = date.toISOString()
  if (legacy) return text.slice(0, 19)
  const millis = text.slice(20, 23)
  return `${text.slice(0, 19)}${millis === "000" ? "" : `.${millis}000`}+00:00`
}

/** The external id of a category from its compound id (`$custom:::$default:::SHOES`). */
const externalIdOf = (categoryId: string): string => {
  const at = categoryId.lastIndexOf(":::")
  return at < 0 ? categoryId : categoryId.slice(at + 3)
}

/**
 * A failed operation's error as Klaviyo writes it: `id`, `code` and `title` null, `meta`
 * naming the record, `source.pointer` its index in the job's categories.
 */
const operationError = (categoryId: string | undefined, index: number): BulkJobError => {
  const externalId = categoryId === undefined ? undefined : externalIdOf(categoryId)
  return {
    id: null,
    code: null,
    title: null,
    detail: `The category ${
      externalId === undefined ? `at ${index}` : `with the external id \`${externalId}\``
    } could not be updated: it has no name in the payload.`,
    source: { pointer: `/data/attributes/categories/${index}` },
    meta: externalId === undefined ? {} : { external_id: externalId },
  }
}

const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000

/** A job with `progress` as it stands at `now`; `undefined` once it has expired. */
const simulateJob = (job: SimulatedJob, now: number): SimulatedJob | undefined => {
  const progress = job.progress
  if (progress === undefined) return job
  const created = job.created_at.getTime()
  const startAt = created + Math.max(0, progress.queuedMillis ?? 1000)
  const perSecond = progress.perSecond ?? 10
  const total = Math.max(0, job.total_count)
  const limit = Math.max(0, Math.min(total, progress.cancelAfter ?? total))
  const processed = now < startAt || perSecond <= 0
    ? 0
    : Math.min(limit, Math.floor(((now - startAt) * perSecond) / 1000))
  const endedAt = perSecond > 0 ? startAt + Math.ceil((limit * 1000) / perSecond) : Number.POSITIVE_INFINITY
  const final = now >= startAt && processed === limit && now >= endedAt
  const status: BulkJobStatus = now < startAt
    ? "queued"
    : final
    ? limit < total ? "cancelled" : "complete"
    : "processing"
  const expiresAt = created + (progress.keepMillis ?? SEVEN_DAYS)
  if (now >= expiresAt) return undefined
  const failing = [...new Set(progress.failures ?? [])].filter((index) => index >= 0 && index < processed)
    .sort((a, b) => a - b)
  const failed = failing.length
  const completed = processed - failed
  const counts = progress.counts?.({ completed, failed, total }) ??
    { completed_count: completed, failed_count: failed, total_count: total }
  return {
    ...job,
    status,
    ...counts,
    completed_at: final ? new Date(endedAt) : null,
    expires_at: new Date(expiresAt),
    errors: failing.map((index) => operationError(job.categories?.[index], index)),
  }
}

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
  const apiKey = options.apiKey ?? SIMULATED_API_KEY
  const origin = options.origin ?? "https://a.klaviyo.com"
  const jobs = new Map((options.jobs ?? demoJobs).map((job) => [job.id, job]))
  const categories = new Map(
    (options.categories ?? (options.jobs === undefined ? demoCategories : [])).map((c) => [c.id, c]),
  )
  const retiredBefore = options.retiredBefore

  const authorized = (header: string | undefined): boolean =>
    header === `Klaviyo-API-Key ${apiKey}` ||
    (options.accessToken !== undefined && header === `Bearer ${options.accessToken}`)

  const fieldset = (
    params: URLSearchParams,
    type: string,
    allowed: ReadonlyArray<string>,
  ): ReadonlyArray<string> | SimulatorResponse | undefined => {
    const raw = params.get(`fields[${type}]`)
    if (raw === null) return undefined
    const names = raw.split(",")
    const bad = names.find((name) => !allowed.includes(name))
    return bad === undefined ? names : errorResponse(
      400,
      "invalid",
      "Invalid input.",
      `'${bad}' is not a valid field for the resource '${type}'.`,
      { parameter: `fields[${type}]` },
    )
  }

  const pick = (
    attributes: Record<string, unknown>,
    names: ReadonlyArray<string> | undefined,
  ): Record<string, unknown> =>
    names === undefined
      ? attributes
      : Object.fromEntries(Object.entries(attributes).filter(([name]) => names.includes(name)))

  const stats: SimulatorStats = { requests: 0, throttled: 0, throttledBy: { burst: 0, steady: 0 } }
  const limits = options.rateLimit
  const windows = limits === undefined
    ? []
    : [limits.burst, limits.steady].flatMap((window, i) =>
      window === undefined ? [] : [{ ...window, steady: i === 1, index: Number.NaN, count: 0 }]
    )
  const phase = limits?.phaseMillis ?? 0

  /** Counts a request in every window; the answer's headers, or a 429 past a limit. */
  const throttle = (now: number): SimulatorResponse | Record<string, string> => {
    let blockedFor = 0
    for (const window of windows) {
      const index = Math.floor((now - phase) / window.windowMillis)
      if (index !== window.index) {
        window.index = index
        window.count = 0
      }
      if (window.count >= window.limit) {
        blockedFor = Math.max(blockedFor, phase + (index + 1) * window.windowMillis - now)
        stats.throttledBy[window.steady ? "steady" : "burst"]++
      }
    }
    if (blockedFor > 0) {
      stats.throttled++
      const seconds = Math.max(1, Math.ceil(blockedFor / 1000))
      const answer = errorResponse(
        429,
        "throttled",
        "Request was throttled.",
        `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.`,
      )
      return { ...answer, headers: { ...answer.headers, "retry-after": String(seconds) } }
    }
    const headers: Record<string, string> = {}
    for (const window of windows) {
      window.count++
      if (window.steady || windows.length === 1) {
        const resetMillis = phase + (window.index + 1) * window.windowMillis - now
        headers["ratelimit-limit"] = String(window.limit)
        headers["ratelimit-remaining"] = String(window.limit - window.count)
        headers["ratelimit-reset"] = String(Math.max(0, Math.ceil(resetMillis / 1000)))
      }
    }
    return headers
  }

  const faults: Array<SimulatedFault> = []

  const handle = (request: SimulatorRequest, nowMillis?: number): SimulatorResponse => {
    stats.requests++
    const fault = faults.shift()
    if (fault !== undefined && "reset" in fault) return { status: 0, headers: {}, body: "", reset: true }
    if (fault !== undefined && "status" in fault) {
      // Worded without "simulated": the demo key is `pk_simulated_key`, and the client redacts
      // any run of 8 of its characters from an error.
      const answer = errorResponse(
        fault.status,
        "error",
        "Injected fault.",
        `A ${fault.status} injected by the simulator.`,
      )
      return fault.retryAfter === undefined
        ? answer
        : { ...answer, headers: { ...answer.headers, "retry-after": String(fault.retryAfter) } }
    }
    const answer = answerAt(request, nowMillis ?? Date.now())
    return fault !== undefined && "delayMillis" in fault
      ? { ...answer, delayMillis: fault.delayMillis }
      : answer
  }

  const answerAt = (request: SimulatorRequest, now: number): SimulatorResponse => {
    const url = new URL(request.url)
    const match = JOB_PATH.exec(url.pathname)
    if (match === null) return errorResponse(404, "not_found", "Not found.", `No route for ${url.pathname}.`)
    if (request.method !== "GET") {
      return errorResponse(
        405,
        "method_not_allowed",
        "Method not allowed.",
        `Method "${request.method}" not allowed.`,
      )
    }
    const authorization = request.headers["authorization"]
    if (authorization === undefined) {
      return errorResponse(
        401,
        "not_authenticated",
        "Authentication credentials were not provided.",
        "Missing or invalid private key.",
      )
    }
    if (!authorized(authorization)) {
      return errorResponse(
        401,
        "authentication_failed",
        "Incorrect authentication credentials.",
        "Missing or invalid private key.",
      )
    }
    const limited = throttle(now)
    if ("status" in limited && typeof limited.status === "number") return limited as SimulatorResponse
    const rateHeaders = limited as Record<string, string>
    const revisionHeader = request.headers["revision"]
    if (revisionHeader === undefined) {
      return errorResponse(400, "invalid", "Invalid input.", "Missing revision header.", {
        parameter: "revision",
      })
    }
    const parsed = parseRevision(revisionHeader)
    if (!("date" in parsed)) {
      return errorResponse(400, "invalid", "Invalid input.", `Invalid revision: ${revisionHeader}.`, {
        parameter: "revision",
      })
    }
    let revision: Revision = parsed
    if (retiredBefore !== undefined && parsed.date < retiredBefore) {
      if (request.headers["x-klaviyo-revision-fall-forward-opt-out"] === "1") {
        return errorResponse(410, "gone", "Gone.", `Revision ${parsed.value} is no longer supported.`, {
          parameter: "revision",
        })
      }
      revision = parseRevision(retiredBefore) as Revision
    }
    const legacy = revision.jobIdAttribute
    const params = url.searchParams
    const jobFields = fieldset(params, JOB_TYPE, [legacy ? "job_id" : "id", ...JOB_FIELDS])
    if (jobFields !== undefined && "status" in jobFields) return jobFields
    const categoryFields = fieldset(
      params,
      CATEGORY_TYPE,
      legacy ? CATEGORY_FIELDS : ["id", ...CATEGORY_FIELDS],
    )
    if (categoryFields !== undefined && "status" in categoryFields) return categoryFields
    const include = params.get("include")?.split(",") ?? []
    const badInclude = include.find((name) => name !== "categories")
    if (badInclude !== undefined) {
      return errorResponse(
        400,
        "invalid",
        "Invalid input.",
        `'${badInclude}' is not a valid relationship for include.`,
        {
          parameter: "include",
        },
      )
    }
    const id = decodeURIComponent(match[1]!)
    const stored = jobs.get(id)
    const job = stored === undefined ? undefined : simulateJob(stored, now)
    if (job === undefined) {
      return errorResponse(
        404,
        "not_found",
        "Not found.",
        `A catalog category bulk update job with id ${id} does not exist.`,
      )
    }
    const self = `${origin}/api/catalog-category-bulk-update-jobs/${encodeURIComponent(id)}/`
    const attributes = pick({
      ...(legacy ? { job_id: job.id } : {}),
      status: job.status,
      created_at: formatDate(job.created_at, legacy),
      total_count: job.total_count,
      completed_count: job.completed_count === undefined ? 0 : job.completed_count,
      failed_count: job.failed_count === undefined ? 0 : job.failed_count,
      completed_at: formatDate(job.completed_at ?? null, legacy),
      errors: job.errors === undefined ? [] : job.errors,
      expires_at: formatDate(job.expires_at ?? null, legacy),
    }, jobFields)
    const linkage = (job.categories ?? []).map((categoryId) => ({ type: CATEGORY_TYPE, id: categoryId }))
    const included = include.includes("categories")
      ? (job.categories ?? []).flatMap((categoryId) => {
        const category = categories.get(categoryId)
        return category === undefined ? [] : [{
          type: CATEGORY_TYPE,
          id: category.id,
          attributes: pick({
            external_id: category.external_id ?? null,
            name: category.name ?? null,
            updated: formatDate(category.updated ?? null, legacy),
          }, categoryFields),
          links: { self: `${origin}/api/catalog-categories/${encodeURIComponent(category.id)}/` },
        }]
      })
      : undefined
    const document = {
      data: {
        type: JOB_TYPE,
        ...(legacy ? {} : { id: job.id }),
        attributes,
        relationships: {
          categories: {
            data: linkage,
            links: { self: `${self}relationships/categories/`, related: `${self}categories/` },
          },
        },
        links: { self },
      },
      ...(included === undefined ? {} : { included }),
    }
    return {
      status: 200,
      headers: {
        ...rateHeaders,
        "content-type": revision.legacyPath ? "application/json" : "application/vnd.api+json",
      },
      body: JSON.stringify(document),
    }
  }

  return {
    handle,
    stats,
    jobs,
    categories,
    inject: (...more) => {
      for (const fault of more) {
        if (
          "status" in fault && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)
        ) {
          throw new RangeError(
            `a simulated fault's status must be a whole number from 200 to 599, not ${fault.status}`,
          )
        }
        if ("delayMillis" in fault && !(Number.isFinite(fault.delayMillis) && fault.delayMillis >= 0)) {
          throw new RangeError(`a simulated fault's delayMillis must be a finite number of at least 0`)
        }
      }
      faults.push(...more)
    },
    pendingFaults: () => faults.length,
    jobAt: (id, nowMillis) => {
      const job = jobs.get(id)
      return job === undefined ? undefined : simulateJob(job, nowMillis)
    },
  }
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

const isModel = (value: KlaviyoSimulatorOptions | KlaviyoModel | undefined): value is KlaviyoModel =>
  value !== undefined && "handle" in value && typeof value.handle === "function"

/**
 * The simulated Klaviyo, as an `HttpClient` layer: provide it instead of
 * `FetchHttpClient.layer` to run the library (and your code around it) without a network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import {
 *   getCatalogCategoryBulkUpdateJob,
 *   KlaviyoClient,
 *   KlaviyoSimulator,
 *   SIMULATED_API_KEY,
 *   SIMULATED_JOB_ID,
 * } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] }).pipe(
 *   Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
 *   Effect.provide(KlaviyoSimulator.layer()),
 *   Effect.runPromise,
 * )
 * console.log(job.categories.length) // 3
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const KlaviyoSimulator: KlaviyoSimulatorApi = {
  model: makeKlaviyoModel,
  layer: (options) => {
    const model = isModel(options) ? options : makeKlaviyoModel(options)
    return Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request, url) =>
        Effect.gen(function* () {
          const answer = model.handle(
            { method: request.method, url: url.href, headers: request.headers },
            yield* Clock.currentTimeMillis,
          )
          if (answer.reset === true) {
            return yield* new HttpClientError.HttpClientError({
              reason: new HttpClientError.TransportError({
                request,
                description: "the connection was reset by the simulator (ECONNRESET)",
              }),
            })
          }
          if (answer.delayMillis !== undefined && answer.delayMillis > 0) {
            yield* Effect.sleep(Duration.millis(answer.delayMillis))
          }
          // A status that cannot have a body (204, 205, 304) is sent without one.
          const bodiless = answer.status === 204 || answer.status === 205 || answer.status === 304
          return HttpClientResponse.fromWeb(
            request,
            new Response(bodiless ? null : answer.body, { status: answer.status, headers: answer.headers }),
          )
        })
      ),
    )
  },
}
