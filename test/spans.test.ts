/** The library's spans are built when a tracer records them, and only then. */
import { Effect, Layer, Option, Tracer } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient } from "../mod.ts"
import { fakeTransport } from "./support/fake.ts"

/** One call inside the caller's span `outer`; returns the span the request went out in, and the spans made. */
const oneCall = (traced: boolean) => {
  const made: Array<string> = []
  const seen: Array<string> = []
  const recording = Layer.effect(
    HttpClient.HttpClient,
    Effect.map(
      Effect.service(HttpClient.HttpClient),
      (client) =>
        HttpClient.transform(client, (effect) =>
          Effect.andThen(
            Effect.map(Effect.option(Effect.currentSpan), (span) => {
              seen.push(Option.isSome(span) ? span.value.name : "none")
            }),
            effect,
          )),
    ),
  ).pipe(Layer.provide(fakeTransport([]).layer))
  const call = getCatalogCategoryBulkUpdateJob("job-1").pipe(
    Effect.withSpan("outer"),
    Effect.provide(KlaviyoClient.layer({ apiKey: "pk_test" }).pipe(Layer.provide(recording))),
  )
  const counting = Tracer.make({
    span(options) {
      made.push(options.name)
      return Tracer.nativeTracer.span(options)
    },
  })
  return (traced ? Effect.withTracer(call, counting) : call).pipe(
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  ).then(() => ({ made, seen }))
}

describe("spans", () => {
  it("with a tracer, a GET makes its six spans and the request goes out in klaviyo.send", async () => {
    const { made, seen } = await oneCall(true)
    expect(made).toEqual([
      "outer",
      "klaviyo.getCatalogCategoryBulkUpdateJob",
      "klaviyo.buildRequest",
      "klaviyo.send",
      "klaviyo.rateLimit",
      "klaviyo.decode",
      "klaviyo.resolve",
    ])
    expect(seen).toEqual(["klaviyo.send"])
  })

  it("with no tracer, no span of the library is built: the request goes out in the caller's span", async () => {
    const { seen } = await oneCall(false)
    expect(seen).toEqual(["outer"])
  })
})
