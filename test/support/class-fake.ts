/**
 * A fake transport for limit-class tests under `TestClock`: every request of the bulk-job family
 * is answered with a job of the type its path names (a POST with 202 and the job `queued`, a GET
 * with 200 and the job `complete`), unless `answer` scripts something else for it; every request
 * is recorded with its method, path and time.
 */
import { Clock, Effect, Layer } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"

/** A request as the fake saw it. */
export interface SentRequest {
  readonly at: number
  readonly method: string
  readonly path: string
}

/** What `answer` may script for a request instead of the job document. */
export interface ScriptedAnswer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
}

export interface ClassFake {
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  readonly sent: Array<SentRequest>
  /** When the requests whose method is `method` (and path contains `path`) were sent. */
  readonly times: (method: string, path?: string) => ReadonlyArray<number>
}

const jobDocument = (request: HttpClientRequest.HttpClientRequest, path: string, n: number) => {
  const type = /\/api\/(catalog-[a-z]+-bulk-[a-z]+-job)s/.exec(path)?.[1] ??
    "catalog-category-bulk-update-job"
  const post = request.method === "POST"
  return {
    data: {
      type,
      id: post ? `01NEW${n}` : decodeURIComponent(path.replace(/\/$/, "").split("/").pop() ?? ""),
      attributes: {
        status: post ? "queued" : "complete",
        created_at: "2026-11-27T14:00:00+00:00",
        total_count: 1,
      },
      links: { self: "https://a.klaviyo.com/x" },
    },
  }
}

/** Answers every request with its job, or with what `answer` scripts for it. */
export const classFake = (
  answer: (request: SentRequest, index: number) => ScriptedAnswer | undefined = () => undefined,
): ClassFake => {
  const sent: Array<SentRequest> = []
  const layer = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request: HttpClientRequest.HttpClientRequest) =>
      Effect.gen(function* () {
        const path = new URL(request.url).pathname
        const seen = { at: yield* Clock.currentTimeMillis, method: request.method, path }
        sent.push(seen)
        const scripted = answer(seen, sent.length - 1)
        const status = scripted?.status ?? (request.method === "POST" ? 202 : 200)
        const body = status >= 300 ? "" : JSON.stringify(jobDocument(request, path, sent.length))
        return HttpClientResponse.fromWeb(
          request,
          new Response(body, {
            status,
            headers: { "content-type": "application/vnd.api+json", ...scripted?.headers },
          }),
        )
      })
    ),
  )
  const times = (method: string, path?: string) =>
    sent.filter((request) => request.method === method && (path === undefined || request.path.includes(path)))
      .map((request) => request.at)
  return { layer, sent, times }
}
