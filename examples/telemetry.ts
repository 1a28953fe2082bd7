/**
 * Telemetry, as the ecosystem does it: the library's spans and metrics are Effect's, and
 * `@effect/opentelemetry` exports them to an OpenTelemetry SDK with the application's own. This
 * example is run by `test/telemetry.test.ts` (with in-memory exporters where an application
 * would have OTLP ones); see `docs/telemetry.md`.
 *
 * @module
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import type * as Resource from "@effect/opentelemetry/Resource"
import { MetricReader } from "@opentelemetry/sdk-metrics"
import type { SpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import {
  type CatalogCategoryBulkUpdateJob,
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  type KlaviyoModel,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
} from "../mod.ts"

/**
 * A metric reader that exports only when asked (`reader.collect()`), for a test; an application
 * would use a `PeriodicExportingMetricReader` with an OTLP exporter.
 */
export const collectingReader = (): MetricReader => {
  class Collecting extends MetricReader {
    protected override onForceFlush(): Promise<void> {
      return Promise.resolve()
    }
    protected override onShutdown(): Promise<void> {
      return Promise.resolve()
    }
  }
  return new Collecting()
}

/**
 * The application's telemetry: its spans (the library's among them) to `spanProcessor`, its
 * metrics (the library's among them) to `metricReader`. In production: a `BatchSpanProcessor`
 * over an OTLP exporter, and a `PeriodicExportingMetricReader`.
 */
export const telemetry = (
  spanProcessor: SpanProcessor,
  metricReader: MetricReader,
): Layer.Layer<Resource.Resource> =>
  NodeSdk.layer(() => ({ resource: { serviceName: "catalog-sync" }, spanProcessor, metricReader }))

/** One GET of a job against `model` (the simulator): its spans go wherever the tracer installed sends them. */
export const tracedGet = (
  model: KlaviyoModel,
  jobId: string,
): Effect.Effect<CatalogCategoryBulkUpdateJob> =>
  getCatalogCategoryBulkUpdateJob(jobId).pipe(
    Effect.provide(
      KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY }).pipe(Layer.provide(KlaviyoSimulator.layer(model))),
    ),
    Effect.orDie,
  )
