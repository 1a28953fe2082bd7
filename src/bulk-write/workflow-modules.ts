/**
 * The effect/workflow modules a bulk write runs on, loaded when the first write runs rather than
 * when the library is imported (they are a large part of the import time of the modules the
 * library uses): the same pattern as `BulkWriteEngine.layerSql` for effect/cluster (engine.ts).
 * The write's workflows are made from them once (execution.ts, group.ts, job.ts take them as
 * arguments and import effect/workflow as types only, so that they call nothing of it at import).
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Activity from "effect/workflow/Activity"
import type * as Workflow from "effect/workflow/Workflow"
import type * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import { type Execution, makeExecution } from "./execution.ts"

/** The effect/workflow modules the write's workflows are made with. */
export interface WorkflowModules {
  readonly Workflow: typeof Workflow
  readonly WorkflowEngine: typeof WorkflowEngine
  readonly Activity: typeof Activity
}

let loading: Promise<Execution> | undefined

/**
 * The write's workflows, made once from effect/workflow's modules imported on the first call (a
 * failed import is tried again by the next write): a defect when they cannot be loaded.
 */
export const loadExecution = (): Effect.Effect<Execution> =>
  Effect.promise(() =>
    loading ??= Promise.all([
      import("effect/workflow/Workflow"),
      import("effect/workflow/WorkflowEngine"),
      import("effect/workflow/Activity"),
    ]).then(
      ([Workflow, WorkflowEngine, Activity]) => makeExecution({ Workflow, WorkflowEngine, Activity }),
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
  )
