/**
 * The `WorkflowEngine` the `write` command runs its bulk write on.
 *
 * @module
 */
import type * as Layer from "effect/Layer"
import * as WorkflowEngine from "effect/workflow/WorkflowEngine"

/** The engine of `write`: in memory for now (a write resumes only within the process). */
// The durable SQLite engine (src/bulk-write/DURABILITY.md) replaces this layer, so that re-running the same command resumes.
export const engineLayer: Layer.Layer<WorkflowEngine.WorkflowEngine> = WorkflowEngine.layerMemory

/** Whether {@link engineLayer} keeps a write across processes (so that the same command resumes it). */
export const engineIsDurable: boolean = false
