/**
 * The modules a bulk write runs on, loaded when the first write runs rather than when the
 * library is imported: execution.ts, its workflows (the write's, its groups' in group.ts, the
 * jobs' activities in job.ts) and with them effect/workflow, a large part of the import time of
 * the modules the library uses. The same pattern as `BulkWriteEngine.layerSql` for
 * effect/cluster (engine.ts). The modules' types are imported as types only.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Execution from "./execution.ts"

let loading: Promise<typeof Execution> | undefined

/**
 * The write's execution module, imported once (a failed import is tried again by the next
 * write): a defect when it cannot be loaded.
 */
export const workflowModules: Effect.Effect<typeof Execution> = Effect.promise(() =>
  loading ??= import("./execution.ts").catch((error: unknown) => {
    loading = undefined
    throw error
  })
)
