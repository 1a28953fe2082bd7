/**
 * Options of the wrong JavaScript type (code without TypeScript, or a cast): each is an
 * `InvalidRequest` naming the option, from `KlaviyoClient.layer` and from `makeKlaviyoClient`
 * alike, never a `TypeError`, a defect, or a silent default; nothing is sent, and a value that
 * might be a credential is described by its type, never echoed.
 */
import { Cause, Effect, Exit, Layer, Redacted } from "effect"
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

const key = SIMULATED_API_KEY
/** Options with one member of the wrong type, the input the error names, and its reason. */
const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
  ["no options", undefined, "client", "the client's options must be an object, not undefined"],
  ["null options", null, "client", "the client's options must be an object, not null"],
  ["the key instead of options", "pk_x", "client", "the client's options must be an object, not a string"],
  [
    "a number apiKey",
    { apiKey: 123 },
    "credentials",
    "apiKey must be a string or a Redacted string, not a number",
  ],
  [
    "a null apiKey",
    { apiKey: null },
    "credentials",
    "apiKey must be a string or a Redacted string, not null",
  ],
  [
    "an object apiKey",
    { apiKey: {} },
    "credentials",
    "apiKey must be a string or a Redacted string, not an object",
  ],
  [
    "an array apiKey",
    { apiKey: [key] },
    "credentials",
    "apiKey must be a string or a Redacted string, not an array",
  ],
  [
    "a Redacted number apiKey",
    { apiKey: Redacted.make(123) },
    "credentials",
    "apiKey must be a string or a Redacted string, not a Redacted number",
  ],
  [
    "a symbol accessToken",
    { accessToken: Symbol("t") },
    "credentials",
    "accessToken must be a string or a Redacted string, not a symbol",
  ],
  [
    "a number baseUrl",
    { apiKey: key, baseUrl: 5 },
    "baseUrl",
    "baseUrl must be a string or a URL, not a number",
  ],
  [
    "a null baseUrl",
    { apiKey: key, baseUrl: null },
    "baseUrl",
    "baseUrl must be a string or a URL, not null",
  ],
  [
    "a number revision",
    { apiKey: key, revision: 20260715 },
    "revision",
    "revision must be a string, not a number",
  ],
  [
    "a symbol revision",
    { apiKey: key, revision: Symbol("r") },
    "revision",
    "revision must be a string, not a symbol",
  ],
  ["a null timeout", { apiKey: key, timeout: null }, "timeout", "timeout must be a duration, not null"],
  [
    "an unreadable timeout",
    { apiKey: key, timeout: "soon" },
    "timeout",
    "timeout must be a positive duration",
  ],
  [
    "a boolean deadline",
    { apiKey: key, deadline: true },
    "deadline",
    "deadline must be a duration, not a boolean",
  ],
  [
    "retry: true",
    { apiKey: key, retry: true },
    "retry",
    "retry must be false, retry options or a retry policy (a function), not a boolean",
  ],
  [
    "a null retry",
    { apiKey: key, retry: null },
    "retry",
    "retry must be false, retry options or a retry policy (a function), not null",
  ],
  [
    "a number retry",
    { apiKey: key, retry: 3 },
    "retry",
    "retry must be false, retry options or a retry policy (a function), not a number",
  ],
  [
    "rateLimit: true",
    { apiKey: key, rateLimit: true },
    "rateLimit",
    'rateLimit must be false, "shared" or rate-limit options, not a boolean',
  ],
  [
    "a null rateLimit",
    { apiKey: key, rateLimit: null },
    "rateLimit",
    'rateLimit must be false, "shared" or rate-limit options, not null',
  ],
  [
    "another string rateLimit",
    { apiKey: key, rateLimit: "yes" },
    "rateLimit",
    'rateLimit must be false, "shared" or rate-limit options, not a string',
  ],
  [
    "a number burst",
    { apiKey: key, rateLimit: { burst: 5 } },
    "rateLimit",
    "rateLimit.burst must be { limit, window }, not a number",
  ],
  [
    "a null steady",
    { apiKey: key, rateLimit: { steady: null } },
    "rateLimit",
    "rateLimit.steady must be { limit, window }, not null",
  ],
  [
    "a null margin",
    { apiKey: key, rateLimit: { margin: null } },
    "rateLimit",
    "rateLimit.margin must be a duration, not null",
  ],
  [
    "a boolean maxPause",
    { apiKey: key, rateLimit: { maxPause: false } },
    "rateLimit",
    "rateLimit.maxPause must be a duration, not a boolean",
  ],
  [
    "a number key",
    { apiKey: key, rateLimit: { key: 5 } },
    "rateLimit",
    "rateLimit.key must be a string, not a number",
  ],
  [
    "an object account",
    { apiKey: key, rateLimit: { account: {} } },
    "rateLimit",
    "rateLimit.account must be a string, not an object",
  ],
  [
    "a number credential",
    { apiKey: key, rateLimit: { credential: 5 } },
    "rateLimit",
    "rateLimit.credential must be a string or a Redacted string, not a number",
  ],
  [
    "a string maxBodyBytes",
    { apiKey: key, maxBodyBytes: "5" },
    "maxBodyBytes",
    "maxBodyBytes must be a number, not a string",
  ],
  [
    "a fractional maxBodyBytes",
    { apiKey: key, maxBodyBytes: 1.5 },
    "maxBodyBytes",
    "maxBodyBytes must be a whole number of bytes, 1 or more",
  ],
  [
    "a null maxBodyBytes",
    { apiKey: key, maxBodyBytes: null },
    "maxBodyBytes",
    "maxBodyBytes must be a number, not null",
  ],
  [
    "a null retry.times",
    { apiKey: key, retry: { times: null } },
    "retry",
    "retry.times must be a number, not null",
  ],
  [
    "a symbol retry.base",
    { apiKey: key, retry: { base: Symbol("b") } },
    "retry",
    "retry.base must be a duration, not a symbol",
  ],
  [
    "a null burst.limit",
    { apiKey: key, rateLimit: { burst: { limit: null, window: "1 second" } } },
    "rateLimit",
    "rateLimit.burst.limit must be a number, not null",
  ],
  [
    "a boolean steady.window",
    { apiKey: key, rateLimit: { steady: { limit: 10, window: true } } },
    "rateLimit",
    "rateLimit.steady.window must be a duration, not a boolean",
  ],
  [
    "a null storeTimeout",
    { apiKey: key, rateLimit: { storeTimeout: null } },
    "rateLimit",
    "rateLimit.storeTimeout must be a duration, not null",
  ],
]

/** A Promise client's `rateLimit` may be a `KlaviyoBudget`, never `"shared"` (it has no Effect context). */
const promiseReason = (reason: string) =>
  reason.replace(
    'rateLimit must be false, "shared" or rate-limit options,',
    "rateLimit must be false, rate-limit options or a KlaviyoBudget (makeKlaviyoBudget),",
  )

const invalid = (error: unknown) =>
  error instanceof InvalidRequest ? { input: error.input, reason: error.reason } : error

describe("options of the wrong type", () => {
  for (const [name, options, input, reason] of cases) {
    it(`KlaviyoClient.layer: ${name} is an InvalidRequest naming ${input}`, async () => {
      const model = KlaviyoSimulator.model()
      const exit = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
        Effect.provide(
          KlaviyoClient.layer(options as KlaviyoClientOptions).pipe(
            Layer.provide(KlaviyoSimulator.layer(model)),
          ),
        ),
        Effect.runPromiseExit,
      )
      expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({ input, reason })
      expect(model.stats.requests).toBe(0)
    })

    it(`makeKlaviyoClient: ${name} rejects the call with an InvalidRequest naming ${input}`, async () => {
      const model = KlaviyoSimulator.model()
      const given = typeof options === "object" && options !== null
        ? { ...options, httpClient: KlaviyoSimulator.layer(model) }
        : options
      const client = makeKlaviyoClient(given as never)
      const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
      await client.close()
      expect(invalid(error)).toEqual({ input, reason: promiseReason(reason) })
      expect(model.stats.requests).toBe(0)
    })
  }

  it.each([["a string", "fetch", "a string"], ["an object", {}, "an object"], ["null", null, "null"]])(
    "makeKlaviyoClient: httpClient as %s is an InvalidRequest naming httpClient",
    async (_, httpClient, kind) => {
      const client = makeKlaviyoClient({ apiKey: key, httpClient: httpClient as never })
      const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
      await client.close()
      expect(invalid(error)).toEqual({
        input: "httpClient",
        reason: `httpClient must be an HttpClient layer, not ${kind}`,
      })
    },
  )

  it("KlaviyoClient.layerConfig: overrides that are not an object are an InvalidRequest", async () => {
    const exit = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
      Effect.provide(KlaviyoClient.layerConfig(null as never).pipe(Layer.provide(KlaviyoSimulator.layer()))),
      Effect.runPromiseExit,
    )
    expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({
      input: "client",
      reason: "the client's options must be an object, not null",
    })
  })

  it("RateLimitBudget.layerMemory: options of the wrong type are an InvalidRequest", async () => {
    const exit = await Effect.runPromiseExit(
      Effect.provide(Effect.service(RateLimitBudget), RateLimitBudget.layerMemory({ account: 7 } as never)),
    )
    expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({
      input: "rateLimit",
      reason: "rateLimit.account must be a string, not a number",
    })
  })

  it("never echoes a credential given in the wrong place", async () => {
    const exit = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
      Effect.provide(
        KlaviyoClient.layer({ apiKey: key, rateLimit: "pk_live_SECRET" } as unknown as KlaviyoClientOptions)
          .pipe(
            Layer.provide(KlaviyoSimulator.layer()),
          ),
      ),
      Effect.runPromiseExit,
    )
    const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
    expect(error).toBeInstanceOf(InvalidRequest)
    expect(String(error)).not.toContain("SECRET")
    expect((error as InvalidRequest).reason).toBe(
      'rateLimit must be false, "shared" or rate-limit options, not a string',
    )
  })
})
