/**
 * Options that are hostile or silently wrong: a Proxy, a revoked one, getters that throw (each
 * option, nested ones, the options object itself, `httpClient`), and durations that Effect's
 * `Duration.fromInput` would quietly turn into zero (`NaN`, `{}`, a `Date`) or nanoseconds (a
 * bigint). Each is an `InvalidRequest` naming the option, from `KlaviyoClient.layer` and from
 * `makeKlaviyoClient` alike (which never throws: its calls reject); nothing is sent.
 */
import { inspect } from "node:util"
import { Cause, Duration, Effect, Exit, Layer, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  InvalidRequest,
  KlaviyoClient,
  type KlaviyoClientOptions,
  KlaviyoSimulator,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"

const key = SIMULATED_API_KEY
/** What the getters throw: it must never reach the error. */
const CANARY = "pk_CANARY_thrown_9d8c7b6a"

const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}
const throwing = (): object =>
  new Proxy({}, {
    get() {
      throw new Error(CANARY)
    },
  })

/** `base` with `path` (dotted) replaced by a getter that throws. */
const withThrowingGetter = (base: Record<string, unknown>, path: string): Record<string, unknown> => {
  const [head, ...rest] = path.split(".")
  const out = { ...base }
  if (rest.length === 0) {
    Object.defineProperty(out, head!, {
      enumerable: true,
      get() {
        throw new Error(CANARY)
      },
    })
  } else {
    out[head!] = withThrowingGetter((base[head!] ?? {}) as Record<string, unknown>, rest.join("."))
  }
  return out
}

/** The option paths, the input they are reported as, and what else the options need. */
const paths: ReadonlyArray<readonly [string, string]> = [
  ["apiKey", "credentials"],
  ["accessToken", "credentials"],
  ["baseUrl", "baseUrl"],
  ["revision", "revision"],
  ["timeout", "timeout"],
  ["deadline", "deadline"],
  ["retry", "retry"],
  ["retry.times", "retry"],
  ["retry.base", "retry"],
  ["retry.maxDelay", "retry"],
  ["retry.maxRetryAfter", "retry"],
  ["rateLimit", "rateLimit"],
  ["rateLimit.burst", "rateLimit"],
  ["rateLimit.burst.limit", "rateLimit"],
  ["rateLimit.burst.window", "rateLimit"],
  ["rateLimit.steady", "rateLimit"],
  ["rateLimit.steady.limit", "rateLimit"],
  ["rateLimit.steady.window", "rateLimit"],
  ["rateLimit.margin", "rateLimit"],
  ["rateLimit.maxPause", "rateLimit"],
  ["rateLimit.key", "rateLimit"],
  ["rateLimit.account", "rateLimit"],
  ["rateLimit.credential", "rateLimit"],
  ["rateLimit.storeTimeout", "rateLimit"],
  ["maxBodyBytes", "maxBodyBytes"],
]

/** A case: its name, the options (given the transport to add, for makeKlaviyoClient), input, reason. */
type Case = readonly [
  string,
  (extra: Record<string, unknown>) => unknown,
  string,
  string,
  /** What makeKlaviyoClient names instead, where it reads another option first (`httpClient`). */
  promise?: readonly [string, string],
]

const hostile: ReadonlyArray<Case> = [
  ...paths.map(([path, input]): Case => [
    `a getter of ${path} that throws`,
    (extra) => withThrowingGetter({ ...(path === "apiKey" ? {} : { apiKey: key }), ...extra }, path),
    input,
    `${path} could not be read (reading it threw)`,
  ]),
  [
    "a revoked Proxy as the options",
    () => revoked(),
    "client",
    "the client's options could not be read (reading them threw)",
  ],
  [
    "a Proxy whose every read throws as the options",
    () => throwing(),
    "credentials",
    "apiKey could not be read (reading it threw)",
    ["httpClient", "httpClient could not be read (reading it threw)"],
  ],
  ...(["apiKey", "timeout", "retry", "rateLimit"] as const).map((name): Case => [
    `a revoked Proxy as ${name}`,
    (extra) => ({ apiKey: key, ...extra, [name]: revoked() }),
    name === "apiKey" ? "credentials" : name,
    `${name} could not be read (reading it threw)`,
  ]),
  [
    "a Proxy whose every read throws as retry",
    (extra) => ({ apiKey: key, ...extra, retry: throwing() }),
    "retry",
    "retry.times could not be read (reading it threw)",
  ],
]

const durations = "a duration, not "
const silent: ReadonlyArray<Case> = [
  [
    "retry.base: NaN",
    (x) => ({ apiKey: key, ...x, retry: { base: Number.NaN } }),
    "retry",
    `retry.base must be ${durations}NaN`,
  ],
  [
    "retry.maxRetryAfter: NaN",
    (x) => ({ apiKey: key, ...x, retry: { maxRetryAfter: Number.NaN } }),
    "retry",
    `retry.maxRetryAfter must be ${durations}NaN`,
  ],
  [
    "rateLimit.maxPause: NaN",
    (x) => ({ apiKey: key, ...x, rateLimit: { maxPause: Number.NaN } }),
    "rateLimit",
    `rateLimit.maxPause must be ${durations}NaN`,
  ],
  [
    "rateLimit.steady.window: NaN",
    (x) => ({ apiKey: key, ...x, rateLimit: { steady: { limit: 10, window: Number.NaN } } }),
    "rateLimit",
    `rateLimit.steady.window must be ${durations}NaN`,
  ],
  [
    "rateLimit: a Date",
    (x) => ({ apiKey: key, ...x, rateLimit: new Date() }),
    "rateLimit",
    'rateLimit must be false, "shared" or rate-limit options, not a Date',
    [
      "rateLimit",
      "rateLimit must be false, rate-limit options or a KlaviyoBudget (makeKlaviyoBudget), not a Date",
    ],
  ],
  [
    "retry: a Date",
    (x) => ({ apiKey: key, ...x, retry: new Date() }),
    "retry",
    "retry must be false, retry options or a retry policy (a function), not a Date",
  ],
  [
    "timeout: 10n",
    (x) => ({ apiKey: key, ...x, timeout: 10n }),
    "timeout",
    `timeout must be ${durations}a bigint (read as nanoseconds): write "10 seconds", or Duration.nanos(10n) for nanoseconds`,
  ],
  [
    "timeout: Infinity",
    (x) => ({ apiKey: key, ...x, timeout: Infinity }),
    "timeout",
    `timeout must be ${durations}Infinity`,
  ],
  [
    "timeout: {}",
    (x) => ({ apiKey: key, ...x, timeout: {} }),
    "timeout",
    `timeout must be ${durations}an object with no unit of time`,
  ],
  [
    "timeout: new Date(NaN)",
    (x) => ({ apiKey: key, ...x, timeout: new Date(Number.NaN) }),
    "timeout",
    `timeout must be ${durations}a Date`,
  ],
  [
    "timeout: { secs: 5 }",
    (x) => ({ apiKey: key, ...x, timeout: { secs: 5 } }),
    "timeout",
    `timeout must be ${durations}an object with a member that is not a unit of time (weeks, days, hours, minutes, seconds, milliseconds, microseconds, nanoseconds)`,
  ],
  [
    "deadline: { seconds: NaN }",
    (x) => ({ apiKey: key, ...x, deadline: { seconds: Number.NaN } }),
    "deadline",
    `deadline must be ${durations}an object whose units of time are not all finite numbers`,
  ],
  [
    "deadline: [1, NaN]",
    (x) => ({ apiKey: key, ...x, deadline: [1, Number.NaN] }),
    "deadline",
    `deadline must be ${durations}an array that is not a [seconds, nanoseconds] pair of finite numbers`,
  ],
]

const invalid = (error: unknown) =>
  error instanceof InvalidRequest ? { input: error.input, reason: error.reason } : error

const viaLayer = async (options: unknown) => {
  const model = KlaviyoSimulator.model()
  const exit = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
    Effect.provide(
      KlaviyoClient.layer(options as KlaviyoClientOptions).pipe(Layer.provide(KlaviyoSimulator.layer(model))),
    ),
    Effect.runPromiseExit,
  )
  return {
    result: Exit.isFailure(exit) ? Cause.squash(exit.cause) : exit.value,
    requests: model.stats.requests,
  }
}

const viaPromise = async (options: (extra: Record<string, unknown>) => unknown) => {
  const model = KlaviyoSimulator.model()
  const client = makeKlaviyoClient(options({ httpClient: KlaviyoSimulator.layer(model) }) as never)
  const result = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
  await client.close()
  return { result, requests: model.stats.requests }
}

describe("hostile options and silent zeros", () => {
  for (const [name, options, input, reason, promise] of [...hostile, ...silent]) {
    it(`KlaviyoClient.layer: ${name} is an InvalidRequest naming ${input}`, async () => {
      const { requests, result } = await viaLayer(options({}))
      expect(invalid(result)).toEqual({ input, reason })
      expect(inspect(result, { depth: 8 }) + JSON.stringify(result)).not.toContain("CANARY")
      expect(requests).toBe(0)
    })

    it(`makeKlaviyoClient: ${name} rejects the call with an InvalidRequest naming ${input}`, async () => {
      const { requests, result } = await viaPromise(options)
      const [promiseInput, promiseReason] = promise ?? [input, reason]
      expect(invalid(result)).toEqual({ input: promiseInput, reason: promiseReason })
      expect(requests).toBe(0)
    })
  }

  it.each([
    ["the options", () => revoked(), "client", "the client's options could not be read (reading them threw)"],
    [
      "httpClient",
      () => ({ apiKey: key, httpClient: revoked() }),
      "httpClient",
      "httpClient could not be read (reading it threw)",
    ],
    [
      "logger",
      () => withThrowingGetter({ apiKey: key }, "logger"),
      "logger",
      "logger could not be read (reading it threw)",
    ],
    [
      "logLevel",
      () => withThrowingGetter({ apiKey: key }, "logLevel"),
      "logLevel",
      "logLevel could not be read (reading it threw)",
    ],
  ])(
    "makeKlaviyoClient: %s unreadable does not throw; its calls reject naming it",
    async (_, options, input, reason) => {
      let client: ReturnType<typeof makeKlaviyoClient> | undefined
      expect(() => {
        client = makeKlaviyoClient(options() as never)
      }).not.toThrow()
      const error = await client!.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
      await client!.close()
      expect(invalid(error)).toEqual({ input, reason })
    },
  )

  it("KlaviyoClient.layerConfig: overrides that cannot be read are an InvalidRequest", async () => {
    const exit = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
      Effect.provide(
        KlaviyoClient.layerConfig(withThrowingGetter({}, "timeout")).pipe(
          Layer.provide(KlaviyoSimulator.layer()),
        ),
      ),
      Effect.runPromiseExit,
    )
    expect(Exit.isFailure(exit) ? invalid(Cause.squash(exit.cause)) : exit).toEqual({
      input: "timeout",
      reason: "timeout could not be read (reading it threw)",
    })
  })

  it.each([
    ["a number of millis", 5_000],
    ["a string", "5 seconds"],
    ["a Duration", Duration.seconds(5)],
    ["Duration.nanos of a bigint", Duration.nanos(5_000_000_000n)],
    ["a [seconds, nanos] pair", [5, 0]],
    ["a duration object", { seconds: 5 }],
    ["a duration object with an undefined unit", { seconds: 5, minutes: undefined }],
  ])("accepts every other duration form: %s", async (_, timeout) => {
    const { requests, result } = await viaLayer({
      apiKey: Redacted.make(key),
      timeout,
      retry: { base: timeout },
    })
    expect(result).toMatchObject({ id: SIMULATED_JOB_ID })
    expect(requests).toBe(1)
  })
})
