/**
 * A fake transport built from a function, for tests that run under `TestClock`: each request is
 * answered by the next scripted step, and every request is counted.
 */
import { Effect, Layer } from "effect"
import { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "effect/http"

export type Step =
  | {
    readonly status: number
    readonly headers?: Record<string, string>
    readonly body?: unknown
    /** How long the answer takes, by the clock the transport runs under. */
    readonly delayMillis?: number
  }
  | { readonly fail: "network" }
  | { readonly hang: true }

export interface FakeTransport {
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  /** When each request arrived, by the clock the transport runs under. */
  readonly times: Array<number>
}

/** A 200 job document for the job the request asks for (its path's last segment). */
const ok = (request: HttpClientRequest.HttpClientRequest) => ({
  data: {
    type: "catalog-category-bulk-update-job",
    id: decodeURIComponent(new URL(request.url).pathname.replace(/\/$/, "").split("/").pop() ?? ""),
    attributes: { status: "complete", created_at: "2026-11-27T14:00:00+00:00", total_count: 1 },
    links: { self: "https://a.klaviyo.com/x" },
  },
})

/** Answers with `steps` in order, then with a 200 job document. */
export const fakeTransport = (steps: ReadonlyArray<Step>): FakeTransport => {
  const times: Array<number> = []
  const queue = [...steps]
  const layer = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request: HttpClientRequest.HttpClientRequest) =>
      Effect.gen(function* () {
        times.push(yield* Effect.clockWith((clock) => Effect.succeed(clock.currentTimeMillisUnsafe())))
        const step = queue.shift() ?? { status: 200, body: ok(request) }
        if ("hang" in step) return yield* Effect.never
        if ("fail" in step) {
          return yield* new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({
              request,
              description: "connection reset by the fake",
            }),
          })
        }
        if (step.delayMillis !== undefined) yield* Effect.sleep(step.delayMillis)
        return HttpClientResponse.fromWeb(
          request,
          new Response(step.body === undefined ? "" : JSON.stringify(step.body), {
            status: step.status,
            headers: { "content-type": "application/vnd.api+json", ...step.headers },
          }),
        )
      })
    ),
  )
  return { layer, times }
}
