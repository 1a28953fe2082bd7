/**
 * Where `watch` shows progress: a live bar redrawn in place on a terminal (with `log-update`),
 * or one plain line per change when the output is a pipe or a file.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import { createLogUpdate } from "log-update"
import type { BulkJobStatus } from "../mod.ts"
import { renderLine, renderLive, type ShownProgress } from "./render.ts"

/** One observation, as the display needs it. */
export interface Observation {
  readonly status: BulkJobStatus
  readonly progress: ShownProgress
  readonly at: Date
}

/** A progress display. */
export interface Display {
  /** A new observation of the job. */
  readonly show: (observation: Observation) => void
  /** Time passes with no new observation (a terminal redraws its clock and the time left). */
  readonly tick: () => void
  /** The watch is over: keep what is shown, and free the terminal. */
  readonly close: () => void
}

/** The output stream, as much of it as the display uses. */
export interface Output {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

/** The time left, counted down since the observation that estimated it. */
const ageRemaining = (progress: ShownProgress, at: Date, now: number): ShownProgress =>
  progress.remaining === null ? progress : {
    ...progress,
    remaining: Duration.millis(Math.max(0, Duration.toMillis(progress.remaining) - (now - at.getTime()))),
  }

/** A bar redrawn in place; `now` is the wall clock (a parameter for tests). */
export const liveDisplay = (
  output: typeof process.stdout,
  started: number,
  now: () => number = Date.now,
): Display => {
  const update = createLogUpdate(output)
  let last: Observation | undefined
  let closed = false
  const draw = () => {
    if (last === undefined) return
    const time = now()
    const progress = last.status === "processing" ? ageRemaining(last.progress, last.at, time) : last.progress
    update(renderLive(progress, last.status, Duration.millis(time - started), output.columns ?? 80))
  }
  return {
    show: (observation) => {
      last = observation
      if (!closed) draw()
    },
    tick: () => {
      if (!closed) draw()
    },
    close: () => {
      if (closed) return
      closed = true
      draw()
      update.done()
    },
  }
}

/** One line per observation, nothing else. */
export const plainDisplay = (output: Output): Display => ({
  show: (observation) => {
    output.write(`${renderLine(observation.progress, observation.status, observation.at)}\n`)
  },
  tick: () => {},
  close: () => {},
})
