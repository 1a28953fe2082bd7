/**
 * What a running write reads outside its workflows' payloads: its records and callbacks (never
 * persisted), by write id, for the write's workflow and its groups' (see group.ts).
 *
 * @internal
 */
import type * as Stream from "effect/Stream"
import { InvalidRequest } from "../errors.ts"
import type { WriteEvent } from "./events.ts"
import type { InFlightCapShape } from "./in-flight.ts"
import type { KindSpec } from "./kind.ts"
import type { BulkWriteOutcome } from "./outcome.ts"
import type { PollBounds } from "./watch-job.ts"

/** A write running in this process. */
export interface Running {
  readonly spec: KindSpec
  readonly records: Stream.Stream<unknown, unknown, never>
  readonly onOutcome: ((outcome: BulkWriteOutcome) => void) | undefined
  readonly cap: InFlightCapShape | undefined
  readonly onEvent: (event: WriteEvent) => void
  /**
   * The bounds of the polls, one object for the whole run of the write: what the watch learns of
   * its jobs' durations is kept by it (watch-job.ts), so every group of the write shares it.
   */
  readonly bounds: PollBounds
  /**
   * `true` when the write runs on the `WorkflowEngine.layerMemory` it brought itself: each group
   * then runs on a memory engine of its own, dropped (with its activities' results) when the
   * group ends. Otherwise the groups run on the write's engine, as its children.
   */
  readonly ownMemoryEngine: boolean
}

/** The writes running in this process, by id. */
export const running: Map<string, Running> = /* @__PURE__ */ new Map<string, Running>()

/** A write started while the same write runs in this process. */
export const alreadyRunning = (id: string): InvalidRequest =>
  new InvalidRequest({ input: "records", reason: `the write ${id} is already running` })
