/**
 * One job of a bulk write, as three activities of its workflow: the intent to post the chunk
 * (its time, and the process that wrote it), the guarded POST of the chunk, and the watch of the
 * job to its end. Each returns plain data (its result is what a durable engine stores), and the
 * chunk's outcomes are computed from those results, so a replay computes the same outcomes
 * without calling Klaviyo again.
 *
 * The guard: an activity is at least once (a run killed before its result was stored runs
 * again). The POST is sent at once only by the process that wrote the intent, the first time it
 * runs; any other run (after a crash, after an interrupt) first looks for the job that an
 * earlier run may have created (see reconcile.ts), and adopts it instead of posting again. A
 * POST that fails saying the job may exist is reconciled the same way before it is retried.
 *
 * The activities are made by `makeRunJob` with effect/workflow's modules, which `bulkWrite` loads
 * when it runs (see workflow-modules.ts): nothing here calls effect/workflow at import.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { WorkflowEngine, WorkflowInstance } from "effect/workflow/WorkflowEngine"
import type { KlaviyoClient } from "../client.ts"
import { encodedPost } from "../endpoints/create.ts"
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { WriteEvent } from "./events.ts"
import { type FinishedJob, joinJob } from "./join.ts"
import type { KindSpec } from "./kind.ts"
import type { BulkWriteOutcome } from "./outcome.ts"
import type { PlannedJob } from "./plan.ts"
import { reconcile } from "./reconcile.ts"
import { observePost, type PollBounds, type PostTimes, watchToEnd } from "./watch-job.ts"
import type { WorkflowModules } from "./workflow-modules.ts"
import { lazy } from "../internal/lazy.ts"

/** Told of each job a POST created: when it was sent and answered, and the job's `created_at`. */
type OnCreated = (times: PostTimes) => void

const Intent = /* @__PURE__ */ Schema.Struct({
  /** When the intent was written (ms since the epoch, this process's clock). */
  at: Schema.Number,
  /** The process that wrote it. */
  token: Schema.String,
})

/**
 * This process, as the intents it writes name it: drawn on first use, not at import (reading
 * `globalThis.crypto` loads Node's Web Crypto, about 4 ms of the library's cold import).
 */
const processToken: () => string = /* @__PURE__ */ lazy(() => globalThis.crypto.randomUUID())

/** The POST activities this process has started (execution id and chunk). */
const attempted = /* @__PURE__ */ new Set<string>()

/** How many times a POST that may have created its job is sent again when no job is found. */
const maxResends = 2

const Posted = /* @__PURE__ */ Schema.Union([
  /* @__PURE__ */ Schema.Struct({ _tag: /* @__PURE__ */ Schema.Literal("Created"), job: Schema.String }),
  /* @__PURE__ */ Schema.Struct({
    _tag: /* @__PURE__ */ Schema.Literal("NotCreated"),
    /** `true` when Klaviyo may have acted on the POST (a 5xx, a timeout, a reset after sending). */
    mayExist: Schema.Boolean,
    reason: Schema.String,
    errors: /* @__PURE__ */ Schema.Array(Schema.Unknown),
  }),
])

const Watched = /* @__PURE__ */ Schema.Union([
  /* @__PURE__ */ Schema.Struct({
    _tag: /* @__PURE__ */ Schema.Literal("Ended"),
    status: /* @__PURE__ */ Schema.Literals(["complete", "cancelled", "expired"]),
    errors: /* @__PURE__ */ Schema.NullOr(/* @__PURE__ */ Schema.Array(Schema.Unknown)),
    failed_count: /* @__PURE__ */ Schema.NullOr(Schema.Number),
  }),
  /* @__PURE__ */ Schema.Struct({ _tag: /* @__PURE__ */ Schema.Literal("Lost"), reason: Schema.String }),
])

/**
 * The POST of a chunk, never failing: the job's id, or why it was not created. The body the plan
 * encoded is sent as it is; without it (let go after an earlier POST) the records are checked
 * and encoded again by the row's POST.
 */
const post = (
  spec: KindSpec,
  chunk: PlannedJob,
  onCreated: OnCreated,
): Effect.Effect<typeof Posted.Type, never, KlaviyoClient> =>
  Effect.suspend(() => {
    const body = chunk.body?.text
    return body === undefined
      ? spec.post(chunk.records.map((entry) => entry.record))
      : encodedPost(spec.row)(body, chunk.records.length)
  }).pipe(
    Effect.timed,
    Effect.flatMap(([took, job]) =>
      Effect.map(Clock.currentTimeMillis, (answeredAt) => {
        const created: unknown = (job as { readonly created_at?: unknown }).created_at
        onCreated({
          sentAt: answeredAt - Duration.toMillis(took),
          answeredAt,
          createdAt: created instanceof Date ? created.getTime() : undefined,
        })
        return { _tag: "Created" as const, job: job.id }
      })
    ),
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

/**
 * The POST of a chunk, guarded by its intent: sent at once only on the first run in the process
 * that wrote the intent; otherwise, and after a POST that may have created its job, the job is
 * looked for first and adopted when found.
 */
const guardedPost = (
  spec: KindSpec,
  chunk: PlannedJob,
  intent: typeof Intent.Type,
  key: string,
  onCreated: OnCreated,
): Effect.Effect<typeof Posted.Type, never, KlaviyoClient> =>
  Effect.gen(function* () {
    const fresh = intent.token === processToken() && !attempted.has(key)
    attempted.add(key)
    // The job an earlier POST created (adopted), `undefined` when there is none, or, when the
    // list cannot be read, a `NotCreated` that may exist: never a POST without knowing.
    const look: Effect.Effect<typeof Posted.Type | undefined, never, KlaviyoClient> = reconcile(
      spec,
      chunk,
      intent.at,
    ).pipe(
      Effect.map(Option.match({
        onNone: () => undefined,
        onSome: (job) => ({ _tag: "Created" as const, job }),
      })),
      Effect.catch((error) =>
        Effect.succeed({
          _tag: "NotCreated" as const,
          mayExist: true,
          reason:
            `an earlier POST of its job may have created it, and listing the jobs to find out failed: ${error.message}`,
          errors: [],
        })
      ),
    )
    if (!fresh) {
      const found = yield* look
      if (found !== undefined) return found
    }
    let result: typeof Posted.Type = yield* post(spec, chunk, onCreated)
    for (let resend = 0; result._tag === "NotCreated" && result.mayExist && resend < maxResends; resend++) {
      const found = yield* look
      if (found?._tag === "NotCreated") return { ...result, reason: `${result.reason}; ${found.reason}` }
      if (found !== undefined) return found
      result = yield* post(spec, chunk, onCreated)
    }
    return result
  }).pipe(
    // The body is not needed once the POST is over (another run of it encodes it again).
    Effect.ensuring(Effect.sync(() => {
      if (chunk.body !== undefined) chunk.body.text = undefined
    })),
  )

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

/** What `makeRunJob` makes: a chunk's job run to its end, its outcomes and unjoined errors. */
export type RunJob = (
  spec: KindSpec,
  chunk: PlannedJob,
  bounds: PollBounds,
  onEvent?: (event: WriteEvent) => void,
) => Effect.Effect<
  {
    readonly job: string | undefined
    readonly outcomes: ReadonlyArray<BulkWriteOutcome>
    readonly unjoined: ReadonlyArray<BulkJobError>
  },
  never,
  KlaviyoClient | WorkflowEngine | WorkflowInstance
>

/**
 * A chunk's job, posted and watched to its end as activities of the workflow in context (made
 * with the effect/workflow modules `bulkWrite` loaded).
 */
export const makeRunJob = ({ Activity, WorkflowEngine }: WorkflowModules): RunJob =>
(
  spec,
  chunk,
  bounds,
  onEvent = () => {},
) =>
  Effect.gen(function* () {
    const instance = yield* WorkflowEngine.WorkflowInstance
    const intent = yield* Activity.make({
      name: `intent/${chunk.seq}`,
      success: Intent,
      execute: Effect.map(Clock.currentTimeMillis, (at) => ({ at, token: processToken() })),
    })
    const key = `${instance.executionId}/${chunk.seq}`
    // When this run's POST was sent and answered (this process's clock) and the job created
    // (Klaviyo's): the watch's first poll counts from them. Unknown when the POST ran elsewhere.
    let created: PostTimes | undefined
    const posted = yield* Activity.make({
      name: `post/${chunk.seq}`,
      success: Posted,
      execute: guardedPost(spec, chunk, intent, key, (times) => {
        created = times
        observePost(bounds, times)
      }),
    })
    // Its result is stored: the POST never runs again (the set would otherwise grow by a job).
    attempted.delete(key)
    const job = posted._tag === "Created" ? posted.job : undefined
    onEvent({ _tag: "Posted", seq: chunk.seq, records: chunk.records.length, job })
    if (posted._tag === "NotCreated") {
      return { job: undefined, outcomes: notCreated(chunk, posted), unjoined: [] }
    }
    const watched = yield* Activity.make({
      name: `watch/${chunk.seq}`,
      success: Watched,
      execute: watchToEnd(spec, posted.job, bounds, { records: chunk.records.length, posted: created }),
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
