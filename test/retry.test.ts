import { Duration, Effect, Exit, Layer, Logger, References } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  type AttemptFailure,
  backoffDelay,
  DecodeError,
  defaultRetrySettings,
  getCatalogCategoryBulkUpdateJob,
  KlaviyoApiError,
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  retryDecision,
  TransportError,
  type TransportFailure,
} from "../mod.ts"
import { drive, failureOf } from "./support/clock.ts"
import { fakeTransport, type Step } from "./support/fake.ts"

const apiError = (status: number, retryAfterSeconds?: number) =>
  new KlaviyoApiError({
    status,
    method: "GET",
    url: "https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/x",
    revision: "2026-07-15",
    errors: [],
    retryAfter: retryAfterSeconds === undefined ? undefined : Duration.seconds(retryAfterSeconds),
  })
const transport = (kind: TransportFailure) =>
  new TransportError({ kind, method: "GET", url: "u", detail: "d" })
const decide = (failure: AttemptFailure, retry = 1, random = 0.5) =>
  retryDecision(failure, retry, random, defaultRetrySettings)

describe("the retry decision, status by status", () => {
  for (const status of [500, 502, 503, 504, 524]) {
    it(`retries ${status} after our own backoff`, () => {
      expect(decide(apiError(status))).toEqual({
        _tag: "Retry",
        delay: Duration.millis(250),
        source: "backoff",
        cause: `status ${status}`,
      })
    })
  }
  for (const status of [400, 401, 403, 404, 405, 406, 409, 410, 415, 422, 501, 505]) {
    it(`never retries ${status}`, () => {
      expect(decide(apiError(status))).toEqual({ _tag: "Stop", reason: `status ${status} is not retried` })
    })
  }
  it("retries 429 after exactly Retry-After, with no jitter", () => {
    for (const random of [0, 0.5, 0.999]) {
      expect(decide(apiError(429, 7), 2, random)).toEqual({
        _tag: "Retry",
        delay: Duration.seconds(7),
        source: "retry-after",
        cause: "status 429",
      })
    }
  })
  it("retries a 503 with Retry-After after the header's delay", () => {
    expect(decide(apiError(503, 2))).toMatchObject({
      _tag: "Retry",
      delay: Duration.seconds(2),
      source: "retry-after",
    })
  })
  it("retries 429 without Retry-After on the backoff", () => {
    expect(decide(apiError(429), 3, 0.5)).toMatchObject({
      _tag: "Retry",
      delay: Duration.millis(1000),
      source: "backoff",
    })
  })
  it("stops when Retry-After is longer than maxRetryAfter", () => {
    expect(decide(apiError(429, 61))).toEqual({
      _tag: "Stop",
      reason: "Retry-After of 1m 1s is longer than maxRetryAfter (1m)",
    })
  })
  for (const kind of ["network", "timeout", "body"] as const) {
    it(`retries a ${kind} failure`, () => {
      expect(decide(transport(kind))).toMatchObject({ _tag: "Retry", source: "backoff", cause: `${kind}: d` })
    })
  }
  it("never retries an oversized body, a passed deadline or a decoding mismatch", () => {
    expect(decide(transport("oversized"))._tag).toBe("Stop")
    expect(decide(transport("deadline"))._tag).toBe("Stop")
    expect(decide(new DecodeError({ path: "data", reason: "r", issues: [], url: "u" }))._tag).toBe("Stop")
  })
  it("stops after the last retry", () => {
    expect(decide(apiError(500), 3)._tag).toBe("Retry")
    expect(decide(apiError(500), 4)).toEqual({ _tag: "Stop", reason: "gave up after 3 retries" })
  })
})

describe("the backoff", () => {
  it("doubles from base, jittered between 0.8 and 1.2, capped at maxDelay", () => {
    const at = (retry: number, random: number) =>
      Duration.toMillis(backoffDelay(retry, random, defaultRetrySettings))
    expect([1, 2, 3, 4, 5].map((retry) => at(retry, 0.5))).toEqual([250, 500, 1000, 2000, 4000])
    expect([at(2, 0), at(2, 0.999999)]).toEqual([400, 600])
    expect(at(7, 0.5)).toBe(10_000)
    expect(at(20, 0.999)).toBe(10_000)
  })
})

/** Runs one call over a fake transport under TestClock, moving time in 10 ms steps until it ends. */
const underTestClock = (
  steps: ReadonlyArray<Step>,
  options: KlaviyoClientBaseOptions = {},
  logs: Array<string> = [],
) =>
  Effect.gen(function* () {
    const fake = fakeTransport(steps)
    const exit = yield* drive(
      getCatalogCategoryBulkUpdateJob("job-1").pipe(
        Effect.provide(
          KlaviyoClient.layer({ apiKey: "pk_test", rateLimit: false, ...options }).pipe(
            Layer.provide(fake.layer),
          ),
        ),
      ),
      { step: "10 millis", maxSteps: 20_000 },
    )
    return { exit, times: fake.times }
  }).pipe(
    Effect.provide(Logger.layer([Logger.make((entry) => void logs.push(String(entry.message)))])),
    Effect.provideService(References.MinimumLogLevel, "All"),
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  )

describe("retrying on a Schedule", () => {
  it("retries a 429 exactly after Retry-After, never sooner", async () => {
    const { exit, times } = await underTestClock([{ status: 429, headers: { "retry-after": "5" } }])
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(times).toEqual([0, 5000])
  })

  it("retries each retried 5xx and succeeds, the attempts spaced by the jittered backoff", async () => {
    const { exit, times } = await underTestClock([{ status: 503 }, { status: 524 }, { status: 500 }], {
      retry: { base: "100 millis" },
    })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(times).toHaveLength(4)
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    // 100, 200, 400 ms, each within ±20% (and rounded up to the 10 ms steps of the test clock).
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(0.8 * 100 * 2 ** i)
      expect(gap).toBeLessThanOrEqual(1.2 * 100 * 2 ** i + 10)
    })
  })

  it("sends a non-retried 4xx exactly once", async () => {
    const { exit, times } = await underTestClock([{ status: 404, body: { errors: [{ code: "not_found" }] } }])
    expect(times).toEqual([0])
    expect(failureOf(exit))
      .toMatchObject({
        _tag: "KlaviyoApiError",
        status: 404,
      })
  })

  it("fails at once with the 429 and its retryAfter when Retry-After is past maxRetryAfter", async () => {
    const { exit, times } = await underTestClock([{ status: 429, headers: { "retry-after": "120" } }])
    expect(times).toEqual([0])
    const error = failureOf(exit)
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect(Duration.toSeconds((error as KlaviyoApiError).retryAfter!)).toBe(120)
  })

  it("gives up after `times` retries with the last failure", async () => {
    const { exit, times } = await underTestClock(
      Array.from({ length: 5 }, () => ({ fail: "network" as const })),
      {
        retry: { times: 2, base: "10 millis" },
      },
    )
    expect(times).toHaveLength(3)
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "TransportError", kind: "network" })
  })

  it("makes a single attempt with retry: false", async () => {
    const { times } = await underTestClock([{ status: 503 }], { retry: false })
    expect(times).toEqual([0])
  })

  it("holds a custom policy to Retry-After", async () => {
    const { times } = await underTestClock([{ status: 429, headers: { "retry-after": "2" } }], {
      retry: () => ({ _tag: "Retry", delay: Duration.millis(10), source: "backoff", cause: "mine" }),
    })
    expect(times).toEqual([0, 2000])
  })

  it("logs every retry with the attempt, the cause, the delay and its source", async () => {
    const logs: Array<string> = []
    await underTestClock([{ status: 429, headers: { "retry-after": "1" } }, { status: 502 }], {
      retry: { base: "100 millis" },
    }, logs)
    const retries = logs.filter((line) => line.startsWith("Retrying"))
    expect(retries).toHaveLength(2)
    expect(retries[0]).toBe(
      "Retrying getCatalogCategoryBulkUpdateJob (attempt 2) in 1s (retry-after) after status 429",
    )
    expect(retries[1]).toMatch(
      /^Retrying getCatalogCategoryBulkUpdateJob \(attempt 3\) in \d+ms \(backoff\) after status 502$/,
    )
  })
})

describe("deadlines", () => {
  it("fails at once with the last failure when the next retry would come after the deadline", async () => {
    const { exit, times } = await underTestClock(
      Array.from({ length: 10 }, () => ({ status: 503, headers: { "retry-after": "1" } })),
      { deadline: "2500 millis", retry: { times: 10 } },
    )
    // Attempts at 0, 1 s and 2 s; a retry at 3 s would pass the deadline, so the 503 is the answer.
    expect(times).toEqual([0, 1000, 2000])
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "KlaviyoApiError", status: 503 })
  })

  it("ends a call whose attempt is still running at the deadline with a TransportError of kind deadline", async () => {
    const { exit, times } = await underTestClock([{ status: 503 }, { hang: true }], {
      deadline: "2500 millis",
      timeout: "10 seconds",
      retry: { base: "100 millis" },
    })
    expect(times).toHaveLength(2)
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "TransportError", kind: "deadline" })
    expect((error as TransportError).message).toContain("passed its deadline of 2s 500ms")
  })
})
