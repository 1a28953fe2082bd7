/** Every retry is visible: log lines (tested in retry.test.ts), span events and metrics. */
import { Effect, Exit, Layer, Metric, Tracer } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient, type KlaviyoClientBaseOptions } from "../mod.ts"
import { drive } from "./support/clock.ts"
import { fakeTransport, type Step } from "./support/fake.ts"

/** The counters' values, by name and attributes. */
const counters = Effect.map(Metric.snapshot, (snapshots) => {
  const values = new Map<string, number>()
  for (const snapshot of snapshots) {
    if (snapshot.type !== "Counter" || !snapshot.id.startsWith("klaviyo_")) continue
    const attributes = Object.entries(snapshot.attributes ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(
      ",",
    )
    values.set(
      attributes === "" ? snapshot.id : `${snapshot.id}{${attributes}}`,
      Number(snapshot.state.count),
    )
  }
  return values
})

const runObserved = (steps: ReadonlyArray<Step>, options: KlaviyoClientBaseOptions, calls = 1) =>
  Effect.gen(function* () {
    const events: Array<{ readonly span: string; readonly name: string; readonly attributes: unknown }> = []
    const tracer = Tracer.make({
      span(options) {
        const span = Tracer.nativeTracer.span(options)
        const event = span.event.bind(span)
        span.event = (name, time, attributes) => {
          events.push({ span: span.name, name, attributes })
          event(name, time, attributes)
        }
        return span
      },
    })
    const fake = fakeTransport(steps)
    const before = yield* counters
    const exit = yield* drive(
      // Each call's exit is kept, so that one call's failure does not interrupt the others.
      Effect.all(Array.from({ length: calls }, () => Effect.exit(getCatalogCategoryBulkUpdateJob("job-1"))), {
        concurrency: "unbounded",
      }).pipe(
        Effect.provide(
          KlaviyoClient.layer({ apiKey: "pk_test", ...options }).pipe(Layer.provide(fake.layer)),
        ),
        Effect.withTracer(tracer),
      ),
      { step: "10 millis", maxSteps: 10_000 },
    )
    const after = yield* counters
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0)
    return { exit, events, delta }
  }).pipe(Effect.provide(TestClock.layer()), Effect.runPromise)

describe("observability", () => {
  it("records each retry as a span event with the attempt, the cause, the delay and its source", async () => {
    const { events, exit } = await runObserved(
      [{ status: 429, headers: { "retry-after": "2" } }, { status: 503 }],
      { rateLimit: false, retry: { base: "100 millis" } },
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    const retries = events.filter((event) => event.name === "klaviyo.retry")
    expect(retries.map((event) => event.span)).toEqual(["klaviyo.send", "klaviyo.send"])
    expect(retries[0]!.attributes).toEqual({
      "klaviyo.retry.attempt": 2,
      "klaviyo.retry.cause": "status 429",
      "klaviyo.retry.delay_ms": 2000,
      "klaviyo.retry.delay_source": "retry-after",
    })
    expect(retries[1]!.attributes).toMatchObject({
      "klaviyo.retry.attempt": 3,
      "klaviyo.retry.cause": "status 503",
      "klaviyo.retry.delay_source": "backoff",
    })
  })

  it("counts requests by outcome, retries by delay source, and 429s", async () => {
    const { delta, exit } = await runObserved(
      [{ status: 429, headers: { "retry-after": "1" } }, { status: 503 }, { status: 404 }],
      { rateLimit: false, retry: { base: "100 millis" } },
      2,
    )
    // One call meets the 429, then succeeds; the other meets the 503, then the 404.
    expect(Exit.isSuccess(exit) && exit.value.map((call) => call._tag)).toEqual(["Success", "Failure"])
    expect(delta("klaviyo_requests_total{outcome=429}")).toBe(1)
    expect(delta("klaviyo_requests_total{outcome=503}")).toBe(1)
    expect(delta("klaviyo_requests_total{outcome=404}")).toBe(1)
    expect(delta("klaviyo_requests_total{outcome=200}")).toBe(1)
    expect(delta("klaviyo_retries_total{source=retry-after}")).toBe(1)
    expect(delta("klaviyo_retries_total{source=backoff}")).toBe(1)
    expect(delta("klaviyo_429_total")).toBe(1)
  })

  it("counts the time spent waiting for the rate-limit budget", async () => {
    const { delta, exit } = await runObserved([], {
      retry: false,
      rateLimit: {
        burst: { limit: 2, window: "1 second" },
        steady: { limit: 100, window: "1 minute" },
        margin: "1 millis",
      },
    }, 3)
    expect(Exit.isSuccess(exit)).toBe(true)
    // Two calls go at once; the third waits for the first burst permit to come free after 1 s
    // and the 1 ms margin.
    expect(delta("klaviyo_rate_limit_wait_ms{limit_class=jobs-read}")).toBe(1001)
  })
})
