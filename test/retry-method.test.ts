/**
 * Retries by method: a GET is safe to repeat; a POST (which creates a bulk job) is repeated only
 * when Klaviyo certainly did not act on it, and its other errors say that the job may exist.
 */
import { Duration, Effect, Layer } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import {
  type AttemptFailure,
  defaultRetrySettings,
  KlaviyoApiError,
  KlaviyoClient,
  type KlaviyoError,
  retryDecision,
  TransportError,
  type TransportFailure,
} from "../mod.ts"
import { startServer, type TestServer, useServer } from "./support/server.ts"

const apiError = (method: "GET" | "POST", status: number, retryAfterSeconds?: number) =>
  new KlaviyoApiError({
    status,
    method,
    url: "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs",
    revision: "2026-07-15",
    errors: [],
    retryAfter: retryAfterSeconds === undefined ? undefined : Duration.seconds(retryAfterSeconds),
    ...(method === "POST" ? { jobMayExist: status >= 500 } : {}),
  })
const transport = (method: "GET" | "POST", kind: TransportFailure, jobMayExist?: boolean) =>
  new TransportError({
    kind,
    method,
    url: "u",
    detail: "d",
    ...(jobMayExist === undefined ? {} : { jobMayExist }),
  })
const decide = (failure: AttemptFailure) => retryDecision(failure, 1, 0.5, defaultRetrySettings)

describe("the retry decision by method, status by status", () => {
  for (const status of [500, 502, 503, 504, 524]) {
    it(`retries a GET answered ${status}, never a POST`, () => {
      expect(decide(apiError("GET", status))._tag).toBe("Retry")
      expect(decide(apiError("POST", status))).toEqual({
        _tag: "Stop",
        reason: `status ${status} to a POST is not retried (only 429 is)`,
      })
    })
  }
  for (const status of [400, 401, 403, 404, 409, 410, 413, 422]) {
    it(`retries neither a GET nor a POST answered ${status}`, () => {
      for (const method of ["GET", "POST"] as const) {
        expect(decide(apiError(method, status))).toEqual({
          _tag: "Stop",
          reason: `status ${status} is not retried`,
        })
      }
    })
  }
  it("retries a POST answered 429 after exactly Retry-After, as a GET", () => {
    for (const method of ["GET", "POST"] as const) {
      expect(decide(apiError(method, 429, 3))).toEqual({
        _tag: "Retry",
        delay: Duration.seconds(3),
        source: "retry-after",
        cause: "status 429",
      })
    }
  })
  it("retries a POST whose connection never opened", () => {
    expect(decide(transport("POST", "network", false))).toEqual({
      _tag: "Retry",
      delay: Duration.millis(250),
      source: "backoff",
      cause: "network: d",
    })
  })
  for (const kind of ["network", "timeout", "body"] as const) {
    it(`retries a GET after ${kind}, never a POST that may have been sent`, () => {
      expect(decide(transport("GET", kind))._tag).toBe("Retry")
      expect(decide(transport("POST", kind, true))).toEqual({
        _tag: "Stop",
        reason: `a POST that may have reached Klaviyo is not repeated (${kind})`,
      })
      // Without the field (an error built by hand), a POST is taken to have been sent.
      expect(decide(transport("POST", kind))._tag).toBe("Stop")
    })
  }
})

/** An HttpClient over fetch that counts the requests it executes. */
const countingFetch = () => {
  const count = { requests: 0 }
  const layer = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(Effect.service(HttpClient.HttpClient), (client) =>
      HttpClient.make((request) => {
        count.requests++
        return client.execute(request)
      })),
  ).pipe(Layer.provide(FetchHttpClient.layer))
  return { count, layer }
}

const post = (
  baseUrl: string,
  layer: Layer.Layer<HttpClient.HttpClient>,
  timeout: Duration.Input = "5 seconds",
) =>
  Effect.gen(function* () {
    const client = yield* KlaviyoClient
    return yield* client.send({
      operation: "bulkCreateCatalogItems",
      method: "POST",
      path: "/api/catalog-item-bulk-create-jobs",
      urlParams: [],
      body: { data: { type: "catalog-item-bulk-create-job" } },
    })
  }).pipe(
    Effect.provide(KlaviyoClient.layer({
      apiKey: "pk_test_retry_method",
      baseUrl,
      timeout,
      retry: { times: 2, base: "1 millis" },
      rateLimit: false,
    })),
    Effect.provide(layer),
  )

const failure = (effect: Effect.Effect<unknown, KlaviyoError>) =>
  Effect.runPromise(Effect.flip(effect)) as Promise<KlaviyoError>

describe("a POST on the wire", () => {
  let server: TestServer
  useServer((s) => (server = s))

  it("is retried after a connection that never opened (a closed port), and says no job exists", async () => {
    const gone = await startServer()
    await gone.close()
    const { count, layer } = countingFetch()
    const error = (await failure(post(gone.url, layer))) as TransportError
    expect(error._tag).toBe("TransportError")
    expect(error.kind).toBe("network")
    expect(error.jobMayExist).toBe(false)
    expect(count.requests).toBe(3)
    expect(error.message).not.toContain("may exist")
  })

  it("is not retried after a 503, and its error says the job may exist", async () => {
    server.script({ status: 503, body: "" }, { status: 503, body: "" })
    const { count, layer } = countingFetch()
    const error = (await failure(post(server.url, layer))) as KlaviyoApiError
    expect(error._tag).toBe("KlaviyoApiError")
    expect(error.status).toBe(503)
    expect(error.method).toBe("POST")
    expect(error.jobMayExist).toBe(true)
    expect(error.message).toContain("the job may exist although the call failed")
    expect(count.requests).toBe(1)
    expect(server.requests.map((request) => request.method)).toEqual(["POST"])
    server.script()
  })

  it("is not retried after a connection reset once sent", async () => {
    server.script({ raw: (req) => req.socket.destroy() }, { raw: (req) => req.socket.destroy() })
    const { count, layer } = countingFetch()
    const error = (await failure(post(server.url, layer))) as TransportError
    expect(error._tag).toBe("TransportError")
    expect(error.jobMayExist).toBe(true)
    expect(error.message).toContain("Network error on POST")
    expect(error.message).toContain("the job may exist")
    expect(count.requests).toBe(1)
    server.script()
  })

  it("is not retried after an attempt timeout", async () => {
    server.script("hang", "hang")
    const { count, layer } = countingFetch()
    const error = (await failure(post(server.url, layer, "200 millis"))) as TransportError
    expect(error.kind).toBe("timeout")
    expect(error.jobMayExist).toBe(true)
    expect(count.requests).toBe(1)
    server.script()
  })

  it("is retried after a 429 (Retry-After 0) and sends the same body again", async () => {
    const job = {
      data: {
        type: "catalog-item-bulk-create-job",
        id: "01JOB",
        attributes: { status: "queued", created_at: "2026-11-27T14:00:00+00:00", total_count: 1 },
      },
    }
    server.script({ status: 429, headers: { "retry-after": "0" }, body: "" }, {
      status: 202,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify(job),
    })
    const { count, layer } = countingFetch()
    const response = await Effect.runPromise(post(server.url, layer))
    expect(response.status).toBe(202)
    expect(count.requests).toBe(2)
    expect(server.requests.map((request) => [request.method, request.body, request.headers["content-type"]]))
      .toEqual([
        ["POST", '{"data":{"type":"catalog-item-bulk-create-job"}}', "application/vnd.api+json"],
        ["POST", '{"data":{"type":"catalog-item-bulk-create-job"}}', "application/vnd.api+json"],
      ])
  })

  it("is a GET's retry as before: a GET answered 503 is retried", async () => {
    server.script({ status: 503, body: "" })
    const { count, layer } = countingFetch()
    const response = await Effect.runPromise(
      Effect.flatMap(
        Effect.service(KlaviyoClient),
        (client) =>
          client.send({ operation: "raw", path: "/api/catalog-category-bulk-update-jobs/x", urlParams: [] })
            .pipe(
              Effect.flip,
            ),
      ).pipe(
        Effect.provide(
          KlaviyoClient.layer({
            apiKey: "pk_test_retry_method",
            baseUrl: server.url,
            retry: { times: 1, base: "1 millis" },
            rateLimit: false,
          }),
        ),
        Effect.provide(layer),
      ),
    )
    expect(count.requests).toBe(2)
    expect((response as KlaviyoApiError).jobMayExist).toBeUndefined()
  })
})
