/**
 * The reconciliation of a POST whose outcome is not known: before a chunk is sent again, the
 * jobs of its type created since the POST's intent was recorded are listed (any status), and a
 * job whose relationship linkage holds every record of the chunk is the job that POST created.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import type { KlaviyoError } from "../errors.ts"
import type { LinkedJob } from "../endpoints/list.ts"
import type { KindSpec } from "./kind.ts"
import type { PlannedJob } from "./plan.ts"

/**
 * How far a job's `created_at` may fall before the intent's time and still be the POST's job:
 * the two clocks (ours and Klaviyo's) are not the same clock.
 */
export const clockSkewMillis = 60_000

/**
 * How long after the intent a list must be taken to be trusted when it finds nothing: a job
 * created just before the crash may not be listed at once.
 */
export const settleMillis = 2_000

const createdAt = (job: LinkedJob): number | undefined => {
  const value = job.job["created_at"]
  return value instanceof Date ? value.getTime() : undefined
}

/** Whether a job's linkage holds every record of the chunk (by the records' identities). */
export const holdsChunk = (spec: KindSpec, chunk: PlannedJob, linkage: ReadonlyArray<string>): boolean => {
  if (linkage.length < chunk.records.length) return false
  const ids = new Set(linkage)
  for (const entry of chunk.records) {
    const identity = spec.identity(entry.record)
    if (identity === undefined || !ids.has(identity)) return false
  }
  return true
}

/**
 * The id of the job created for `chunk` at or after `since` (ms since the epoch), or `None`.
 * The list is newest first: it is read until a job older than `since` minus the clock skew.
 */
export const findPosted = (
  spec: KindSpec,
  chunk: PlannedJob,
  since: number,
): Effect.Effect<Option.Option<string>, KlaviyoError, KlaviyoClient> =>
  spec.jobs().pipe(
    Stream.takeWhile((job) => (createdAt(job) ?? Number.POSITIVE_INFINITY) >= since - clockSkewMillis),
    Stream.filter((job) => holdsChunk(spec, chunk, job.linkage)),
    Stream.map((job) => job.job.id),
    Stream.runHead,
  )

/**
 * {@link findPosted}, once the list can be trusted: when nothing is found before
 * `settleMillis` have passed since the intent, waits for them and lists again.
 */
export const reconcile = (
  spec: KindSpec,
  chunk: PlannedJob,
  since: number,
): Effect.Effect<Option.Option<string>, KlaviyoError, KlaviyoClient> =>
  Effect.gen(function* () {
    const found = yield* findPosted(spec, chunk, since)
    if (Option.isSome(found)) return found
    const wait = since + settleMillis - (yield* Clock.currentTimeMillis)
    if (wait <= 0) return found
    yield* Effect.sleep(wait)
    return yield* findPosted(spec, chunk, since)
  })
