/**
 * The Promise facade, for code that does not use Effect: the same pipeline, the same tagged
 * errors (rejections are the error instances themselves), and `AbortSignal` support.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Stream from "effect/Stream"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import { type CallOptions, type PromiseTable, promiseTable } from "./promise-table.ts"
export type { CallOptions } from "./promise-table.ts"
import {
  type CatalogCategoryBulkUpdateJob,
  getCatalogCategoryBulkUpdateJob,
  type GetCatalogCategoryBulkUpdateJobOptions,
} from "./catalog-category-bulk-update-job.ts"
import { KlaviyoClient, type KlaviyoClientOptions } from "./client.ts"
import { InvalidRequest } from "./errors.ts"
import { readPromiseOptions } from "./internal/options.ts"
import { isKlaviyoBudget } from "./internal/promise-budget.ts"
import { budgetLayerFor, type KlaviyoBudget } from "./promise-budget.ts"
import { promiseLoggerLayer, type PromiseLogOptions } from "./promise-log.ts"
import type { RateLimitOptions } from "./rate-limit.ts"
import {
  awaitBulkJob,
  awaitCatalogCategoryBulkUpdateJob,
  type BulkJobRef,
  type BulkJobType,
  type JobSnapshot,
  watchBulkJob,
  type WatchBulkJobOptions,
  watchCatalogCategoryBulkUpdateJob,
  type WatchCatalogCategoryBulkUpdateJobOptions,
  type WatchedBulkJob,
  type WatchedJob,
} from "./watch.ts"

/**
 * Options of {@link makeKlaviyoClient}: the client's options, optionally the `HttpClient`
 * layer to send with (the simulator's, say), and where log messages go (by default warnings on
 * stderr, see {@link PromiseLogOptions}).
 *
 * @example
 * ```ts
 * import { KlaviyoSimulator, makeKlaviyoClient, type MakeKlaviyoClientOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: MakeKlaviyoClientOptions = { apiKey: "pk_simulated_key", httpClient: KlaviyoSimulator.layer() }
 * const client = makeKlaviyoClient(options)
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export type MakeKlaviyoClientOptions = OwnBudget<KlaviyoClientOptions> & PromiseLogOptions & {
  /**
   * The transport.
   * @default FetchHttpClient.layer
   */
  readonly httpClient?: Layer.Layer<HttpClient.HttpClient>
}

/**
 * Client options whose rate limit is the client's own, or a {@link KlaviyoBudget} that several
 * Promise clients share (`"shared"` needs an Effect context).
 *
 * @example
 * ```ts
 * import { type KlaviyoClientOptions, makeKlaviyoBudget, type OwnBudget } from "@effect-klaviyo/catalog-jobs"
 *
 * const own: OwnBudget<KlaviyoClientOptions> = { apiKey: "pk_example", rateLimit: { margin: "200 millis" } }
 * const shared: OwnBudget<KlaviyoClientOptions> = { apiKey: "pk_example", rateLimit: makeKlaviyoBudget() }
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export type OwnBudget<T> = T extends unknown
  ? Omit<T, "rateLimit"> & { readonly rateLimit?: false | RateLimitOptions | KlaviyoBudget | undefined }
  : never

/**
 * The Promise facade's client.
 *
 * @example
 * ```ts
 * import { type KlaviyoPromiseClient, makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * await using client: KlaviyoPromiseClient = makeKlaviyoClient({ apiKey: "pk_example" })
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export interface KlaviyoPromiseClient extends PromiseTable {
  /**
   * Fetches a catalog category bulk update job; rejects with an `InvalidRequest`,
   * `KlaviyoApiError`, `TransportError` or `DecodeError` (tell them apart by `_tag`).
   */
  readonly getCatalogCategoryBulkUpdateJob: <
    const O extends GetCatalogCategoryBulkUpdateJobOptions = GetCatalogCategoryBulkUpdateJobOptions,
  >(
    jobId: string,
    options?: O,
    call?: CallOptions,
  ) => Promise<CatalogCategoryBulkUpdateJob<O>>
  /**
   * Waits for a job to end and resolves with it as it ended (`complete` or `cancelled`);
   * rejects with the same errors, or a `JobWatchError` (the job disappeared or expired, or the
   * deadline passed).
   */
  readonly awaitCatalogCategoryBulkUpdateJob: <
    const O extends WatchCatalogCategoryBulkUpdateJobOptions = WatchCatalogCategoryBulkUpdateJobOptions,
  >(
    jobId: string,
    options?: O,
    call?: CallOptions,
  ) => Promise<WatchedJob<O>>
  /**
   * Watches a job: `for await` over its snapshots, emitted when something changed, until it
   * ends. The loop throws what the watch fails with; leaving it early stops the polling;
   * aborting the signal stops it and throws the signal's reason.
   */
  readonly watchCatalogCategoryBulkUpdateJob: <
    const O extends WatchCatalogCategoryBulkUpdateJobOptions = WatchCatalogCategoryBulkUpdateJobOptions,
  >(
    jobId: string,
    options?: O,
    call?: CallOptions,
  ) => AsyncIterable<JobSnapshot<WatchedJob<O>>>
  /**
   * Waits for a job of any of the 9 types (anything with its `type` and `id`, such as the job a
   * POST resolved with) to end and resolves with it as it ended; rejects as
   * `awaitCatalogCategoryBulkUpdateJob` does, and with an `InvalidRequest` for a job of an
   * unknown type or without an id.
   */
  readonly awaitBulkJob: <
    T extends BulkJobType,
    const O extends WatchBulkJobOptions<T> = WatchBulkJobOptions<T>,
  >(
    job: BulkJobRef<T>,
    options?: O,
    call?: CallOptions,
  ) => Promise<WatchedBulkJob<T, O>>
  /**
   * Watches a job of any of the 9 types: `for await` over its snapshots, as
   * `watchCatalogCategoryBulkUpdateJob` does.
   */
  readonly watchBulkJob: <
    T extends BulkJobType,
    const O extends WatchBulkJobOptions<T> = WatchBulkJobOptions<T>,
  >(
    job: BulkJobRef<T>,
    options?: O,
    call?: CallOptions,
  ) => AsyncIterable<JobSnapshot<WatchedBulkJob<T, O>>>
  /** Releases what the client holds. Calls made after it reject. */
  readonly close: () => Promise<void>
  /** The same as `close`, for `await using`. */
  readonly [Symbol.asyncDispose]: () => Promise<void>
}

const clientLayer = (options: MakeKlaviyoClientOptions): Layer.Layer<KlaviyoClient, InvalidRequest> => {
  const { httpClient, logger: _logger, logLevel: _logLevel, rateLimit, ...rest } = options
  const transport = httpClient ?? FetchHttpClient.layer
  if (rateLimit === undefined || rateLimit === false || !isKlaviyoBudget(rateLimit)) {
    const own = rateLimit === undefined ? rest : { ...rest, rateLimit }
    return KlaviyoClient.layer(own as KlaviyoClientOptions).pipe(Layer.provide(transport))
  }
  // A KlaviyoBudget: the client takes it as a shared budget, scoped by its credential.
  const shared = { ...rest, rateLimit: "shared" } as KlaviyoClientOptions & { readonly rateLimit: "shared" }
  return KlaviyoClient.layer(shared).pipe(
    Layer.provide(budgetLayerFor(rateLimit, shared.apiKey ?? shared.accessToken)),
    Layer.provide(transport),
  )
}

/**
 * Builds a Promise-based client. Options are checked on the first call (a bad option rejects
 * it with `InvalidRequest`).
 *
 * @example
 * ```ts
 * import { makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const klaviyo = makeKlaviyoClient({ apiKey: process.env.KLAVIYO_API_KEY ?? "" })
 * try {
 *   const job = await klaviyo.getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH")
 *   console.log(job.status)
 * } catch (error) {
 *   if (error instanceof Error && "_tag" in error && error._tag === "KlaviyoApiError") console.error(error.message)
 *   else throw error
 * } finally {
 *   await klaviyo.close()
 * }
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export const makeKlaviyoClient = (given: MakeKlaviyoClientOptions): KlaviyoPromiseClient => {
  // Read once into a plain snapshot: options of the wrong type (from JavaScript), a Proxy or a
  // getter that throws reject every call, like every other bad option; nothing throws here.
  const options = readPromiseOptions(given)
  const runtime = ManagedRuntime.make(
    options instanceof InvalidRequest
      ? Layer.effect(KlaviyoClient, Effect.fail(options))
      : Layer.merge(clientLayer(options), promiseLoggerLayer(options)),
  )
  let closed = false
  const closedError = () =>
    new InvalidRequest({
      input: "client",
      reason: "the client is closed; make a new one with makeKlaviyoClient",
    })
  /** The watches being iterated: `close` stops them (their fibers are not the runtime's). */
  const watches = new Set<AbortController>()
  const close = () => {
    closed = true
    for (const watch of watches) watch.abort(closedError())
    return runtime.dispose()
  }
  const checkOpen = (signal: AbortSignal | undefined) => {
    signal?.throwIfAborted()
    if (closed) throw closedError()
  }
  /** Runs one call: resolves with its value, rejects with its error or the signal's reason. */
  const run = async <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>, signal: AbortSignal | undefined) => {
    checkOpen(signal)
    const exit = await runtime.runPromiseExit(effect, signal === undefined ? undefined : { signal })
    if (Exit.isSuccess(exit)) return exit.value
    if (signal?.aborted === true) throw signal.reason
    throw Cause.squash(exit.cause)
  }
  /**
   * A stream as an `AsyncIterable`: leaving the loop stops it; the caller's signal or `close`
   * stop it too (the loop then throws the signal's reason).
   */
  const iterate = <A, E>(
    stream: Stream.Stream<A, E, KlaviyoClient>,
    callSignal: AbortSignal | undefined,
  ): AsyncIterable<A> => ({
    async *[Symbol.asyncIterator]() {
      checkOpen(callSignal)
      const context = await runtime.context()
      // Stopped by the caller's signal, or by `close`.
      const own = new AbortController()
      const signal = callSignal === undefined ? own.signal : AbortSignal.any([callSignal, own.signal])
      const aborted: Effect.Effect<void> = Effect.callback<void>((resume) => {
        const onAbort = () => resume(Effect.void)
        if (signal.aborted) return onAbort()
        signal.addEventListener("abort", onAbort, { once: true })
        return Effect.sync(() => signal.removeEventListener("abort", onAbort))
      })
      watches.add(own)
      try {
        yield* Stream.toAsyncIterableWith(stream.pipe(Stream.interruptWhen(aborted)), context)
        signal.throwIfAborted()
      } finally {
        watches.delete(own)
      }
    },
  })
  return {
    ...promiseTable(run, iterate),
    getCatalogCategoryBulkUpdateJob: (jobId, jobOptions, call) =>
      run(getCatalogCategoryBulkUpdateJob(jobId, jobOptions), call?.signal),
    awaitCatalogCategoryBulkUpdateJob: (jobId, watchOptions, call) =>
      run(awaitCatalogCategoryBulkUpdateJob(jobId, watchOptions), call?.signal),
    watchCatalogCategoryBulkUpdateJob: (jobId, watchOptions, call) =>
      iterate(watchCatalogCategoryBulkUpdateJob(jobId, watchOptions), call?.signal),
    awaitBulkJob: (job, watchOptions, call) => run(awaitBulkJob(job, watchOptions), call?.signal),
    watchBulkJob: (job, watchOptions, call) => iterate(watchBulkJob(job, watchOptions), call?.signal),
    close,
    [Symbol.asyncDispose]: close,
  }
}
