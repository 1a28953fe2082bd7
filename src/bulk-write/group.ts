/**
 * The groups of a bulk write: every `groups.jobs` consecutive jobs run as a workflow of their
 * own, a child of the write's, whose result is what its jobs came to, compact (per job: its id,
 * its records' indexes and keys when written, its other outcomes and errors as they are). The
 * write's workflow keeps one result per group, not three per job, so that what an engine holds
 * for a write, and what a resumed write replays, follows the number of groups: a finished
 * group's activities are never read again. The write builds its report from the groups'
 * results, and for a group finished before this run (read from storage), tells its outcomes
 * and events again from them, as a replay of its jobs would. On the
 * `WorkflowEngine.layerMemory` the write brings itself, which keeps every activity's result
 * until the engine is dropped, each group runs on a memory engine of its own, dropped when the
 * group ends.
 *
 * The jobs reach a group through an in-memory feed (records are never persisted): the write
 * takes one of its `maxInFlight` permits before handing each job over, in input order, and the
 * group gives it back when the job ends, so that `maxInFlight` jobs stay in flight across the
 * groups' boundaries. A group already finished in storage (a resumed write) gives back every
 * permit at once.
 *
 * The group's workflow is made by `makeGroups` with effect/workflow's modules, which `bulkWrite`
 * loads when it runs (see workflow-modules.ts).
 *
 * @internal
 */
import type * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Queue from "effect/Queue"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import type * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import type { KlaviyoClient } from "../client.ts"
import { withInFlightSlot } from "./in-flight.ts"
import { makeRunJob } from "./job.ts"
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { BulkWriteOutcome } from "./outcome.ts"
import type { Planned, PlannedJob, RefusedRecord } from "./plan.ts"
import { resumeIfStopped, storedState } from "./resume.ts"
import { type Running, running } from "./running.ts"
import type { WorkflowModules } from "./workflow-modules.ts"

/** Jobs a group: 10,000 records of 100 per job (tests set fewer). */
export const groups: { jobs: number } = { jobs: 100 }

/**
 * What one job of a group came to, as the engine stores it: built with the group's workflow, on
 * first use, not at import.
 */
const makeJobResult = () =>
  Schema.Struct({
    seq: Schema.Number,
    records: Schema.Number,
    job: Schema.NullOr(Schema.String),
    /** The records written: index and key. */
    succeeded: Schema.Array(Schema.Tuple([Schema.Number, Schema.NullOr(Schema.String)])),
    /** The other outcomes, as they are (JSON). */
    others: Schema.Array(Schema.Unknown),
    unjoined: Schema.Array(Schema.Unknown),
  })

type JobResult = ReturnType<typeof makeJobResult>["Type"]

type Done = Effect.Success<ReturnType<ReturnType<typeof makeRunJob>>>

/** A finished job's result, from what `runJob` gave. */
const jobResult = (planned: PlannedJob, done: Done): JobResult => {
  const succeeded: Array<readonly [number, string | null]> = []
  const others: Array<BulkWriteOutcome> = []
  for (const outcome of done.outcomes) {
    if (outcome.outcome === "succeeded") succeeded.push([outcome.index, outcome.key ?? null])
    else others.push(outcome)
  }
  return {
    seq: planned.seq,
    records: planned.records.length,
    job: done.job ?? null,
    succeeded,
    others,
    unjoined: done.unjoined,
  }
}

/** The outcomes of a job's result, as `runJob` gave them (written ones first). */
const outcomesOf = (result: JobResult): Array<BulkWriteOutcome> => {
  const outcomes: Array<BulkWriteOutcome> = []
  if (result.job !== null) {
    for (const [index, key] of result.succeeded) {
      outcomes.push({ outcome: "succeeded", index, ...(key === null ? {} : { key }), job: result.job })
    }
  }
  for (const other of result.others) outcomes.push(other as BulkWriteOutcome)
  return outcomes
}

/** What a group takes from its write's payload. */
export interface WriteSettings {
  readonly id: string
  readonly maxInFlight: number
  readonly pollMillis: number
  readonly pollMaxMillis: number
}

/** A group's jobs as the write hands them over, and how the group gives back a job's permit. */
interface Feed {
  readonly jobs: Queue.Queue<PlannedJob, Cause.Done>
  readonly ended: Effect.Effect<void>
  /** The group's body took the feed in this process: it tells its outcomes and events itself. */
  readonly taken: () => void
}

/** The feeds of the groups running in this process, by write id and group. */
const feeds = /* @__PURE__ */ new Map<string, Deferred.Deferred<Feed>>()

const feedOf = (key: string): Deferred.Deferred<Feed> => {
  let feed = feeds.get(key)
  if (feed === undefined) {
    feed = Deferred.makeUnsafe<Feed>()
    feeds.set(key, feed)
  }
  return feed
}

/** The state of a group on the write's side. */
interface Open {
  readonly group: number
  readonly jobs: Queue.Queue<PlannedJob, Cause.Done>
  /** Jobs handed over, and jobs whose permit the group gave back. */
  fed: number
  ended: number
  finished: boolean
  /** Whether the group's body ran in this process (else its result was read from storage). */
  taken: boolean
}

/** What the groups of a write are, made with the effect/workflow modules `bulkWrite` loaded. */
export interface Groups {
  /** Registers the group workflow on the engine in context. */
  readonly registerGroups: Effect.Effect<
    void,
    never,
    WorkflowEngine.WorkflowEngine | KlaviyoClient | Scope.Scope
  >
  /**
   * The write's side: each planned job handed to its group (a group's workflow started at its
   * first job), `onRefused` called for each refused record, `onJob` with each job's end (after its
   * outcomes, told again for a group read from storage).
   */
  readonly runGroups: (
    write: Running,
    settings: WriteSettings,
    planned: Stream.Stream<Planned, unknown>,
    onRefused: (refused: RefusedRecord) => void,
    onJob: (
      job: string | undefined,
      outcomes: ReadonlyArray<BulkWriteOutcome>,
      unjoined: ReadonlyArray<BulkJobError>,
    ) => void,
  ) => Effect.Effect<void, unknown, WorkflowEngine.WorkflowEngine | KlaviyoClient>
}

/** The group workflow and the write's side of it, over the effect/workflow modules given. */
export const makeGroups = (modules: WorkflowModules): Groups => {
  const { Workflow, WorkflowEngine } = modules
  const runJob = makeRunJob(modules)

  const BulkWriteGroup = Workflow.make("effect-klaviyo/bulkWrite/group", {
    payload: {
      id: Schema.String,
      maxInFlight: Schema.Number,
      pollMillis: Schema.Number,
      pollMaxMillis: Schema.Number,
      group: Schema.Number,
    },
    success: Schema.Array(makeJobResult()),
    idempotencyKey: (payload) => `${payload.id}/${payload.group}`,
  })

  /** The body of a group's workflow: its jobs, as the write hands them over, each run to its end. */
  const executeGroup = (payload: typeof BulkWriteGroup.payloadSchema.Type) =>
    Effect.gen(function* () {
      const write = running.get(payload.id)
      if (write === undefined) {
        // Resumed by an engine in a process where the write is not running: it waits, suspended,
        // for the write to run here (which executes this group again).
        return yield* Workflow.suspend(yield* WorkflowEngine.WorkflowInstance)
      }
      // The write hands the feed over when its plan reaches this group.
      const feed = yield* Deferred.await(feedOf(`${payload.id}/${payload.group}`))
      feed.taken()
      const results: Array<JobResult> = []
      const bounds = write.bounds
      yield* Stream.fromQueue(feed.jobs).pipe(
        Stream.mapEffect((planned) =>
          withInFlightSlot(write.cap, payload.maxInFlight, runJob(write.spec, planned, bounds, write.onEvent))
            .pipe(
              Effect.map((done) => {
                results.push(jobResult(planned, done))
                for (const outcome of done.outcomes) write.onOutcome?.(outcome)
                write.onEvent({
                  _tag: "Ended",
                  seq: planned.seq,
                  records: planned.records.length,
                  job: done.job,
                })
              }),
              Effect.ensuring(feed.ended),
            ), { concurrency: "unbounded", unordered: true }),
        Stream.runDrain,
      )
      return results.sort((a, b) =>
        a.seq - b.seq
      )
    })

  /** Registers the group workflow on the engine in context. */
  const registerGroups: Effect.Effect<
    void,
    never,
    WorkflowEngine.WorkflowEngine | KlaviyoClient | Scope.Scope
  > = Effect.flatMap(
    WorkflowEngine.WorkflowEngine,
    (engine) => engine.register(BulkWriteGroup, executeGroup),
  )

  /** Runs one group to its end: on the write's engine, or on a memory engine of its own. */
  const executeChild = (
    write: Running,
    settings: WriteSettings,
    group: number,
  ): Effect.Effect<ReadonlyArray<JobResult>, never, WorkflowEngine.WorkflowEngine | KlaviyoClient> => {
    const payload = { ...settings, group }
    if (write.ownMemoryEngine) {
      return Effect.scoped(Effect.andThen(registerGroups, BulkWriteGroup.execute(payload))).pipe(
        Effect.provide(Layer.fresh(WorkflowEngine.layerMemory)),
      )
    }
    // The write's engine may hold this group stopped by an earlier run (see resume.ts).
    return Effect.gen(function* () {
      const executionId = yield* BulkWriteGroup.executionId(payload)
      yield* resumeIfStopped(BulkWriteGroup, executionId, yield* storedState(BulkWriteGroup, executionId))
      return yield* BulkWriteGroup.execute(payload)
    })
  }

  /** The write's side (see {@link Groups.runGroups}). */
  const runGroups: Groups["runGroups"] = (write, settings, planned, onRefused, onJob) =>
    Effect.gen(function* () {
      const permits = yield* Semaphore.make(settings.maxInFlight)
      const children: Array<Fiber.Fiber<void>> = []
      let current: Open | undefined
      const open = Effect.fnUntraced(function* (group: number) {
        const state: Open = {
          group,
          jobs: yield* Queue.make<PlannedJob, Cause.Done>(),
          fed: 0,
          ended: 0,
          finished: false,
          taken: false,
        }
        const key = `${settings.id}/${group}`
        yield* Deferred.succeed(feedOf(key), {
          jobs: state.jobs,
          ended: Effect.suspend(() => {
            if (state.finished) return Effect.void
            state.ended++
            return Effect.asVoid(Semaphore.release(permits, 1))
          }),
          taken: () => (state.taken = true),
        })
        const child = yield* executeChild(write, settings, group).pipe(
          Effect.flatMap((results) =>
            Effect.suspend(() => {
              state.finished = true
              feeds.delete(key)
              for (const result of results) {
                const job = result.job ?? undefined
                const outcomes = outcomesOf(result)
                if (!state.taken) {
                  write.onEvent({ _tag: "Posted", seq: result.seq, records: result.records, job })
                  for (const outcome of outcomes) write.onOutcome?.(outcome)
                  write.onEvent({ _tag: "Ended", seq: result.seq, records: result.records, job })
                }
                onJob(job, outcomes, result.unjoined as ReadonlyArray<BulkJobError>)
              }
              return Effect.asVoid(Semaphore.release(permits, state.fed - state.ended))
            })
          ),
          // A run stopped before the group ended leaves no feed for the next run to find.
          Effect.ensuring(Effect.sync(() => feeds.delete(key))),
          Effect.forkChild,
        )
        children.push(child)
        return state
      })
      const hand = Effect.fnUntraced(function* (job: PlannedJob) {
        const group = Math.floor(job.seq / groups.jobs)
        if (current === undefined || current.group !== group) {
          if (current !== undefined) yield* Queue.end(current.jobs)
          current = yield* open(group)
        }
        const state = current
        yield* Semaphore.take(permits, 1)
        if (state.finished) {
          yield* Semaphore.release(permits, 1)
          return
        }
        state.fed++
        yield* Queue.offer(state.jobs, job)
        // The plan is work for the CPU: without a yield, it would plan every job it has permits
        // for before the group (a fiber of its own) could post the first.
        yield* Effect.yieldNow
      })
      yield* planned.pipe(
        Stream.runForEach((next) =>
          next._tag === "Refused" ? Effect.sync(() => onRefused(next)) : hand(next)
        ),
      )
      if (current !== undefined) yield* Queue.end(current.jobs)
      yield* Fiber.joinAll(children)
    })

  return { registerGroups, runGroups }
}
