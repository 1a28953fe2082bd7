/**
 * One job of a bulk write, as two activities of its workflow: the POST of the chunk, and the
 * watch of the job to its end. Each returns plain data (its result is what a durable engine
 * stores), and the chunk's outcomes are computed from those results, so a replay computes the
 * same outcomes without calling Klaviyo again.
 *
 * @internal
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Activity from "effect/workflow/Activity"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import type { KlaviyoClient } from "../client.ts"
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { WriteEvent } from "./events.ts"
import { type FinishedJob, joinJob } from "./join.ts"
import type { KindSpec } from "./kind.ts"
import type { BulkWriteOutcome } from "./outcome.ts"
import type { PlannedJob } from "./plan.ts"

const Posted = Schema.Union([
  Schema.Struct({ _tag: Schema.Literal("Created"), job: Schema.String }),
  Schema.Struct({
    _tag: Schema.Literal("NotCreated"),
    /** `true` when Klaviyo may have acted on the POST (a 5xx, a timeout, a reset after sending). */
    mayExist: Schema.Boolean,
    reason: Schema.String,
    errors: Schema.Array(Schema.Unknown),
  }),
])

const Watched = Schema.Union([
  Schema.Struct({
    _tag: Schema.Literal("Ended"),
    status: Schema.Literals(["complete", "cancelled", "expired"]),
    errors: Schema.NullOr(Schema.Array(Schema.Unknown)),
    failed_count: Schema.NullOr(Schema.Number),
  }),
  Schema.Struct({ _tag: Schema.Literal("Lost"), reason: Schema.String }),
])

/** The POST of a chunk, never failing: the job's id, or why it was not created. */
const post = (spec: KindSpec, chunk: PlannedJob): Effect.Effect<typeof Posted.Type, never, KlaviyoClient> =>
  spec.post(chunk.records.map((entry) => entry.record)).pipe(
    Effect.map((job) => ({ _tag: "Created" as const, job: job.id })),
    Effect.catch((error) =>
      Effect.succeed({
        _tag: "NotCreated" as const,
        // A decoding error follows a 2xx: the job exists. Otherwise the transport says.
        mayExist: error._tag === "DecodeError" ||
          ((error._tag === "KlaviyoApiError" || error._tag === "TransportError") &&
            error.jobMayExist !== false),
        reason: error.message,
        errors: error._tag === "KlaviyoApiError" ? error.errors : [],
      })
    ),
  )

/** Polls a job until it ends (a 404: it expired), never failing: its last state, or why it was lost. */
const watch = (
  spec: KindSpec,
  jobId: string,
  interval: Duration.Duration,
): Effect.Effect<typeof Watched.Type, never, KlaviyoClient> => {
  const once: Effect.Effect<typeof Watched.Type | undefined, never, KlaviyoClient> = spec.get(jobId).pipe(
    Effect.map((state) =>
      state.status === "complete" || state.status === "cancelled"
        ? {
          _tag: "Ended" as const,
          status: state.status,
          errors: state.errors ?? null,
          failed_count: state.failed_count ?? null,
        }
        : undefined
    ),
    Effect.catch((error) =>
      Effect.succeed(
        error._tag === "KlaviyoApiError" && error.status === 404
          ? { _tag: "Ended" as const, status: "expired" as const, errors: null, failed_count: null }
          : { _tag: "Lost" as const, reason: error.message },
      )
    ),
  )
  const loop: Effect.Effect<typeof Watched.Type, never, KlaviyoClient> = Effect.flatMap(
    once,
    (result) => result === undefined ? Effect.andThen(Effect.sleep(interval), loop) : Effect.succeed(result),
  )
  return loop
}

/** The outcomes of a chunk whose POST created no job (or may have). */
const notCreated = (
  chunk: PlannedJob,
  posted: Extract<typeof Posted.Type, { readonly _tag: "NotCreated" }>,
): ReadonlyArray<BulkWriteOutcome> =>
  chunk.records.map((entry): BulkWriteOutcome => {
    const base = {
      index: entry.index,
      ...(entry.key === undefined ? {} : { key: entry.key }),
      record: entry.record,
    }
    const errors = posted.errors as ReadonlyArray<BulkJobError>
    return posted.mayExist
      ? {
        outcome: "unknown",
        ...base,
        reason:
          `the POST of its job may have created a job although it failed (${posted.reason}): look for the job before submitting the record again`,
        errors,
      }
      : { outcome: "failed", ...base, reason: `its job was not created: ${posted.reason}`, errors }
  })

/** A chunk's job, posted and watched to its end as two activities: its outcomes and unjoined errors. */
export const runJob = (
  spec: KindSpec,
  chunk: PlannedJob,
  interval: Duration.Duration,
  onEvent: (event: WriteEvent) => void = () => {},
): Effect.Effect<
  {
    readonly job: string | undefined
    readonly outcomes: ReadonlyArray<BulkWriteOutcome>
    readonly unjoined: ReadonlyArray<BulkJobError>
  },
  never,
  KlaviyoClient | WorkflowEngine | WorkflowInstance
> =>
  Effect.gen(function* () {
    const posted = yield* Activity.make({
      name: `post/${chunk.seq}`,
      success: Posted,
      execute: post(spec, chunk),
    })
    const job = posted._tag === "Created" ? posted.job : undefined
    onEvent({ _tag: "Posted", seq: chunk.seq, records: chunk.records.length, job })
    if (posted._tag === "NotCreated") {
      return { job: undefined, outcomes: notCreated(chunk, posted), unjoined: [] }
    }
    const watched = yield* Activity.make({
      name: `watch/${chunk.seq}`,
      success: Watched,
      execute: watch(spec, posted.job, interval),
    })
    const finished: FinishedJob = watched._tag === "Ended"
      ? {
        id: posted.job,
        status: watched.status,
        errors: watched.errors as ReadonlyArray<BulkJobError> | null,
        failed_count: watched.failed_count,
      }
      : { id: posted.job, status: "expired" }
    const joined = joinJob(chunk, finished)
    if (watched._tag === "Lost") {
      const reason =
        `watching job ${posted.job} failed (${watched.reason}): what became of this record is not known`
      return {
        job: posted.job,
        outcomes: joined.outcomes.map((o) => o.outcome === "unknown" ? { ...o, reason } : o),
        unjoined: [],
      }
    }
    return { job: posted.job, ...joined }
  })
