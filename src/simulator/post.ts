/**
 * The job-creating POSTs of every type: Klaviyo's validation (the body's size, its JSON:API
 * shape and records, at most 500 jobs in progress), then a job, `queued`, that moves over
 * `Clock` time and applies its records as it processes them.
 *
 * @internal
 */
import type { Revision } from "../revision.ts"
import type { SimulatorResponse } from "./api.ts"
import type { Context } from "./context.ts"
import { contentType, jobResource } from "./document.ts"
import { fieldsetsOf, isResponse } from "./query.ts"
import type { JobRoute } from "./routes.ts"
import { recordId } from "./store.ts"
import type { SimulatedJob } from "./types.ts"
import { errorResponse, errorsResponse, invalidPointer } from "./wire.ts"
import { readRecords } from "./validate.ts"

const utf8 = /* @__PURE__ */ new TextEncoder()

/** The 429 of a POST past the jobs-in-progress limit (assumed: Klaviyo documents the limit, not its answer). */
const tooManyJobs = (context: Context, now: number): SimulatorResponse => {
  const { firstEnd } = context.running(now)
  const seconds = Number.isFinite(firstEnd) ? Math.max(1, Math.ceil((firstEnd - now) / 1000)) : 60
  context.stats.tooManyJobs++
  const answer = errorResponse(
    429,
    "throttled",
    "Too many jobs in progress.",
    `The maximum number of jobs in progress at one time is ${context.limits.jobsInProgress}.`,
  )
  return { ...answer, headers: { ...answer.headers, "retry-after": String(seconds) } }
}

/** `POST {path}`: validates the body and creates the job. */
export const postJob = (
  context: Context,
  route: JobRoute,
  url: URL,
  body: string | undefined,
  revision: Revision,
  now: number,
): SimulatorResponse => {
  const fieldsets = fieldsetsOf(url.searchParams, new Map([[route.job, route.spec.fields(revision)]]))
  if (isResponse(fieldsets)) return fieldsets
  const text = body ?? ""
  const bytes = utf8.encode(text).byteLength
  if (bytes > context.limits.bodyBytes) {
    return errorResponse(
      413,
      "request_too_large",
      "Request entity too large.",
      `The request body is ${bytes} bytes; the maximum allowed payload size is ${context.limits.bodyBytes} bytes.`,
    )
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return errorsResponse(400, [invalidPointer("/data", "The request body is not valid JSON.")])
  }
  const read = readRecords(route, parsed, context.limits.records)
  if ("errors" in read) return errorsResponse(400, read.errors)
  if (context.running(now).count >= context.limits.jobsInProgress) return tooManyJobs(context, now)
  const job: SimulatedJob = {
    type: route.job,
    id: context.nextJobId(now),
    status: "queued",
    created_at: new Date(now),
    total_count: read.records.length,
    completed_count: 0,
    failed_count: 0,
    completed_at: null,
    errors: [],
    [route.collection]: read.records.map((record) => recordId(route, record)),
    records: read.records,
    progress: { ...context.processing },
  }
  context.jobs.set(job.id, job)
  context.stats.jobsCreated[route.job]++
  context.stats.jobsInProgressPeak = Math.max(context.stats.jobsInProgressPeak, context.running(now).count)
  const state = context.stateAt(job, now) ?? job
  return {
    status: 202,
    headers: { "content-type": contentType(revision) },
    body: JSON.stringify({
      data: jobResource(route, state, revision, context.origin(url), fieldsets.get(route.job)),
    }),
  }
}
