/**
 * The options of limit classes: `rateLimit.classes` and a shared budget's `revision`, of the
 * wrong type or value, are each an `InvalidRequest` naming the option (from `KlaviyoClient.layer`,
 * `makeKlaviyoClient` and `RateLimitBudget.layerMemory` alike); nothing is sent.
 */
import { Cause, Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  InvalidRequest,
  KlaviyoClient,
  type KlaviyoClientOptions,
  KlaviyoSimulator,
  makeKlaviyoClient,
  RateLimitBudget,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"

const invalid = (error: unknown) =>
  error instanceof InvalidRequest ? { input: error.input, reason: error.reason } : error

const second = "1 second" as const
const throwing = new Proxy({}, {
  ownKeys: () => {
    throw new Error("no keys")
  },
})

/** `rateLimit` options refused, and why. */
const cases: ReadonlyArray<readonly [string, unknown, string]> = [
  [
    "classes as a number",
    { classes: 5 },
    "rateLimit.classes must be an object of limit classes (jobs-read, jobs-write), not a number",
  ],
  [
    "a class that does not exist",
    { classes: { "jobs_write": { burst: { limit: 1, window: second } } } },
    "rateLimit.classes has a member that is not a limit class (jobs-read, jobs-write)",
  ],
  [
    "a class as null",
    { classes: { "jobs-write": null } },
    "rateLimit.classes.jobs-write must be { burst?, steady? }, not null",
  ],
  [
    "a class's window as a number",
    { classes: { "jobs-write": { burst: 5 } } },
    "rateLimit.classes.jobs-write.burst must be { limit, window }, not a number",
  ],
  [
    "a class's limit as a string",
    { classes: { "jobs-read": { steady: { limit: "10", window: second } } } },
    "rateLimit.classes.jobs-read.steady.limit must be a number, not a string",
  ],
  [
    "a class's window of NaN",
    { classes: { "jobs-write": { steady: { limit: 10, window: Number.NaN } } } },
    "rateLimit.classes.jobs-write.steady.window must be a duration, not NaN",
  ],
  [
    "a class's limit of 0",
    { classes: { "jobs-write": { burst: { limit: 0, window: second } } } },
    "rateLimit.classes.jobs-write.burst.limit must be a whole number from 1 to 100000, not 0",
  ],
  [
    "a class's fractional limit",
    { classes: { "jobs-write": { steady: { limit: 7.5, window: "1 minute" } } } },
    "rateLimit.classes.jobs-write.steady.limit must be a whole number from 1 to 100000, not 7.5",
  ],
  [
    "a class's window of zero",
    { classes: { "jobs-write": { steady: { limit: 10, window: "0 seconds" } } } },
    "rateLimit.classes.jobs-write.steady.window must be a positive duration",
  ],
  [
    "jobs-read's burst given twice",
    {
      burst: { limit: 10, window: second },
      classes: { "jobs-read": { burst: { limit: 20, window: second } } },
    },
    "rateLimit.burst and rateLimit.classes.jobs-read.burst both set the jobs-read burst window: give one",
  ],
  [
    "jobs-read's steady given twice",
    {
      steady: { limit: 10, window: "1 minute" },
      classes: { "jobs-read": { steady: { limit: 20, window: "1 minute" } } },
    },
    "rateLimit.steady and rateLimit.classes.jobs-read.steady both set the jobs-read steady window: give one",
  ],
  [
    "classes that cannot be read",
    { classes: throwing },
    "rateLimit.classes could not be read (reading it threw)",
  ],
  [
    "the top-level burst's limit of 0 (as before classes)",
    { burst: { limit: 0, window: second } },
    "rateLimit.burst.limit must be a whole number from 1 to 100000, not 0",
  ],
]

describe("limit-class options of the wrong type or value", () => {
  for (const [name, rateLimit, reason] of cases) {
    it(`KlaviyoClient.layer: ${name}`, async () => {
      const model = KlaviyoSimulator.model()
      const exit = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
        Effect.provide(
          KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit } as KlaviyoClientOptions).pipe(
            Layer.provide(KlaviyoSimulator.layer(model)),
          ),
        ),
        Effect.runPromiseExit,
      )
      expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({
        input: "rateLimit",
        reason,
      })
      expect(model.stats.requests).toBe(0)
    })

    it(`makeKlaviyoClient: ${name}`, async () => {
      const model = KlaviyoSimulator.model()
      const client = makeKlaviyoClient(
        { apiKey: SIMULATED_API_KEY, rateLimit, httpClient: KlaviyoSimulator.layer(model) } as never,
      )
      const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
      await client.close()
      expect(invalid(error)).toEqual({ input: "rateLimit", reason })
      expect(model.stats.requests).toBe(0)
    })

    it(`RateLimitBudget.layerMemory: ${name}`, async () => {
      const exit = await Effect.runPromiseExit(
        Effect.provide(Effect.service(RateLimitBudget), RateLimitBudget.layerMemory(rateLimit as never)),
      )
      expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({
        input: "rateLimit",
        reason,
      })
    })
  }

  it.each([
    ["a number", 5, "rateLimit.revision must be a string, not a number"],
    [
      "a malformed date",
      "2025-7-15",
      'rateLimit.revision: "2025-7-15" is not of the form YYYY-MM-DD or YYYY-MM-DD.suffix (for example 2026-07-15)',
    ],
    [
      "a day that does not exist",
      "2025-13-01",
      'rateLimit.revision: "2025-13-01" names a day that does not exist',
    ],
  ])("RateLimitBudget.layerMemory: a revision that is %s", async (_, revision, reason) => {
    const exit = await Effect.runPromiseExit(
      Effect.provide(Effect.service(RateLimitBudget), RateLimitBudget.layerMemory({ revision } as never)),
    )
    expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({
      input: "rateLimit",
      reason,
    })
  })

  it("reads the classes once: a getter is read a single time", async () => {
    let reads = 0
    const options = {
      get classes() {
        reads++
        return { "jobs-write": { burst: { limit: 5, window: second } } }
      },
    }
    const exit = await Effect.runPromiseExit(
      Effect.provide(
        Effect.map(Effect.service(RateLimitBudget), (budget) => budget.classes?.["jobs-write"].burst.limit),
        RateLimitBudget.layerMemory(options),
      ),
    )
    expect(exit).toEqual(Exit.succeed(5))
    expect(reads).toBe(1)
  })
})
