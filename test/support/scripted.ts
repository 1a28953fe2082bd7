/**
 * A scripted `HttpClient` made with `HttpClient.make`, for the transforms' own tests: each
 * request is answered by the next scripted answer (then a 200 `{}`), and every hop is recorded
 * as the platform saw it (method, URL, headers, body, the `RequestInit` in context, the time).
 */
import { Context, Duration, Effect } from "effect"
import {
  FetchHttpClient,
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
} from "effect/http"
import type { RateLimitBudgetShape } from "../../mod.ts"
import type { LimitClass } from "../../src/http/request.ts"

export type Answer =
  | {
    readonly status: number
    readonly headers?: Readonly<Record<string, string>>
    /** The body: text, or a stream (to see whether it is read or cancelled). */
    readonly body?: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>
    /** How long the answer's head takes, by the clock the client runs under. */
    readonly delayMillis?: number
  }
  | { readonly fail: "reset" | "refused" }
  | { readonly hang: true }

/** A hop as the platform saw it. */
export interface Hop {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly init: RequestInit | undefined
  readonly at: number
}

/** The content-type of a JSON:API document. */
export const json: Readonly<Record<string, string>> = { "content-type": "application/vnd.api+json" }

const bodyText = (request: HttpClientRequest.HttpClientRequest): string =>
  request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""

/** A client answering `answers` in order; `hops` records what it was sent. */
export const scriptedClient = (
  answers: ReadonlyArray<Answer>,
): { readonly client: HttpClient.HttpClient; readonly hops: Array<Hop> } => {
  const queue = [...answers]
  const hops: Array<Hop> = []
  const client = HttpClient.make((request, _url, _signal, fiber) =>
    Effect.gen(function* () {
      hops.push({
        method: request.method,
        url: request.url,
        headers: { ...request.headers },
        body: bodyText(request),
        init: Context.getOrUndefined(fiber.context, FetchHttpClient.RequestInit),
        at: yield* Effect.clockWith((clock) => Effect.succeed(clock.currentTimeMillisUnsafe())),
      })
      const answer = queue.shift() ?? { status: 200, headers: json, body: "{}" }
      if ("hang" in answer) return yield* Effect.never
      if ("fail" in answer) {
        const cause = answer.fail === "refused"
          ? Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } })
          : new TypeError("fetch failed: other side closed")
        return yield* new HttpClientError.HttpClientError({
          reason: new HttpClientError.TransportError({ request, cause }),
        })
      }
      if (answer.delayMillis !== undefined) yield* Effect.sleep(answer.delayMillis)
      return HttpClientResponse.fromWeb(
        request,
        new Response(answer.body ?? null, { status: answer.status, headers: answer.headers ?? {} }),
      )
    })
  )
  return { client, hops }
}

/** A stream of `chunks` that records whether it was read to its end or cancelled. */
export const watchedStream = (
  chunks: ReadonlyArray<string>,
  options: { readonly end?: boolean } = {},
): {
  readonly stream: ReadableStream<Uint8Array>
  readonly state: { pulled: number; cancelled: boolean }
} => {
  const state = { pulled: 0, cancelled: false }
  let index = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++]
      if (chunk !== undefined) {
        state.pulled++
        controller.enqueue(new TextEncoder().encode(chunk))
      } else if (options.end !== false) controller.close()
    },
    cancel() {
      state.cancelled = true
    },
  })
  return { stream, state }
}

/** What a recording budget was asked. */
export interface BudgetRecord {
  readonly permits: Array<LimitClass | undefined>
  readonly pauses: Array<number>
  readonly observed: Array<Readonly<Record<string, string>>>
  /** The limit class of each pause and each observed answer, in order. */
  readonly classes: Array<LimitClass | undefined>
}

/** A budget that lets everything through and records every call. */
export const recordingBudget = (
  options: { readonly permit?: Effect.Effect<void, never> } = {},
): { readonly budget: RateLimitBudgetShape; readonly record: BudgetRecord } => {
  const record: BudgetRecord = { permits: [], pauses: [], observed: [], classes: [] }
  const budget: RateLimitBudgetShape = {
    withPermit: (effect, limitClass) =>
      Effect.andThen(
        Effect.andThen(Effect.sync(() => record.permits.push(limitClass)), options.permit ?? Effect.void),
        effect,
      ),
    pause: (duration, limitClass) =>
      Effect.sync(() => {
        record.pauses.push(Duration.toMillis(duration))
        record.classes.push(limitClass)
      }),
    observe: (headers, limitClass) =>
      Effect.sync(() => {
        record.observed.push({ ...headers })
        record.classes.push(limitClass)
      }),
  }
  return { budget, record }
}
