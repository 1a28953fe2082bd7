/**
 * The workflow of a bulk write: its definition (an effect/workflow `Workflow` whose groups are
 * child workflows, see group.ts), its body, and the run of one write on the engine in context
 * (`WorkflowEngine.layerMemory` when there is none), made by `makeExecution` with effect/workflow's
 * modules, which `bulkWrite` loads when it runs (see workflow-modules.ts): importing the library
 * calls nothing of effect/workflow.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import type { WriteEvent } from "./events.ts"
import { makeGroups } from "./group.ts"
import type { InFlightCapShape } from "./in-flight.ts"
import type { KindSpec } from "./kind.ts"
import { type BulkWriteOutcome, makeReportBuilder } from "./outcome.ts"
import type { BulkJobError } from "../resources/bulk-job.ts"
import { checkAccess } from "./preflight.ts"
import { plan, type RefusedRecord } from "./plan.ts"
import { resumeIfStopped, storedState } from "./resume.ts"
import { alreadyRunning, running } from "./running.ts"
import type { PollBounds } from "./watch-job.ts"
import type { WorkflowModules } from "./workflow-modules.ts"

/** The report as the engine stores it (records and errors are JSON as they came). */
const Report = /* @__PURE__ */ Schema.Struct({
  kind: /* @__PURE__ */ Schema.Struct({
    resource: /* @__PURE__ */ Schema.Literals(["catalog-item", "catalog-variant", "catalog-category"]),
    operation: /* @__PURE__ */ Schema.Literals(["create", "update", "delete"]),
  }),
  records: Schema.Number,
  succeeded: Schema.Number,
  failed: /* @__PURE__ */ Schema.Array(Schema.Unknown),
  unknown: /* @__PURE__ */ Schema.Array(Schema.Unknown),
  jobs: Schema.Number,
  jobErrors: /* @__PURE__ */ Schema.Array(Schema.Unknown),
})

/** What `bulkWrite` hands over to run a write whose options it has checked. */
export interface WriteRun {
  readonly id: string
  readonly spec: KindSpec
  readonly maxInFlight: number
  readonly bounds: PollBounds
  readonly source: Stream.Stream<unknown, never, never>
  /** Fails with the records' failure: the run then stops, with nothing stored. */
  readonly stopped: Effect.Effect<never, unknown>
  readonly onOutcome: ((outcome: BulkWriteOutcome) => void) | undefined
  readonly cap: InFlightCapShape | undefined
  readonly onEvent: (event: WriteEvent) => void
}

/** What `bulkWrite` runs a write with, made with the effect/workflow modules it loaded. */
export interface Execution {
  /**
   * Runs one write to its end on the engine in context (`WorkflowEngine.layerMemory` when there
   * is none): its exit, the report (as the engine stores it) or why it stopped.
   */
  readonly runWrite: (write: WriteRun) => Effect.Effect<Exit.Exit<unknown, unknown>, never, KlaviyoClient>
}

/** The write's workflow and its run, over the effect/workflow modules given. */
export const makeExecution = (modules: WorkflowModules): Execution => {
  const { Workflow, WorkflowEngine } = modules
  const { registerGroups, runGroups } = makeGroups(modules)

  const BulkWrite = Workflow.make("effect-klaviyo/bulkWrite", {
    payload: {
      id: Schema.String,
      resource: Schema.String,
      operation: Schema.String,
      maxInFlight: Schema.Number,
      pollMillis: Schema.Number,
      pollMaxMillis: Schema.Number,
    },
    success: Report,
    idempotencyKey: (payload) => payload.id,
  })

  /**
   * The body of the workflow: the plan, its jobs run by groups (see group.ts) with at most
   * `maxInFlight` at once, the report merged from the groups' reports and the refused records.
   */
  const execute = (payload: typeof BulkWrite.payloadSchema.Type) =>
    Effect.gen(function* () {
      const write = running.get(payload.id)
      if (write === undefined) {
        // An engine resuming a write whose records are not in this process (nobody asked for it
        // here): it waits, suspended, for a `bulkWrite` with the same id to bring them.
        return yield* Workflow.suspend(yield* WorkflowEngine.WorkflowInstance)
      }
      const report = makeReportBuilder(write.spec.kind)
      const onRefused = (planned: RefusedRecord) => {
        const outcome: BulkWriteOutcome = {
          outcome: "failed",
          index: planned.index,
          ...(planned.key === undefined ? {} : { key: planned.key }),
          record: planned.record,
          reason: planned.error.reason,
          errors: [],
          refused: planned.refusal,
          ...(planned.duplicateOf === undefined ? {} : { duplicateOf: planned.duplicateOf }),
        }
        report.add(outcome)
        write.onOutcome?.(outcome)
      }
      const settings = {
        id: payload.id,
        maxInFlight: payload.maxInFlight,
        pollMillis: payload.pollMillis,
        pollMaxMillis: payload.pollMaxMillis,
      }
      const onJob = (
        job: string | undefined,
        outcomes: ReadonlyArray<BulkWriteOutcome>,
        unjoined: ReadonlyArray<BulkJobError>,
      ) => {
        if (job !== undefined) report.addJob(job, unjoined)
        for (const outcome of outcomes) report.add(outcome)
      }
      yield* runGroups(write, settings, plan(write.spec, write.records), onRefused, onJob).pipe(Effect.orDie)
      return report.report()
    })

  /**
   * Runs one write to its end on the engine in context (`WorkflowEngine.layerMemory` when there
   * is none): its exit, the report (as the engine stores it) or why it stopped.
   */
  const runWrite = (write: WriteRun): Effect.Effect<Exit.Exit<unknown, unknown>, never, KlaviyoClient> =>
    Effect.gen(function* () {
      const engineInContext = yield* Effect.serviceOption(WorkflowEngine.WorkflowEngine)
      const payload = {
        id: write.id,
        resource: write.spec.kind.resource,
        operation: write.spec.kind.operation,
        maxInFlight: write.maxInFlight,
        pollMillis: write.bounds.min,
        pollMaxMillis: write.bounds.max,
      }
      let registered = false
      const run = Effect.gen(function* () {
        // A write that has not finished first checks the key (a finished one sends nothing). Its
        // stored state is read before the workflow is registered: registered, an engine resumes it.
        const executionId = yield* BulkWrite.executionId(payload)
        const stored = yield* storedState(BulkWrite, executionId)
        if (stored !== "complete") yield* checkAccess(write.spec)
        if (running.has(write.id)) return yield* Effect.fail(alreadyRunning(write.id))
        registered = true
        running.set(write.id, {
          spec: write.spec,
          records: write.source,
          onOutcome: write.onOutcome,
          cap: write.cap,
          onEvent: write.onEvent,
          bounds: { min: write.bounds.min, max: write.bounds.max },
          ownMemoryEngine: Option.isNone(engineInContext),
        })
        const engine = yield* WorkflowEngine.WorkflowEngine
        yield* engine.register(BulkWrite, execute)
        yield* registerGroups
        yield* resumeIfStopped(BulkWrite, executionId, stored)
        // Records that failed: the workflow is left as it is, and stopped with the engine's scope.
        return yield* Effect.raceFirst(BulkWrite.execute(payload), write.stopped)
      })
      const provided = Option.isSome(engineInContext)
        ? Effect.provideService(run, WorkflowEngine.WorkflowEngine, engineInContext.value)
        : Effect.provide(run, WorkflowEngine.layerMemory)
      const exit = yield* Effect.exit(Effect.scoped(provided))
      if (registered) running.delete(write.id)
      return exit
    })

  return { runWrite }
}
