/**
 * The Promise methods of the table's operations, mapped over the table (not written 27 times):
 * a GET gives a `Promise`, a list an `AsyncIterable` (`for await`; leaving the loop stops
 * fetching), a POST a `Promise`.
 *
 * @module
 */
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type { KlaviyoClient } from "./client.ts"
import * as Gets from "./endpoints/table.ts"
import * as Creates from "./endpoints/table-create.ts"
import * as Lists from "./endpoints/table-list.ts"
import type {
  BulkJob,
  BulkJobBase,
  CreateJob,
  CreateJobOptions,
  GetJob,
  GetJobOptions,
  ListJobs,
  ListJobsOptions,
} from "./endpoints/types.ts"

/**
 * Per-call options of the Promise facade.
 *
 * @example
 * ```ts
 * import { type CallOptions, makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const call: CallOptions = { signal: AbortSignal.timeout(5_000) }
 * const job = await makeKlaviyoClient({ apiKey: "pk_example" }).getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", {}, call)
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export interface CallOptions {
  /** Aborting it cancels the request in flight; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal
}
/**
 * The Promise method of a table function: a GET or a POST resolves with the job, a list is
 * iterated with `for await`.
 *
 * @example
 * ```ts
 * import type { getCatalogItemBulkCreateJob, PromiseMethod } from "@effect-klaviyo/catalog-jobs"
 *
 * type Get = PromiseMethod<typeof getCatalogItemBulkCreateJob>
 * ```
 *
 * @since 0.2.0
 * @category promise
 */
export type PromiseMethod<F> = F extends GetJob<infer T, infer I>
  ? <const O extends GetJobOptions<T, I> = GetJobOptions<T, I>>(
    jobId: string,
    options?: O,
    call?: CallOptions,
  ) => Promise<BulkJob<T, I, O>>
  : F extends ListJobs<infer T> ? <const O extends ListJobsOptions<T> = ListJobsOptions<T>>(
      options?: O,
      call?: CallOptions,
    ) => AsyncIterable<BulkJobBase<T, O>>
  : F extends CreateJob<infer T, infer R> ? <const O extends CreateJobOptions<T> = CreateJobOptions<T>>(
      records: ReadonlyArray<R>,
      options?: O,
      call?: CallOptions,
    ) => Promise<BulkJobBase<T, O>>
  : never

/**
 * The Promise methods of every operation of the table, by the operation's name.
 *
 * @example
 * ```ts
 * import { makeKlaviyoClient, type PromiseTable } from "@effect-klaviyo/catalog-jobs"
 *
 * const table: PromiseTable = makeKlaviyoClient({ apiKey: "pk_example" })
 * ```
 *
 * @since 0.2.0
 * @category promise
 */
export type PromiseTable =
  & { readonly [K in keyof typeof Gets]: PromiseMethod<typeof Gets[K]> }
  & { readonly [K in keyof typeof Lists]: PromiseMethod<typeof Lists[K]> }
  & { readonly [K in keyof typeof Creates]: PromiseMethod<typeof Creates[K]> }

type AnyEffect = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown, KlaviyoClient>
type AnyStream = (...args: ReadonlyArray<unknown>) => Stream.Stream<unknown, unknown, KlaviyoClient>

/** Builds the table's Promise methods from the facade's `run` (one call) and `iterate` (a stream). */
export const promiseTable = (
  run: (
    effect: Effect.Effect<unknown, unknown, KlaviyoClient>,
    signal: AbortSignal | undefined,
  ) => Promise<unknown>,
  iterate: (
    stream: Stream.Stream<unknown, unknown, KlaviyoClient>,
    signal: AbortSignal | undefined,
  ) => AsyncIterable<unknown>,
): PromiseTable => {
  const methods: Record<string, unknown> = {}
  for (const table of [Gets, Creates]) {
    for (const [name, fn] of Object.entries(table)) {
      // (jobId or records, options, call)
      methods[name] = (input: unknown, options: unknown, call?: CallOptions) =>
        run((fn as unknown as AnyEffect)(input, options), call?.signal)
    }
  }
  for (const [name, fn] of Object.entries(Lists)) {
    methods[name] = (options: unknown, call?: CallOptions) =>
      iterate((fn as unknown as AnyStream)(options), call?.signal)
  }
  return methods as unknown as PromiseTable
}
