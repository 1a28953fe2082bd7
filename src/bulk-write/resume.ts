/**
 * A write (or one of its groups) that a records failure stopped, on an engine that outlives the
 * write (the caller's own `WorkflowEngine`, memory or durable, shared by several writes in one
 * process): the next run with the same id resumes it instead of reading the stopped run back.
 * On `WorkflowEngine.layerMemory` a run interrupted from outside leaves no result (its poll dies
 * with the interrupt); a run that suspended itself (resumed where its records were not) is
 * `Suspended`. Both are resumed; a finished one is read back as it is.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as WorkflowEngine from "effect/workflow/WorkflowEngine"

/** The part of a `Workflow` read here (the write's and its groups'). */
interface Resumable {
  readonly poll: (
    executionId: string,
  ) => Effect.Effect<
    Option.Option<{ readonly _tag: "Complete" | "Suspended" }>,
    never,
    WorkflowEngine.WorkflowEngine
  >
  readonly resume: (executionId: string) => Effect.Effect<void, never, WorkflowEngine.WorkflowEngine>
}

/** What an engine holds for an execution. */
export type Stored = "none" | "complete" | "stopped"

/** What the engine in context holds for `executionId`. */
export const storedState = (
  workflow: Resumable,
  executionId: string,
): Effect.Effect<Stored, never, WorkflowEngine.WorkflowEngine> =>
  workflow.poll(executionId).pipe(
    Effect.map((stored): Stored =>
      stored._tag === "None" ? "none" : stored.value._tag === "Complete" ? "complete" : "stopped"
    ),
    // The memory engine's poll of a run interrupted from outside dies with the interruption.
    Effect.catchDefect(() => Effect.succeed<Stored>("stopped")),
  )

/** Resumes `executionId` when the engine holds it stopped (call after registering the workflow). */
export const resumeIfStopped = (
  workflow: Resumable,
  executionId: string,
  stored: Stored,
): Effect.Effect<void, never, WorkflowEngine.WorkflowEngine> =>
  stored === "stopped" ? workflow.resume(executionId) : Effect.void
