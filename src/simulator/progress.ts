/**
 * Jobs moving over time: queued from `created_at`, then processing `perSecond` records a
 * second, then complete (or cancelled), then gone once expired; and the errors of the records
 * that failed, in Klaviyo's job-error shape.
 *
 * @internal
 */
import type { BulkJobError, BulkJobStatus } from "../resources/bulk-job.ts"
import type { JobRoute } from "./routes.ts"
import type { SimulatedJob, SimulatedJobProgress } from "./types.ts"
import { externalIdOf, nounOf } from "./wire.ts"

const SEVEN_DAYS = 7 * 24 * 60 * 60 * 1000

/** The type a job is served as. */
export const typeOf = (job: SimulatedJob): string => job.type ?? "catalog-category-bulk-update-job"

/** The ids of a job's records, in order: its `items`, `variants` or `categories`. */
export const relationshipIds = (
  route: Pick<JobRoute, "collection">,
  job: SimulatedJob,
): ReadonlyArray<string> => {
  const ids: { readonly [collection: string]: ReadonlyArray<string> | undefined } = {
    items: job.items,
    variants: job.variants,
    categories: job.categories,
  }
  return ids[route.collection] ?? []
}

/** A job's timeline: when it starts, how many records it has processed at a time, when each ends. */
export interface JobClock {
  readonly startAt: number
  /** The records it processes before it ends (fewer than the total when it is cancelled). */
  readonly limit: number
  readonly total: number
  readonly endedAt: number
  readonly expiresAt: number
  readonly processedAt: (now: number) => number
  /** When record `index` has been processed. */
  readonly doneAt: (index: number) => number
}

/** The timeline of a job that moves. */
export const jobClock = (job: SimulatedJob, progress: SimulatedJobProgress): JobClock => {
  const created = job.created_at.getTime()
  const startAt = created + Math.max(0, progress.queuedMillis ?? 1000)
  const perSecond = progress.perSecond ?? 10
  const total = Math.max(0, job.total_count)
  const limit = Math.max(0, Math.min(total, progress.cancelAfter ?? total))
  return {
    startAt,
    limit,
    total,
    endedAt: perSecond > 0 ? startAt + Math.ceil((limit * 1000) / perSecond) : Number.POSITIVE_INFINITY,
    expiresAt: created + (progress.keepMillis ?? SEVEN_DAYS),
    processedAt: (now) =>
      now < startAt || perSecond <= 0 ? 0 : Math.min(limit, Math.floor(((now - startAt) * perSecond) / 1000)),
    doneAt: (index) => startAt + Math.ceil(((index + 1) * 1000) / perSecond),
  }
}

/**
 * A record's error as Klaviyo writes it: `id`, `code` and `title` null, `meta` naming the record
 * by its external id, `source.pointer` its index in the POSTed body.
 */
export const recordError = (
  route: Pick<JobRoute, "collection">,
  index: number,
  detail: string,
  externalId: string | undefined,
): BulkJobError => ({
  id: null,
  code: null,
  title: null,
  detail,
  source: { pointer: `/data/attributes/${route.collection}/${index}` },
  meta: externalId === undefined ? {} : { external_id: externalId },
})

/** The error of an operation listed in `progress.failures`, for a job without records. */
export const operationError = (
  route: Pick<JobRoute, "collection" | "resource" | "shape">,
  recordId: string | undefined,
  index: number,
): BulkJobError => {
  const externalId = recordId === undefined ? undefined : externalIdOf(recordId)
  const named = externalId === undefined ? `at ${index}` : `with the external id \`${externalId}\``
  const why = route.resource === "catalog-category" && route.shape === "update"
    ? ": it has no name in the payload."
    : "."
  return recordError(
    route,
    index,
    `The ${nounOf(route.resource)} ${named} could not be ${route.shape}d${why}`,
    externalId,
  )
}

/**
 * A job with `progress` as it stands at `now` (`undefined` once it has expired), its errors
 * those of the first `processed` records, as `errorsOf` gives them.
 */
export const simulateJob = (
  job: SimulatedJob,
  now: number,
  errorsOf: (processed: number) => ReadonlyArray<BulkJobError>,
): SimulatedJob | undefined => {
  const progress = job.progress
  if (progress === undefined) return job
  const clock = jobClock(job, progress)
  const processed = clock.processedAt(now)
  const final = now >= clock.startAt && processed === clock.limit && now >= clock.endedAt
  const status: BulkJobStatus = now < clock.startAt
    ? "queued"
    : final
    ? clock.limit < clock.total ? "cancelled" : "complete"
    : "processing"
  if (now >= clock.expiresAt) return undefined
  const errors = errorsOf(processed)
  const failed = errors.length
  const completed = processed - failed
  const total = clock.total
  const counts = progress.counts?.({ completed, failed, total }) ??
    { completed_count: completed, failed_count: failed, total_count: total }
  return {
    ...job,
    status,
    ...counts,
    completed_at: final ? new Date(clock.endedAt) : null,
    expires_at: new Date(clock.expiresAt),
    errors,
  }
}

/** The errors of a job without records: the operations `progress.failures` lists, up to `processed`. */
export const listedFailures = (
  route: Pick<JobRoute, "collection" | "resource" | "shape">,
  job: SimulatedJob,
  processed: number,
): ReadonlyArray<BulkJobError> => {
  const ids = relationshipIds(route, job)
  return [...new Set(job.progress?.failures ?? [])]
    .filter((index) => index >= 0 && index < processed)
    .sort((a, b) => a - b)
    .map((index) => operationError(route, ids[index], index))
}

/** Whether a job still runs (queued or processing) as it stands. */
export const inProgress = (job: SimulatedJob | undefined): boolean =>
  job !== undefined && (job.status === "queued" || job.status === "processing")
