/**
 * `bulkWrite` takes any number of records and gives one outcome per record, as an effect/workflow
 * `Workflow` whose jobs are activities (see job.ts), run by groups of 100 jobs, each group a
 * child workflow whose result is what its jobs came to, compact (see group.ts). It runs on whatever
 * `WorkflowEngine` the caller provides (a durable one: `BulkWriteEngine.layerSql`),
 * `WorkflowEngine.layerMemory` when none is. The report is the workflow's result, built in its
 * body from the groups' results: a resumed write reads the finished groups' results from
 * storage (and tells their outcomes again) and replays the activities of the unfinished ones;
 * a finished write started again returns the stored report without reading its records (see
 * DURABILITY.md). Records that fail partway stop the write without a result, as an interrupt
 * would: the same write started again resumes. The workflows are in execution.ts, loaded with
 * effect/workflow when the first write runs (see workflow-modules.ts), not when the library is
 * imported.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Deferred from "effect/Deferred"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import { MAX_RECORDS } from "../endpoints/create.ts"
import { InvalidRequest, type KlaviyoApiError } from "../errors.ts"
import { WriteEvents } from "./events.ts"
import { InFlightCap, type InFlightCapShape } from "./in-flight.ts"
import { type BulkWriteKind, type BulkWriteRecordOf, type KindSpec, kindSpec } from "./kind.ts"
import type { BulkWriteOutcome, BulkWriteReport } from "./outcome.ts"
import { alreadyRunning, running } from "./running.ts"
import { type PollBounds, resolvePollBounds } from "./watch-job.ts"
import { loadExecution } from "./workflow-modules.ts"

/**
 * The options of {@link bulkWrite}.
 *
 * @example
 * ```ts
 * import type { BulkWriteOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: BulkWriteOptions = { id: "nightly-2026-12-01", maxInFlight: 20, interval: { min: "5 seconds", max: "1 minute" } }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteOptions {
  /**
   * The write's identity: with a durable `WorkflowEngine`, the same `id` (and the same
   * records) resumes it. A random id by default.
   */
  readonly id?: string
  /**
   * At most this many jobs in progress at once (posted and not yet ended), 1 to 500 (Klaviyo
   * allows 500 per account).
   *
   * @default 20
   */
  readonly maxInFlight?: number
  /**
   * The bounds of the polls of each job, as the watch's (`watchBulkJob`'s `interval`): the first
   * polls, and polls right after a change, come `min` apart; while nothing moves the gap doubles
   * up to `max`; once the job's rate is known, the next poll is aimed just past its estimated
   * end (a write needs the end, not the progress: a few GETs a job, however long it runs). Every
   * poll is a GET within its class's budget (for item and variant create and update jobs, the
   * POSTs' class).
   *
   * @default { min: "1 second", max: "30 seconds" }
   */
  readonly interval?: {
    readonly min?: Duration.Input | undefined
    readonly max?: Duration.Input | undefined
  } | undefined
  /**
   * The same as `interval.min` (the option's first name; `interval.min` wins when both are given).
   *
   * @default "1 second"
   */
  readonly pollInterval?: Duration.Input
  /** Called with each record's outcome as soon as it is known, successes included. */
  readonly onOutcome?: (outcome: BulkWriteOutcome) => void
  /**
   * The cap on jobs in progress shared with other writes and processes (`maxInFlight` of it held
   * at most, by all together): a slot is taken before each job's POST and released when its watch
   * ends. The {@link InFlightCap} in context by default; without one, this write's own count.
   */
  readonly inFlightCap?: InFlightCapShape
}

/**
 * The records of a bulk write: an `Iterable` (an array, a generator), an `AsyncIterable` (the
 * lines of a file) or a `Stream`, read once, in order, as jobs are posted.
 *
 * @example
 * ```ts
 * import type { BulkWriteInput, CatalogDeleteRecord } from "@effect-klaviyo/catalog-jobs"
 *
 * const input: BulkWriteInput<CatalogDeleteRecord> = [{ id: "$custom:::$default:::SHIRT-1" }]
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export type BulkWriteInput<A, E = never, R = never> = Iterable<A> | AsyncIterable<A> | Stream.Stream<A, E, R>

/** What an `Iterable` or `AsyncIterable` threw while it was read. */
const readingFailed = (cause: unknown): InvalidRequest =>
  new InvalidRequest({ input: "records", reason: `reading the records failed: ${String(cause)}` })

const toStream = <A, E, R>(records: BulkWriteInput<A, E, R>): Stream.Stream<A, E | InvalidRequest, R> => {
  if (Stream.isStream(records)) return records as Stream.Stream<A, E, R>
  if (typeof (records as AsyncIterable<A>)[Symbol.asyncIterator] === "function") {
    return Stream.fromAsyncIterable(records as AsyncIterable<A>, readingFailed)
  }
  // An array is one chunk; another iterable (a generator) is read a job's records at a time, so
  // that the records read before it throws are posted, and its throw is an InvalidRequest.
  const iterable = records as Iterable<A>
  return (Array.isArray(iterable)
    ? Stream.fromIterable(iterable)
    : Stream.fromIterable(iterable, { chunkSize: MAX_RECORDS }))
    .pipe(Stream.catchDefect((defect) => Stream.fail(readingFailed(defect))))
}

/**
 * The records as the write's workflow reads them, and how the write learns that they failed.
 * Records that fail partway (an iterator that throws, a file that went away, a `Stream` that
 * fails) stop this run of the write as an interrupt would, never reaching the workflow: its
 * stream of records then never ends, so that no engine can store the failure as the write's
 * result; `stopped` fails with it, `bulkWrite` fails with it, and closing its scope stops the
 * workflow with nothing stored. The same write started again resumes (see DURABILITY.md).
 */
const stoppingSource = <A, E, R>(records: BulkWriteInput<A, E, R>): Effect.Effect<
  {
    readonly source: Stream.Stream<unknown, never, never>
    readonly stopped: Deferred.Deferred<never, E | InvalidRequest>
    readonly failure: () => Option.Option<Cause.Cause<E | InvalidRequest>>
  },
  never,
  R
> =>
  Effect.gen(function* () {
    let failure: Option.Option<Cause.Cause<E | InvalidRequest>> = Option.none()
    const stopped = yield* Deferred.make<never, E | InvalidRequest>()
    const context = yield* Effect.context<R>()
    const source = toStream(records).pipe(
      Stream.provideContext(context),
      Stream.catchCause((cause) =>
        Cause.hasInterruptsOnly(cause) ? Stream.failCause(cause) : Stream.unwrap(Effect.suspend(() => {
          failure = Option.some(cause)
          return Effect.as(Deferred.failCause(stopped, cause), Stream.never)
        }))
      ),
    ) as Stream.Stream<unknown, never, never>
    return { source, stopped, failure: () => failure }
  })

const check = (
  kind: BulkWriteKind,
  options: BulkWriteOptions,
):
  | { readonly spec: KindSpec; readonly maxInFlight: number; readonly bounds: PollBounds }
  | InvalidRequest => {
  const spec = typeof kind === "object" && kind !== null ? kindSpec(kind) : undefined
  if (spec === undefined) {
    return new InvalidRequest({
      input: "kind",
      reason:
        `the kind must be { resource: "catalog-item" | "catalog-variant" | "catalog-category", operation: "create" | "update" | "delete" }`,
    })
  }
  const maxInFlight = options.maxInFlight ?? 20
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 500) {
    return new InvalidRequest({
      input: "maxInFlight",
      reason: `maxInFlight must be a whole number from 1 to 500 (Klaviyo's limit of jobs in progress), not ${
        String(maxInFlight)
      }`,
    })
  }
  const bounds = resolvePollBounds(options.interval, options.pollInterval)
  if (bounds instanceof InvalidRequest) return bounds
  return { spec, maxInFlight, bounds }
}

/**
 * Writes any number of records: split into jobs of at most 100 records and 5 MB, each posted
 * within the POST budget, at most `maxInFlight` in progress at once, each watched to its end;
 * the report has exactly one outcome for every record (`succeeded`, `failed` with Klaviyo's
 * error for it, or `unknown`). A record that cannot be sent (it does not match its Schema,
 * repeats an earlier id, or is alone over 5 MB) is `failed` with `refused` set and never sent.
 *
 * A write that has not finished first reads one page of the kind's jobs: a key Klaviyo refuses
 * (401) or one without the scopes (403) fails it there with Klaviyo's `KlaviyoApiError`, before
 * any record is sent or anything stored.
 *
 * Runs on the `WorkflowEngine` in context, `WorkflowEngine.layerMemory` when there is none.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { bulkWrite } from "@effect-klaviyo/catalog-jobs"
 *
 * const report = bulkWrite(
 *   { resource: "catalog-category", operation: "create" },
 *   [{ external_id: "APPAREL", name: "Apparel" }, { external_id: "SHOES", name: "Shoes" }],
 *   { maxInFlight: 10 },
 * ).pipe(Effect.map((report) => `${report.succeeded} of ${report.records} written`))
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export const bulkWrite = <K extends BulkWriteKind, E = never, R = never>(
  kind: K,
  records: BulkWriteInput<BulkWriteRecordOf<K>, E, R>,
  options?: BulkWriteOptions,
): Effect.Effect<BulkWriteReport, InvalidRequest | KlaviyoApiError | E, KlaviyoClient | R> =>
  Effect.gen(function* () {
    const checked = check(kind, options ?? {})
    if (checked instanceof InvalidRequest) return yield* Effect.fail(checked)
    const id = options?.id ?? globalThis.crypto.randomUUID()
    // Refused before its key is checked; checked again below, where the write is registered.
    if (running.has(id)) return yield* Effect.fail(alreadyRunning(id))
    const { source, stopped, failure } = yield* stoppingSource(records)
    const cap = options?.inFlightCap ?? Option.getOrUndefined(yield* Effect.serviceOption(InFlightCap))
    const onEvent = yield* WriteEvents
    // effect/workflow and the write's workflows are loaded now, not when the library is imported.
    const { runWrite } = yield* loadExecution()
    const exit = yield* runWrite({
      id,
      spec: checked.spec,
      maxInFlight: checked.maxInFlight,
      bounds: checked.bounds,
      source,
      stopped: Deferred.await(stopped),
      onOutcome: options?.onOutcome,
      cap,
      onEvent,
    })
    const failed = failure()
    if (Option.isSome(failed)) return yield* Effect.failCause(failed.value)
    if (exit._tag === "Failure") return yield* Effect.failCause(exit.cause) as Effect.Effect<never>
    return exit.value as BulkWriteReport
  })
