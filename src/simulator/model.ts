/**
 * The simulator's model: one request handler for the 27 operations of the table, over jobs
 * that move with the time it is given and stores that their records change.
 *
 * @module
 */
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { KlaviyoModel, SimulatorRequest, SimulatorResponse, SimulatorStats } from "./api.ts"
import { type Context, JobMap } from "./context.ts"
import { demoCategories, demoItems, demoJobs, demoVariants, SIMULATED_API_KEY } from "./demo.ts"
import { makeFaults, serveFault } from "./faults.ts"
import { getJob, listJobs } from "./get.ts"
import type { KlaviyoSimulatorOptions } from "./options.ts"
import { postJob } from "./post.ts"
import {
  inProgress,
  jobClock,
  listedFailures,
  operationError,
  recordError,
  simulateJob,
  typeOf,
} from "./progress.ts"
import { isResponse, revisionOf } from "./query.ts"
import { jobRoutes, matchPath, routeOf, simulatedRoutes } from "./routes.ts"
import { applyRecord, recordExternalId, recordId, type Stores } from "./store.ts"
import { isAnswer, makeThrottle } from "./throttle.ts"
import type { SimulatedJob } from "./types.ts"
import { errorResponse, jobId } from "./wire.ts"

const freshStats = (): SimulatorStats => ({
  requests: 0,
  throttled: 0,
  throttledBy: { burst: 0, steady: 0 },
  byClass: { "jobs-read": { requests: 0, throttled: 0 }, "jobs-write": { requests: 0, throttled: 0 } },
  jobsCreated: Object.fromEntries(jobRoutes.map((route) => [route.job, 0])) as SimulatorStats["jobsCreated"],
  jobsInProgressPeak: 0,
  tooManyJobs: 0,
})

/** The outcome of each record a job has processed so far: its error, or `undefined`. */
type Outcomes = Map<string, Array<BulkJobError | undefined>>

/** Applies, in time order across jobs, every record processed by `now` and not yet applied. */
const advanceJobs = (
  context: Omit<Context, "stateAt" | "running">,
  outcomes: Outcomes,
  now: number,
): void => {
  const due: Array<{ readonly at: number; readonly job: SimulatedJob; readonly index: number }> = []
  for (const id of context.jobs.live) {
    const job = context.jobs.get(id)
    if (job?.records === undefined || job.progress === undefined) continue
    const clock = jobClock(job, job.progress)
    const done = outcomes.get(id)?.length ?? 0
    const processed = Math.min(clock.processedAt(now), job.records.length)
    for (let index = done; index < processed; index++) due.push({ at: clock.doneAt(index), job, index })
  }
  due.sort((a, b) =>
    a.at - b.at || a.job.created_at.getTime() - b.job.created_at.getTime() ||
    (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : a.index - b.index)
  )
  for (const { at, job, index } of due) {
    const route = routeOf(typeOf(job))
    const record = job.records![index]!
    const list = outcomes.get(job.id) ?? []
    outcomes.set(job.id, list)
    if (route === undefined) {
      list.push(undefined)
      continue
    }
    const detail = job.progress?.failures?.includes(index)
      ? operationError(route, recordId(route, record), index).detail ?? undefined
      : context.failRecords?.(record, index, job) ?? applyRecord(route, context.stores, record, new Date(at))
    list.push(
      detail === undefined ? undefined : recordError(route, index, detail, recordExternalId(route, record)),
    )
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
  const demo = options.jobs === undefined
  const jobs = new JobMap()
  for (const job of options.jobs ?? demoJobs) jobs.set(job.id, job)
  const stores: Stores = {
    items: new Map((options.items ?? (demo ? demoItems : [])).map((item) => [item.id, item])),
    variants: new Map(
      (options.variants ?? (demo ? demoVariants : [])).map((variant) => [variant.id, variant]),
    ),
    categories: new Map((options.categories ?? (demo ? demoCategories : [])).map((c) => [c.id, c])),
  }
  const stats = freshStats()
  const throttle = makeThrottle(options.rateLimit, options.rateLimits, stats)
  const faults = makeFaults()
  const outcomes: Outcomes = new Map()
  let sequence = 0
  const base = {
    jobs,
    stores,
    stats,
    limits: {
      records: options.limits?.records ?? 100,
      bodyBytes: options.limits?.bodyBytes ?? 5_000_000,
      jobsInProgress: options.limits?.jobsInProgress ?? 500,
      pageSize: options.limits?.pageSize ?? 100,
    },
    processing: options.processing ?? {},
    failRecords: options.failRecords,
    origin: (url: URL) => options.origin ?? url.origin,
    nextJobId: (now: number) => jobId(now, ++sequence),
  }
  const stateAt = (job: SimulatedJob, now: number): SimulatedJob | undefined => {
    const route = routeOf(typeOf(job))
    return simulateJob(job, now, (processed) => {
      if (route === undefined) return []
      if (job.records === undefined) return listedFailures(route, job, processed)
      return (outcomes.get(job.id) ?? []).slice(0, processed).filter((error) => error !== undefined)
    })
  }
  /** Whether a job that no longer runs still has records to apply. */
  const pending = (job: SimulatedJob): boolean => {
    if (job.records === undefined || job.progress === undefined) return false
    const limit = Math.min(jobClock(job, job.progress).limit, job.records.length)
    return (outcomes.get(job.id)?.length ?? 0) < limit
  }
  const running = (now: number) => {
    let count = 0
    let firstEnd = Number.POSITIVE_INFINITY
    for (const id of jobs.live) {
      const job = jobs.get(id)
      if (job !== undefined && inProgress(stateAt(job, now))) {
        count++
        if (job.progress !== undefined) firstEnd = Math.min(firstEnd, jobClock(job, job.progress).endedAt)
      } else if (job === undefined || !pending(job)) jobs.live.delete(id)
    }
    return { count, firstEnd }
  }
  const context: Context = { ...base, stateAt, running }
  const advance = (now: number) => advanceJobs(context, outcomes, now)

  const authorized = (header: string | undefined): boolean =>
    header === `Klaviyo-API-Key ${apiKey}` ||
    (options.accessToken !== undefined && header === `Bearer ${options.accessToken}`)

  const answerAt = (request: SimulatorRequest, now: number): SimulatorResponse => {
    advance(now)
    const url = new URL(request.url)
    const target = matchPath(url.pathname)
    if (target === undefined) {
      return errorResponse(404, "not_found", "Not found.", `No route for ${url.pathname}.`)
    }
    const method = request.method
    if (method !== "GET" && !(method === "POST" && target.kind === "collection")) {
      return errorResponse(
        405,
        "method_not_allowed",
        "Method not allowed.",
        `Method "${method}" not allowed.`,
      )
    }
    const authorization = request.headers["authorization"]
    if (!authorized(authorization)) {
      return authorization === undefined
        ? errorResponse(
          401,
          "not_authenticated",
          "Authentication credentials were not provided.",
          "Missing or invalid private key.",
        )
        : errorResponse(
          401,
          "authentication_failed",
          "Incorrect authentication credentials.",
          "Missing or invalid private key.",
        )
    }
    const { route } = target
    const limitClass = target.kind === "job"
      ? route.limitClass.get
      : method === "GET"
      ? route.limitClass.list
      : route.limitClass.post
    const limited = throttle(limitClass, now)
    if (isAnswer(limited)) return limited
    const revision = revisionOf(request, options.retiredBefore)
    const answer = isResponse(revision)
      ? revision
      : target.kind === "job"
      ? getJob(context, route, target.id, url, revision, now)
      : method === "GET"
      ? listJobs(context, route, url, revision, now)
      : postJob(context, route, url, request.body, revision, now)
    return { ...answer, headers: { ...limited, ...answer.headers } }
  }

  return {
    handle: (request, nowMillis) => {
      stats.requests++
      const now = nowMillis ?? Date.now()
      const fault = faults.take(request)
      return fault === undefined ? answerAt(request, now) : serveFault(fault, () => answerAt(request, now))
    },
    stats,
    jobs,
    categories: stores.categories,
    items: stores.items,
    variants: stores.variants,
    routes: simulatedRoutes,
    inject: faults.inject,
    pendingFaults: faults.pending,
    advance,
    jobAt: (id, nowMillis) => {
      advance(nowMillis)
      const job = jobs.get(id)
      return job === undefined ? undefined : stateAt(job, nowMillis)
    },
  }
}
