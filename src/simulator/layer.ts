/**
 * The simulated Klaviyo as an `HttpClient` layer: each request (method, URL, headers and body)
 * answered by the model at the `Clock`'s time, its faults served as a real connection would
 * meet them (a reset, a late answer).
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import type * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import type { KlaviyoModel, KlaviyoSimulatorApi } from "./api.ts"
import { makeKlaviyoModel } from "./model.ts"
import type { KlaviyoSimulatorOptions } from "./options.ts"

const utf8 = /* @__PURE__ */ new TextDecoder()

/** A request's body as text (`undefined` for none, or for a form, which no operation takes). */
const bodyText = (body: HttpBody.HttpBody): Effect.Effect<string | undefined> => {
  switch (body._tag) {
    case "Empty":
    case "FormData":
      return Effect.succeed(undefined)
    case "Uint8Array":
      return Effect.succeed(body.text ?? utf8.decode(body.body))
    case "Raw":
      return Effect.succeed(
        typeof body.body === "string"
          ? body.body
          : body.body instanceof Uint8Array
          ? utf8.decode(body.body)
          : undefined,
      )
    case "Stream":
      return Stream.mkUint8Array(body.stream).pipe(
        Effect.map((bytes) => utf8.decode(bytes)),
        Effect.orElseSucceed(() => undefined),
      )
  }
}

const isModel = (value: KlaviyoSimulatorOptions | KlaviyoModel | undefined): value is KlaviyoModel =>
  value !== undefined && "handle" in value && typeof value.handle === "function"

/**
 * The simulated Klaviyo, as an `HttpClient` layer: provide it instead of
 * `FetchHttpClient.layer` to run the library (and your code around it) without a network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import {
 *   getCatalogCategoryBulkUpdateJob,
 *   KlaviyoClient,
 *   KlaviyoSimulator,
 *   SIMULATED_API_KEY,
 *   SIMULATED_JOB_ID,
 * } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] }).pipe(
 *   Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
 *   Effect.provide(KlaviyoSimulator.layer()),
 *   Effect.runPromise,
 * )
 * console.log(job.categories.length) // 3
 * ```
 *
 * @since 0.1.0
 * @category simulator
 */
export const KlaviyoSimulator: KlaviyoSimulatorApi = {
  model: makeKlaviyoModel,
  layer: (options) => {
    const model = isModel(options) ? options : makeKlaviyoModel(options)
    return Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request, url) =>
        Effect.gen(function* () {
          const body = yield* bodyText(request.body)
          const answer = model.handle(
            { method: request.method, url: url.href, headers: request.headers, body },
            yield* Clock.currentTimeMillis,
          )
          if (answer.reset === true) {
            return yield* new HttpClientError.HttpClientError({
              reason: new HttpClientError.TransportError({
                request,
                description: "the connection was reset by the simulator (ECONNRESET)",
              }),
            })
          }
          if (answer.delayMillis !== undefined && answer.delayMillis > 0) {
            yield* Effect.sleep(Duration.millis(answer.delayMillis))
          }
          // A status that cannot have a body (204, 205, 304) is sent without one.
          const bodiless = answer.status === 204 || answer.status === 205 || answer.status === 304
          return HttpClientResponse.fromWeb(
            request,
            new Response(bodiless ? null : answer.body, { status: answer.status, headers: answer.headers }),
          )
        })
      ),
    )
  },
}
