/**
 * The library's spans and metrics as an application sees them in its own tracing: exported
 * through `@effect/opentelemetry` to an OpenTelemetry SDK (in-memory exporters here, where an
 * application would have OTLP). A 429 with `Retry-After`, then a success.
 */
import type { DataPoint, MetricData, ResourceMetrics } from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { collectingReader, telemetry, tracedGet } from "../examples/telemetry.ts"
import { makeKlaviyoModel, SIMULATED_JOB_ID } from "../mod.ts"

/** Each exported metric's points as `{attributes}=value`, by metric name. */
const pointsOf = (collected: ResourceMetrics): Map<string, Array<string>> => {
  const points = new Map<string, Array<string>>()
  for (const scope of collected.scopeMetrics) {
    for (const metric of scope.metrics as ReadonlyArray<MetricData>) {
      if (!metric.descriptor.name.startsWith("klaviyo_")) continue
      const shown = (metric.dataPoints as ReadonlyArray<DataPoint<unknown>>).map((point) =>
        `${JSON.stringify(point.attributes)}=${JSON.stringify(point.value)}`
      )
      points.set(metric.descriptor.name, shown)
    }
  }
  return points
}

describe("telemetry through @effect/opentelemetry", () => {
  it("exports the request's spans, the 429's retry event and the metrics of requests, retries, 429s and waits", async () => {
    const spans = new InMemorySpanExporter()
    const reader = collectingReader()
    const model = makeKlaviyoModel()
    model.inject({ status: 429, retryAfter: 1 })
    // Read before the layer is released: shutting the SDK down empties the in-memory exporter.
    const { collected, finished, job } = await Effect.gen(function* () {
      const job = yield* tracedGet(model, SIMULATED_JOB_ID).pipe(Effect.withSpan("app.request"))
      const finished: ReadonlyArray<ReadableSpan> = spans.getFinishedSpans()
      const collected = yield* Effect.promise(() => reader.collect())
      return { collected, finished, job }
    }).pipe(
      Effect.provide(telemetry(new SimpleSpanProcessor(spans), reader)),
      Effect.runPromise,
    )
    expect(job.id).toBe(SIMULATED_JOB_ID)

    expect(finished.map((span) => span.name)).toEqual([
      "klaviyo.buildRequest",
      "klaviyo.rateLimit",
      "klaviyo.rateLimit",
      "klaviyo.send",
      "klaviyo.decode",
      "klaviyo.resolve",
      "klaviyo.getCatalogCategoryBulkUpdateJob",
      "app.request",
    ])
    const byName = (name: string) => finished.find((span) => span.name === name)!
    // One trace: the library's spans are children of the application's.
    const app = byName("app.request")
    expect(new Set(finished.map((span) => span.spanContext().traceId))).toEqual(
      new Set([app.spanContext().traceId]),
    )
    expect(byName("klaviyo.getCatalogCategoryBulkUpdateJob").parentSpanContext?.spanId).toBe(
      app.spanContext().spanId,
    )
    const send = byName("klaviyo.send")
    expect(send.attributes["klaviyo.operation"]).toBe("getCatalogCategoryBulkUpdateJob")
    const retry = {
      "klaviyo.retry.attempt": 2,
      "klaviyo.retry.cause": "status 429",
      "klaviyo.retry.delay_ms": 1000,
      "klaviyo.retry.delay_source": "retry-after",
    }
    // The retry's warning (Effect records a span's logs as its events), then the retry's own event.
    expect(send.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        "Retrying getCatalogCategoryBulkUpdateJob (attempt 2) in 1s (retry-after) after status 429",
        { "effect.fiberId": expect.any(Number), "effect.logLevel": "WARN", ...retry },
      ],
      ["klaviyo.retry", retry],
    ])
    expect(finished.filter((span) => span.name === "klaviyo.rateLimit").map((span) => span.attributes))
      .toEqual([{ "klaviyo.limit_class": "jobs-read" }, { "klaviyo.limit_class": "jobs-read" }])

    const points = pointsOf(collected.resourceMetrics)
    expect([...points.keys()].sort()).toEqual([
      "klaviyo_429_total",
      "klaviyo_rate_limit_pauses_total",
      "klaviyo_rate_limit_wait_ms",
      "klaviyo_requests_total",
      "klaviyo_retries_total",
    ])
    expect(points.get("klaviyo_requests_total")).toEqual(['{"outcome":"429"}=1', '{"outcome":"200"}=1'])
    expect(points.get("klaviyo_retries_total")).toEqual(['{"source":"retry-after"}=1'])
    expect(points.get("klaviyo_429_total")).toEqual(["{}=1"])
    // The milliseconds spent taking permits (the retry waited out the 429's pause before it asked).
    expect(points.get("klaviyo_rate_limit_wait_ms")).toEqual([
      expect.stringMatching(/^\{"limit_class":"jobs-read"\}=\d+$/),
    ])
    expect(points.get("klaviyo_rate_limit_pauses_total")).toEqual(['{"limit_class":"jobs-read"}=1'])
  })
})
