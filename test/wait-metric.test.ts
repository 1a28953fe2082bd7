/**
 * The budget's wait counter is there as soon as a traced call took its permit, at 0 when it
 * waited for nothing (before, only when the clock moved by a millisecond meanwhile, so that an
 * exporter saw it or not by chance: the telemetry test failed so once in CI). Its own file: the
 * metric registry is the process's, and this test needs it unwritten.
 */
import { Effect, Exit, Layer, Metric, Tracer } from "effect"
import { TestClock } from "effect/testing"
import { expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient } from "../mod.ts"
import { drive } from "./support/clock.ts"
import { fakeTransport } from "./support/fake.ts"

const waitCounter = Effect.map(
  Metric.snapshot,
  (snapshots) =>
    snapshots.find((snapshot) =>
      snapshot.type === "Counter" && snapshot.id === "klaviyo_rate_limit_wait_ms" &&
      snapshot.attributes?.["limit_class"] === "jobs-read"
    ),
)

it("a traced call that waited for no permit leaves the wait counter at 0, exported", async () => {
  const { after, before, exit } = await Effect.gen(function* () {
    const before = yield* waitCounter
    const exit = yield* drive(
      Effect.exit(getCatalogCategoryBulkUpdateJob("job-1")).pipe(
        Effect.provide(
          KlaviyoClient.layer({ apiKey: "pk_test", retry: false }).pipe(
            Layer.provide(fakeTransport([]).layer),
          ),
        ),
        Effect.withTracer(Tracer.make({ span: (options) => Tracer.nativeTracer.span(options) })),
      ),
      { step: "10 millis", maxSteps: 100 },
    )
    return { after: yield* waitCounter, before, exit }
  }).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)
  expect(Exit.isSuccess(exit)).toBe(true)
  expect(before).toBeUndefined()
  expect(after?.type === "Counter" ? Number(after.state.count) : "absent").toBe(0)
})
