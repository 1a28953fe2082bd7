/**
 * The clients the overhead benchmark (bench/overhead.ts) puts side by side, for each of its three
 * calls: the floor (`fetch` + `JSON.parse`), the peers a user would pick instead of this library
 * (ky; effect/http's `HttpClient` with `response.json`; the same with
 * `HttpClientResponse.schemaBodyJson` and a hand-written Schema; Klaviyo's SDK), and the library
 * through its Effect API (with its default in-memory budget, and without a budget) and its
 * Promise facade.
 */
import { Effect, Layer, ManagedRuntime, Stream } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import type * as Schema from "effect/Schema"
import { ApiKeySession, CatalogsApi } from "klaviyo-api"
import ky from "ky"
import {
  bulkCreateCatalogCategories,
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  type KlaviyoError,
  listCatalogCategoryBulkCreateJobs,
  makeKlaviyoClient,
  type RateLimitOptions,
} from "../../mod.ts"
import { CREATE_JOBS_PATH, createBody, createRecords } from "./family-documents.ts"
import { BENCH_API_KEY, BENCH_JOB_ID, BENCH_REVISION } from "./job-document.ts"
import { CreateAnswer, JobDocument, ListPage } from "./peer-schemas.ts"

/** The calls measured. */
export type Scenario = "get" | "post" | "list"

/** One client for one call. */
export interface Peer {
  readonly name: string
  /** Runs `requests` calls, `concurrency` at a time; returns each call's latency in ms. */
  readonly round: (requests: number, concurrency: number) => Promise<ReadonlyArray<number>>
  /** One call, reduced to how many resources it got (to check every client did the same work). */
  readonly once: () => Promise<number>
  readonly close: () => Promise<void>
}

/**
 * The library's default in-memory budget, with windows far above what the benchmark sends, so
 * that no call waits: what is measured is the budget's bookkeeping on every call.
 */
export const roomyBudget: RateLimitOptions = {
  burst: { limit: 100_000, window: "1 second" },
  steady: { limit: 100_000, window: "2 seconds" },
  classes: {
    "jobs-write": {
      burst: { limit: 100_000, window: "1 second" },
      steady: { limit: 100_000, window: "2 seconds" },
    },
  },
}

/** Runs `call` `requests` times with `concurrency` workers, timing each call. */
export const promiseRound = async (
  call: () => Promise<unknown>,
  requests: number,
  concurrency: number,
): Promise<ReadonlyArray<number>> => {
  const latencies: Array<number> = []
  let started = 0
  const worker = async () => {
    while (started < requests) {
      started++
      const start = performance.now()
      await call()
      latencies.push(performance.now() - start)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return latencies
}

/** The same for an Effect, run by Effect's own concurrency in `runtime`. */
const effectRound = <R, ER>(
  runtime: ManagedRuntime.ManagedRuntime<R, ER>,
  call: Effect.Effect<unknown, unknown, R>,
) =>
(requests: number, concurrency: number): Promise<ReadonlyArray<number>> =>
  runtime.runPromise(Effect.suspend(() => {
    const latencies: Array<number> = []
    let started = 0
    const worker = Effect.whileLoop({
      while: () => started < requests,
      body: () =>
        Effect.suspend(() => {
          started++
          const start = performance.now()
          return Effect.map(call, () => latencies.push(performance.now() - start))
        }),
      step: () => undefined,
    })
    return Effect.as(
      Effect.all(Array.from({ length: concurrency }, () => worker), {
        concurrency: "unbounded",
        discard: true,
      }),
      latencies,
    )
  }))

const lengthOf = (value: unknown): number => Array.isArray(value) ? value.length : -1

/** How many resources a document (or a library value) holds, per call. */
const counters: Record<Scenario, (value: unknown) => number> = {
  get: (value) => {
    const record = value as { readonly categories?: unknown; readonly included?: unknown }
    return lengthOf(record.categories ?? record.included)
  },
  // The library's job carries the count of records it was created with; a document, their ids.
  post: (value) => {
    const record = value as {
      readonly total_count?: number
      readonly data?: { readonly relationships?: { readonly categories?: { readonly data?: unknown } } }
    }
    return record.total_count ?? lengthOf(record.data?.relationships?.categories?.data)
  },
  list: (value) => lengthOf((value as { readonly data?: unknown }).data ?? value),
}

const headers = {
  authorization: `Klaviyo-API-Key ${BENCH_API_KEY}`,
  revision: BENCH_REVISION,
  accept: "application/vnd.api+json",
}
const postHeaders = { ...headers, "content-type": "application/vnd.api+json" }

/** Builds the clients of one call against the server at `origin`. */
export const makePeers = (scenario: Scenario, origin: string, records: number): ReadonlyArray<Peer> => {
  const count = counters[scenario]
  const url = scenario === "get"
    ? `${origin}/api/catalog-category-bulk-update-jobs/${BENCH_JOB_ID}?include=categories`
    : `${origin}${CREATE_JOBS_PATH}`
  const body = createBody(records)
  const flat = createRecords(records)

  const rawFetch = async (): Promise<unknown> => {
    const response = await fetch(
      url,
      scenario === "post"
        ? { method: "POST", headers: postHeaders, body: JSON.stringify(body) }
        : { headers },
    )
    const text = await response.text()
    if (!response.ok) throw new Error(`raw fetch: status ${response.status}: ${text.slice(0, 200)}`)
    return JSON.parse(text)
  }

  const kyCall = (): Promise<unknown> =>
    scenario === "post"
      ? ky.post(url, { headers: postHeaders, json: body }).json()
      : ky.get(url, { headers }).json()

  const http = ManagedRuntime.make(FetchHttpClient.layer)
  // Built on every call, as every other client does (the POST's body encoded each time).
  const request = () =>
    scenario === "post"
      ? HttpClientRequest.post(url).pipe(
        HttpClientRequest.setHeaders(postHeaders),
        HttpClientRequest.bodyJsonUnsafe(body),
      )
      : HttpClientRequest.get(url).pipe(HttpClientRequest.setHeaders(headers))
  const send = Effect.gen(function* () {
    const client = HttpClient.filterStatusOk(yield* HttpClient.HttpClient)
    return yield* client.execute(request())
  })
  const bareJson = Effect.flatMap(send, (response) => response.json)
  const schema: Schema.Decoder<unknown> = scenario === "get"
    ? JobDocument
    : scenario === "post"
    ? CreateAnswer
    : ListPage
  const withSchema = Effect.flatMap(send, HttpClientResponse.schemaBodyJson(schema))

  const libraryCall: Effect.Effect<unknown, KlaviyoError, KlaviyoClient> = scenario === "get"
    ? getCatalogCategoryBulkUpdateJob(BENCH_JOB_ID, { include: ["categories"] })
    : scenario === "post"
    ? bulkCreateCatalogCategories(flat)
    : Stream.runCollect(listCatalogCategoryBulkCreateJobs())
  const library = (rateLimit: false | RateLimitOptions) =>
    ManagedRuntime.make(
      KlaviyoClient.layer({ apiKey: BENCH_API_KEY, baseUrl: origin, rateLimit }).pipe(
        Layer.provide(FetchHttpClient.layer),
      ),
    )
  const withBudget = library(roomyBudget)
  const withoutBudget = library(false)

  const facade = makeKlaviyoClient({ apiKey: BENCH_API_KEY, baseUrl: origin, rateLimit: roomyBudget })
  const facadeCall = async (): Promise<unknown> => {
    if (scenario === "get") {
      return facade.getCatalogCategoryBulkUpdateJob(BENCH_JOB_ID, { include: ["categories"] })
    }
    if (scenario === "post") return facade.bulkCreateCatalogCategories(flat)
    const jobs: Array<unknown> = []
    for await (const job of facade.listCatalogCategoryBulkCreateJobs()) jobs.push(job)
    return jobs
  }

  // The SDK's models name attributes in camel case and write them in snake case on the wire.
  const sdkBody = {
    data: {
      type: "catalog-category-bulk-create-job",
      attributes: {
        categories: {
          data: flat.map((record) => ({
            type: "catalog-category",
            attributes: { externalId: record.external_id, name: record.name },
          })),
        },
      },
    },
  } as unknown as Parameters<CatalogsApi["bulkCreateCatalogCategories"]>[0]
  const catalogs = new CatalogsApi(new ApiKeySession(BENCH_API_KEY))
  catalogs.basePath = origin
  const sdkCall = async (): Promise<unknown> => {
    if (scenario === "get") {
      return (await catalogs.getBulkUpdateCategoriesJob(BENCH_JOB_ID, { include: ["categories"] })).body
    }
    if (scenario === "post") {
      return (await catalogs.bulkCreateCatalogCategories(sdkBody)).body
    }
    return (await catalogs.getBulkCreateCategoriesJobs()).body
  }

  const promisePeer = (name: string, call: () => Promise<unknown>, close = async () => {}): Peer => ({
    name,
    round: (n, c) => promiseRound(call, n, c),
    once: async () => count(await call()),
    close,
  })
  const effectPeer = <R, ER>(
    name: string,
    runtime: ManagedRuntime.ManagedRuntime<R, ER>,
    call: Effect.Effect<unknown, unknown, R>,
  ): Peer => ({
    name,
    round: effectRound(runtime, call),
    once: async () => count(await runtime.runPromise(call)),
    close: () => runtime.dispose(),
  })
  return [
    promisePeer("raw fetch", rawFetch),
    promisePeer("ky", kyCall),
    effectPeer("HttpClient + json", http, bareJson),
    { ...effectPeer("HttpClient + Schema", http, withSchema), close: async () => {} },
    effectPeer("library (Effect)", withBudget, libraryCall),
    effectPeer("library, no budget", withoutBudget, libraryCall),
    promisePeer("library (Promise)", facadeCall, () => facade.close()),
    promisePeer("klaviyo-api", sdkCall),
  ]
}
