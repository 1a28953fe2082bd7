/**
 * A model's state: its jobs, its stores, its counts, and time: how a job stands at a moment,
 * which jobs still run, and the records the jobs have processed, applied in time order.
 *
 * @internal
 */
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { SimulatorStats } from "./api.ts"
import { type Context, JobMap } from "./context.ts"
import { demoCategories, demoItems, demoJobs, demoVariants } from "./demo.ts"
import type { KlaviyoSimulatorOptions } from "./options.ts"
import {
  inProgress,
  jobClock,
  listedFailures,
  operationError,
  recordError,
  simulateJob,
  typeOf,
} from "./progress.ts"
import { jobRoutes, routeOf } from "./routes.ts"
import { applyRecord, recordExternalId, recordId, type Stores } from "./store.ts"
import type { SimulatedJob } from "./types.ts"
import { jobId } from "./wire.ts"

const perType = (): SimulatorStats["posts"] =>
  Object.fromEntries(jobRoutes().map((route) => [route.job, 0])) as SimulatorStats["posts"]

const freshStats = (): SimulatorStats => ({
  requests: 0,
  throttled: 0,
  throttledBy: { burst: 0, steady: 0 },
  byClass: { "jobs-read": { requests: 0, throttled: 0 }, "jobs-write": { requests: 0, throttled: 0 } },
  posts: perType(),
  jobsCreated: perType(),
  jobsInProgressPeak: 0,
  tooManyJobs: 0,
})

/** The outcome of each record a job has processed so far: its error, or `undefined`. */
type Outcomes = Map<string, Array<BulkJobError | undefined>>

/** What one processed record comes to: a requested failure, or what applying it says. */
const outcomeOf = (
  context: Pick<Context, "failRecords" | "stores">,
  job: SimulatedJob,
  index: number,
  at: number,
): BulkJobError | undefined => {
  const route = routeOf(typeOf(job))
  const record = job.records?.[index]
  if (route === undefined || record === undefined) return undefined
  const detail = job.progress?.failures?.includes(index)
    ? operationError(route, recordId(route, record), index).detail ?? undefined
    : context.failRecords?.(record, index, job) ?? applyRecord(route, context.stores, record, new Date(at))
  return detail === undefined ? undefined : recordError(route, index, detail, recordExternalId(route, record))
}

/** Applies, in time order across jobs, every record processed by `now` and not yet applied. */
const advanceJobs = (context: Context, outcomes: Outcomes, now: number): void => {
  const due: Array<{ readonly at: number; readonly job: SimulatedJob; readonly index: number }> = []
  for (const id of context.jobs.live) {
    const job = context.jobs.get(id)
    if (job?.records === undefined || job.progress === undefined) continue
    const clock = jobClock(job, job.progress)
    const processed = Math.min(clock.processedAt(now), job.records.length)
    for (let index = outcomes.get(id)?.length ?? 0; index < processed; index++) {
      due.push({ at: clock.doneAt(index), job, index })
    }
  }
  due.sort((a, b) =>
    a.at - b.at || a.job.created_at.getTime() - b.job.created_at.getTime() ||
    (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : a.index - b.index)
  )
  for (const { at, job, index } of due) {
    const list = outcomes.get(job.id) ?? []
    outcomes.set(job.id, list)
    list.push(outcomeOf(context, job, index, at))
  }
}

/** A model's state, and `advance`, which applies what the jobs have processed by a time. */
export const makeState = (
  options: KlaviyoSimulatorOptions,
): { readonly context: Context; readonly advance: (now: number) => void } => {
  const demo = options.jobs === undefined
  const jobs = new JobMap()
  for (const job of options.jobs ?? demoJobs()) jobs.set(job.id, job)
  const stores: Stores = {
    items: new Map((options.items ?? (demo ? demoItems() : [])).map((item) => [item.id, item])),
    variants: new Map(
      (options.variants ?? (demo ? demoVariants() : [])).map((variant) => [variant.id, variant]),
    ),
    categories: new Map((options.categories ?? (demo ? demoCategories() : [])).map((c) => [c.id, c])),
  }
  const outcomes: Outcomes = new Map()
  // A job deleted from the model takes its records' outcomes with it.
  jobs.onDelete = (id) => outcomes.delete(id)
  let sequence = 0

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
  const context: Context = {
    jobs,
    stores,
    stats: freshStats(),
    limits: {
      records: options.limits?.records ?? 100,
      bodyBytes: options.limits?.bodyBytes ?? 5_000_000,
      jobsInProgress: options.limits?.jobsInProgress ?? 500,
      pageSize: options.limits?.pageSize ?? 100,
    },
    processing: options.processing ?? {},
    failRecords: options.failRecords,
    origin: (url) => options.origin ?? url.origin,
    stateAt,
    running,
    nextJobId: (now) => jobId(now, ++sequence),
  }
  return { context, advance: (now) => advanceJobs(context, outcomes, now) }
}
