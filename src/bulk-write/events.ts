/**
 * What a running bulk write tells about its jobs, besides each record's outcome (`onOutcome`):
 * a job posted (or not), a job ended. The progress stream (progress.ts) counts them; a caller
 * listens by providing {@link WriteEvents}. Emitted outside the activities, so that a replay
 * of a durable write emits them again for the jobs it had already run.
 *
 * @internal
 */
import * as Context from "effect/Context"

/** One event of a running write. */
export type WriteEvent =
  | {
    /** A chunk's POST is over: `job` the job it created, `undefined` when it created none (or may have). */
    readonly _tag: "Posted"
    readonly seq: number
    readonly records: number
    readonly job: string | undefined
  }
  | {
    /** A chunk is done: every record of it has its outcome. */
    readonly _tag: "Ended"
    readonly seq: number
    readonly records: number
    readonly job: string | undefined
  }

/** Where a write sends its events: nowhere by default. */
export const WriteEvents: Context.Reference<(event: WriteEvent) => void> = /* @__PURE__ */ Context.Reference<
  (event: WriteEvent) => void
>("effect-klaviyo/bulkWrite/WriteEvents", { defaultValue: () => () => {} })
