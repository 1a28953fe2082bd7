/**
 * The progress of a bulk write as a `Stream`: a `Progress` snapshot each time a job is posted or
 * ends (records submitted, succeeded, failed, unknown, jobs in flight, rate, time left), then
 * `Done` with the report. A progress bar reads it; `bulkWrite` stays the way to get the report
 * alone.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import type { InvalidRequest, KlaviyoApiError } from "../errors.ts"
import { type WriteEvent, WriteEvents } from "./events.ts"
import type { BulkWriteKind, BulkWriteRecordOf } from "./kind.ts"
import type { BulkWriteOutcome, BulkWriteReport } from "./outcome.ts"
import { bulkWrite, type BulkWriteInput, type BulkWriteOptions } from "./write.ts"

/**
 * Where a bulk write stands: every count since it started (a resumed write counts again the
 * jobs it had already run, as it replays them).
 *
 * @example
 * ```ts
 * import type { BulkWriteProgress } from "@effect-klaviyo/catalog-jobs"
 *
 * const line = (p: BulkWriteProgress): string =>
 *   `${p.done}/${p.total ?? "?"} done, ${p.failed} failed, ${p.jobsInFlight} jobs in flight`
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteProgress {
  /** A snapshot while the write runs (also the final counts, in `Done`). */
  readonly _tag: "Progress"
  /** Records in jobs whose POST is over (whether it created the job or not). */
  readonly submitted: number
  /** Records written. */
  readonly succeeded: number
  /** Records not written: refused before sending, or failed in their job. */
  readonly failed: number
  /** Records whose fate is not known. */
  readonly unknown: number
  /** `succeeded + failed + unknown`. */
  readonly done: number
  /** The records to write, when the caller said (`total`); `undefined` otherwise. */
  readonly total: number | undefined
  /** Jobs created so far. */
  readonly jobs: number
  /** Jobs created and not yet ended. */
  readonly jobsInFlight: number
  /** Records done a second since the write started; `null` before the first is done. */
  readonly rate: number | null
  /** The time left at that rate, when `total` is known and the rate measured; `null` otherwise. */
  readonly remaining: Duration.Duration | null
  /** Since the write started. */
  readonly elapsed: Duration.Duration
}

/**
 * The last event of a write's stream: its report, and its progress at the end.
 *
 * @example
 * ```ts
 * import type { BulkWriteDone } from "@effect-klaviyo/catalog-jobs"
 *
 * const allWritten = (done: BulkWriteDone): boolean => done.report.succeeded === done.report.records
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteDone {
  /** The write is over; nothing follows. */
  readonly _tag: "Done"
  /** Its report: one outcome for every record. */
  readonly report: BulkWriteReport
  /** Its counts at the end, taken from the report. */
  readonly progress: BulkWriteProgress
}

/**
 * What {@link bulkWriteStream} emits: `Progress` snapshots, then one `Done`.
 *
 * @example
 * ```ts
 * import type { BulkWriteEvent } from "@effect-klaviyo/catalog-jobs"
 *
 * const counts = (event: BulkWriteEvent): number => (event._tag === "Done" ? event.progress : event).done
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export type BulkWriteEvent = BulkWriteProgress | BulkWriteDone

/**
 * The options of {@link bulkWriteStream}: those of `bulkWrite`, and the number of records when
 * the caller knows it (for the time left).
 *
 * @example
 * ```ts
 * import type { BulkWriteStreamOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: BulkWriteStreamOptions = { id: "nightly", maxInFlight: 20, total: 250_000 }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteStreamOptions extends BulkWriteOptions {
  /** How many records the input holds (a count of a file's lines, say): gives `remaining`. */
  readonly total?: number
}

/** Counts a write's outcomes and events into snapshots. */
export interface ProgressTracker {
  readonly outcome: (outcome: BulkWriteOutcome) => void
  readonly event: (event: WriteEvent) => void
  readonly snapshot: (now: number) => BulkWriteProgress
}

/** A tracker of a write that started at `start` (milliseconds), of `total` records if known. */
export const makeProgressTracker = (start: number, total: number | undefined): ProgressTracker => {
  let submitted = 0
  let succeeded = 0
  let failed = 0
  let unknown = 0
  let jobs = 0
  let inFlight = 0
  return {
    outcome: (outcome) => {
      if (outcome.outcome === "succeeded") succeeded++
      else if (outcome.outcome === "failed") failed++
      else unknown++
    },
    event: (event) => {
      if (event._tag === "Posted") {
        submitted += event.records
        if (event.job !== undefined) {
          jobs++
          inFlight++
        }
      } else if (event.job !== undefined) inFlight--
    },
    snapshot: (now) => {
      const millis = Math.max(0, now - start)
      const done = succeeded + failed + unknown
      const rate = done > 0 && millis > 0 ? (done * 1_000) / millis : null
      const remaining = rate === null || total === undefined
        ? null
        : Duration.millis(Math.round((Math.max(0, total - done) * 1_000) / rate))
      return {
        _tag: "Progress",
        submitted,
        succeeded,
        failed,
        unknown,
        done,
        total,
        jobs,
        jobsInFlight: inFlight,
        rate,
        remaining,
        elapsed: Duration.millis(millis),
      }
    },
  }
}

/**
 * The progress at the end, its counts taken from the report: they agree with the events'
 * where every job ran (or was replayed) in this process, and stand alone where the engine
 * returned the report of a write that had finished before.
 */
export const finalProgress = (last: BulkWriteProgress, report: BulkWriteReport): BulkWriteProgress => {
  const refused = report.failed.reduce((count, outcome) => count + (outcome.refused === undefined ? 0 : 1), 0)
  const done = report.records
  const millis = Duration.toMillis(last.elapsed)
  const rate = done > 0 && millis > 0 ? (done * 1_000) / millis : null
  return {
    ...last,
    submitted: report.records - refused,
    succeeded: report.succeeded,
    failed: report.failed.length,
    unknown: report.unknown.length,
    done,
    jobs: report.jobs,
    jobsInFlight: 0,
    rate,
    remaining: rate === null ? null : Duration.millis(0),
  }
}

/**
 * `bulkWrite` as a `Stream` of its progress: a `Progress` snapshot each time one of its jobs is
 * posted and each time one ends (a record refused before sending is counted in the next one),
 * then `Done` with the report and the final counts. Time comes from Effect's `Clock`. The
 * stream fails as `bulkWrite` does; stopping it (a `take`, an interrupt) stops the write.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { bulkWriteStream } from "@effect-klaviyo/catalog-jobs"
 *
 * const records = [{ id: "$custom:::$default:::APPAREL", name: "Apparel" }]
 * const report = bulkWriteStream({ resource: "catalog-category", operation: "update" }, records, {
 *   total: records.length,
 * }).pipe(
 *   Stream.tap((event) =>
 *     Effect.sync(() => {
 *       if (event._tag === "Progress") console.error(`${event.done}/${event.total} done`)
 *     })
 *   ),
 *   Stream.runLast,
 * )
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export const bulkWriteStream = <K extends BulkWriteKind, E = never, R = never>(
  kind: K,
  records: BulkWriteInput<BulkWriteRecordOf<K>, E, R>,
  options?: BulkWriteStreamOptions,
): Stream.Stream<BulkWriteEvent, InvalidRequest | KlaviyoApiError | E, KlaviyoClient | R> =>
  Stream.callback<BulkWriteEvent, InvalidRequest | KlaviyoApiError | E, KlaviyoClient | R>((queue) =>
    Effect.gen(function* () {
      const clock = yield* Clock.Clock
      const { total, ...writeOptions } = options ?? {}
      const tracker = makeProgressTracker(clock.currentTimeMillisUnsafe(), total)
      const onOutcome = options?.onOutcome
      const report = yield* bulkWrite(kind, records, {
        ...writeOptions,
        onOutcome: (outcome) => {
          tracker.outcome(outcome)
          onOutcome?.(outcome)
        },
      }).pipe(
        Effect.provideService(WriteEvents, (event) => {
          tracker.event(event)
          Queue.offerUnsafe(queue, tracker.snapshot(clock.currentTimeMillisUnsafe()))
        }),
      )
      const progress = finalProgress(tracker.snapshot(clock.currentTimeMillisUnsafe()), report)
      yield* Queue.offer(queue, { _tag: "Done", report, progress })
      yield* Queue.end(queue)
    })
  )
