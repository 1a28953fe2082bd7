/**
 * The `KlaviyoClient` service: credentials, base URL, revision and the `send` stage every
 * endpoint goes through.
 *
 * @module
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as HttpClient from "effect/http/HttpClient"
import type { DecodeError, KlaviyoApiError, TransportError } from "./errors.ts"
import { InvalidRequest } from "./errors.ts"
import type { ApiRequest, ApiResponse } from "./http/request.ts"
import { makeSend } from "./http/send.ts"
import { makeTransport } from "./http/transport.ts"
import { readClientOptions } from "./internal/options.ts"
import { makeScrubber } from "./internal/scrub.ts"
import { hasControlCharacter } from "./internal/wire.ts"
import { checkSharedBudget, RateLimitBudget, type RateLimitOptions, unlimitedBudget } from "./rate-limit.ts"
import { makeMemoryRateLimitBudget } from "./rate-limit/service.ts"
import { resolveRetry, type RetryOptions, type RetryPolicy } from "./retry.ts"
import { DEFAULT_REVISION, parseRevision, type Revision } from "./revision.ts"
import { lazy } from "./internal/lazy.ts"

export type { ApiRequest, ApiResponse, LimitClass } from "./http/request.ts"

/**
 * A secret as given: a plain string or an Effect `Redacted`. Either way it is wrapped in
 * `Redacted` at once and never printed.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import type { Secret } from "@effect-klaviyo/catalog-jobs"
 *
 * const fromEnvironment: Secret = Redacted.make(process.env.KLAVIYO_API_KEY ?? "")
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export type Secret = string | Redacted.Redacted<string>

/**
 * The options every client takes, whatever its credential.
 *
 * @example
 * ```ts
 * import type { KlaviyoClientBaseOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: KlaviyoClientBaseOptions = { revision: "2026-07-15", timeout: "10 seconds", deadline: "1 minute" }
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export interface KlaviyoClientBaseOptions {
  /**
   * Where Klaviyo is. `https:` only; plain `http:` is accepted for a loopback address
   * (tests, the simulator's server). A path prefix is kept (for a proxy).
   * @default "https://a.klaviyo.com"
   */
  readonly baseUrl?: string | URL | undefined
  /**
   * The `revision` header, `YYYY-MM-DD[.suffix]`. Revisions before 2024-10-15 get their
   * trailing `/` and `application/json`; up to 2023-10-15 the job id is read from `job_id`.
   * @default "2026-07-15"
   */
  readonly revision?: string | undefined
  /**
   * How long one attempt may take, from sending to the last byte of the body. A timed-out
   * attempt is a `TransportError` of kind `timeout`, and is retried.
   * @default "30 seconds"
   */
  readonly timeout?: Duration.Input | undefined
  /**
   * How long a whole call may take: every attempt, every retry delay and every wait for the
   * rate-limit budget. A call past it fails with a `TransportError` of kind `deadline`.
   * @default no deadline
   */
  readonly deadline?: Duration.Input | undefined
  /**
   * Retries: `false` for a single attempt, options for the default policy, or a policy of your
   * own (a retry never comes sooner than the server's `Retry-After` either way).
   * @default { times: 3, base: "250 millis", maxDelay: "10 seconds", maxRetryAfter: "60 seconds" }
   */
  readonly retry?: false | RetryOptions | RetryPolicy | undefined
  /**
   * Client-side rate limiting: options for a budget of this client's own (in memory), `false`
   * to turn it off, or `"shared"` to use the {@link RateLimitBudget} in context (one budget for
   * several clients of the same account). Each limit class has its own windows, by default the
   * client's revision's (see {@link RateLimitOptions}).
   * @default { burst: { limit: 350, window: "1 second" }, steady: { limit: 3500, window: "1 minute" } } for jobs-read; 75 per second and 750 per minute (700 before revision 2026-01-15) for jobs-write
   */
  readonly rateLimit?: false | "shared" | RateLimitOptions | undefined
  /**
   * The largest response body read; a larger 2xx body fails with a `TransportError` of kind
   * `oversized` without being read further. A non-2xx answer's body is cut there instead: it
   * stays the `KlaviyoApiError` of its status (a 5xx is retried as a 5xx). A job with 1,000
   * categories is about 300 KB.
   * @default 8388608 (8 MiB)
   */
  readonly maxBodyBytes?: number | undefined
}

/**
 * How to build a {@link KlaviyoClient}: a private API key (`Authorization: Klaviyo-API-Key …`)
 * or an OAuth access token (`Authorization: Bearer …`), plus {@link KlaviyoClientBaseOptions}.
 *
 * @example
 * ```ts
 * import type { KlaviyoClientOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const withKey: KlaviyoClientOptions = { apiKey: "pk_example", retry: { times: 5 }, rateLimit: false }
 * const withToken: KlaviyoClientOptions = { accessToken: "an-oauth-access-token" }
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export type KlaviyoClientOptions =
  & KlaviyoClientBaseOptions
  & (
    | { /** A private API key (`pk_…`). */ readonly apiKey: Secret; readonly accessToken?: undefined }
    | { /** An OAuth access token. */ readonly accessToken: Secret; readonly apiKey?: undefined }
  )

/**
 * What the {@link KlaviyoClient} service provides. The credential is not part of it: it lives
 * only inside `send` and `redact`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const revision = Effect.map(Effect.service(KlaviyoClient), (client) => client.revision.value)
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export interface KlaviyoClientShape {
  /** The base URL, without a trailing `/`. */
  readonly baseUrl: string
  /** The revision every request sends. */
  readonly revision: Revision
  /** The per-attempt timeout. */
  readonly timeout: Duration.Duration
  /**
   * Sends a request (a GET, or a POST with its JSON body) with the credential and the revision's headers, and reads its answer: a 2xx
   * answer's JSON body, or a typed error for everything else (the credential scrubbed from it).
   */
  readonly send: (
    request: ApiRequest,
  ) => Effect.Effect<ApiResponse, KlaviyoApiError | TransportError | DecodeError>
  /**
   * Removes this client's credential from an error: every string in it (its fields, the
   * objects and errors it holds, their messages and stacks) has every run of 8 or more
   * characters of the credential replaced by `<redacted>`, whether the run is plain,
   * JSON-escaped, percent-encoded or lower-cased. An error with nothing to remove is returned
   * as it is. Every error of the library's calls has been through it; an endpoint of your own
   * built on `send` can put its errors through it too.
   */
  readonly redact: <E>(error: E) => E
}

const DEFAULT_BASE_URL = "https://a.klaviyo.com"
const DEFAULT_TIMEOUT: Duration.Duration = /* @__PURE__ */ Duration.seconds(30)
const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024

const loopbackHost = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

/** Checks the base URL: https, or http to loopback; no credentials, query or fragment in it. */
const parseBaseUrl = (input: string | URL): URL | InvalidRequest => {
  const refuse = (reason: string) => new InvalidRequest({ input: "baseUrl", reason })
  let url: URL
  try {
    url = new URL(String(input))
  } catch {
    return refuse(`${JSON.stringify(String(input))} is not an absolute URL`)
  }
  if (url.username !== "" || url.password !== "") {
    return refuse(
      "the URL must not carry a user name or password; pass the credential as apiKey or accessToken",
    )
  }
  if (url.search !== "" || url.hash !== "") return refuse(`${url.origin} must have no query or fragment`)
  if (url.protocol === "http:" && !loopbackHost.test(url.hostname)) {
    return refuse(
      `plain http is allowed only to a loopback address, not ${url.host}: the credential would travel in clear text`,
    )
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse(`${url.protocol} is not http(s)`)
  url.pathname = url.pathname.replace(/\/+$/, "")
  return url
}

/** Wraps the credential and checks that it can travel in a header, without ever echoing it. */
const parseCredential = (
  options: KlaviyoClientOptions,
):
  | { readonly authorization: Redacted.Redacted<string>; readonly secret: Redacted.Redacted<string> }
  | InvalidRequest => {
  const bearer = options.apiKey === undefined && options.accessToken !== undefined
  const given = bearer ? options.accessToken : options.apiKey
  const value = given === undefined ? "" : Redacted.isRedacted(given) ? Redacted.value(given) : given
  const name = bearer ? "accessToken" : "apiKey"
  const env = bearer ? "KLAVIYO_ACCESS_TOKEN" : "KLAVIYO_API_KEY"
  if (value.trim() === "") {
    return new InvalidRequest({
      input: "credentials",
      reason: `${name} is empty (set ${env} or pass ${name})`,
    })
  }
  if (/\s/.test(value) || hasControlCharacter(value)) {
    return new InvalidRequest({
      input: "credentials",
      reason: `${name} contains white space or control characters (a copy-and-paste slip?)`,
    })
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    return new InvalidRequest({
      input: "credentials",
      reason: `${name} contains characters outside printable ASCII`,
    })
  }
  return {
    authorization: Redacted.make(`${bearer ? "Bearer" : "Klaviyo-API-Key"} ${value}`),
    secret: Redacted.make(value),
  }
}

const positiveDuration = (input: Duration.Input | undefined, name: "timeout" | "deadline") => {
  if (input === undefined) return undefined
  const duration = Option.getOrUndefined(Duration.fromInput(input))
  return duration === undefined || !Duration.isGreaterThan(duration, Duration.zero)
    ? new InvalidRequest({ input: name, reason: `${name} must be a positive duration` })
    : duration
}

const resolveOptions = (given: KlaviyoClientOptions) =>
  Effect.gen(function* () {
    // From JavaScript anything may come: each option is read once, into a plain snapshot, its
    // type checked, so that no check below meets a TypeError, a Proxy or a getter.
    const options = readClientOptions(given)
    if (options instanceof InvalidRequest) return yield* options
    const credential = parseCredential(options)
    if (credential instanceof InvalidRequest) return yield* credential
    // Built once per client: an option refused below (a base URL that quotes the key by
    // mistake, say) is scrubbed like any error of a call.
    const scrubber = makeScrubber(Redacted.value(credential.secret))
    const rest = yield* Effect.mapError(resolveRest(options), scrubber.value)
    return { ...credential, scrubber, ...rest, rateLimit: options.rateLimit }
  })

const resolveRest = (options: KlaviyoClientOptions) =>
  Effect.gen(function* () {
    const baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)
    if (baseUrl instanceof InvalidRequest) return yield* baseUrl
    const revision = parseRevision(options.revision ?? DEFAULT_REVISION)
    if (revision instanceof InvalidRequest) return yield* revision
    const timeout = positiveDuration(options.timeout, "timeout") ?? DEFAULT_TIMEOUT
    if (timeout instanceof InvalidRequest) return yield* timeout
    const deadline = positiveDuration(options.deadline, "deadline")
    if (deadline instanceof InvalidRequest) return yield* deadline
    const policy = resolveRetry(options.retry)
    if (typeof policy === "string") return yield* new InvalidRequest({ input: "retry", reason: policy })
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
      return yield* new InvalidRequest({
        input: "maxBodyBytes",
        reason: "maxBodyBytes must be a whole number of bytes, 1 or more",
      })
    }
    return { baseUrl, revision, timeout, deadline, policy, maxBodyBytes }
  })

const make = (
  options: KlaviyoClientOptions,
): Effect.Effect<KlaviyoClientShape, InvalidRequest, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings = yield* resolveOptions(options)
    const http = yield* HttpClient.HttpClient
    const rateLimit = settings.rateLimit
    const budget = rateLimit === false ? unlimitedBudget : rateLimit === "shared"
      ? yield* Effect.flatMap(
        Effect.serviceOption(RateLimitBudget),
        Option.match({
          // A shared budget must not allow more than this client's revision does.
          onSome: (shared) => {
            const refused = checkSharedBudget(shared, settings.revision)
            return refused === undefined ? Effect.succeed(shared) : Effect.fail(refused)
          },
          onNone: () =>
            Effect.fail(
              new InvalidRequest({
                input: "rateLimit",
                reason:
                  'rateLimit: "shared" needs a RateLimitBudget in context: provide RateLimitBudget.layerMemory() or RateLimitBudget.layer(...)',
              }),
            ),
        }),
      )
      : yield* makeMemoryRateLimitBudget(typeof rateLimit === "object" ? rateLimit : {}, settings.revision)
    const attempt = makeTransport(http, { ...settings, scrub: settings.scrubber.text }, budget)
    return {
      baseUrl: settings.baseUrl.href.replace(/\/+$/, ""),
      revision: settings.revision,
      timeout: settings.timeout,
      redact: settings.scrubber.value,
      send: makeSend({
        attempt,
        redact: settings.scrubber.value,
        policy: settings.policy,
        deadline: settings.deadline,
        baseUrl: settings.baseUrl,
        revision: settings.revision.value,
      }),
    }
  })

/**
 * What {@link KlaviyoClient.layerConfig} reads: `KLAVIYO_API_KEY` (or `KLAVIYO_ACCESS_TOKEN`
 * for an OAuth app; the API key wins when both are set), and optionally `KLAVIYO_BASE_URL` and
 * `KLAVIYO_REVISION`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { klaviyoClientConfig } from "@effect-klaviyo/catalog-jobs"
 *
 * const options = Effect.runSync(klaviyoClientConfig.pipe(Effect.orDie))
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export const klaviyoClientConfig: Config.Config<KlaviyoClientOptions> = /* @__PURE__ */ Config.flatMap(
  /* @__PURE__ */ Config.succeed(undefined),
  // Built when first read, not at import: a `Config.Redacted` builds its Schema (about 1.5 ms
  // of the library's cold import on Node).
  () => environmentConfig(),
)

/** The options of {@link klaviyoClientConfig}, read from the environment. */
const environmentConfig: () => Config.Config<KlaviyoClientOptions> = /* @__PURE__ */ lazy(() =>
  Config.all({
    apiKey: Config.option(Config.Redacted("KLAVIYO_API_KEY")),
    accessToken: Config.option(Config.Redacted("KLAVIYO_ACCESS_TOKEN")),
    baseUrl: Config.option(Config.String("KLAVIYO_BASE_URL")),
    revision: Config.option(Config.String("KLAVIYO_REVISION")),
  }).pipe(
    Config.map(({ accessToken, apiKey, baseUrl, revision }): KlaviyoClientOptions => {
      const common = { baseUrl: Option.getOrUndefined(baseUrl), revision: Option.getOrUndefined(revision) }
      return Option.isNone(apiKey) && Option.isSome(accessToken)
        ? { ...common, accessToken: accessToken.value }
        : { ...common, apiKey: Option.getOrElse(apiKey, () => "") }
    }),
  )
)

const KlaviyoClientBase: Context.ServiceClass<
  KlaviyoClient,
  "@effect-klaviyo/catalog-jobs/KlaviyoClient",
  KlaviyoClientShape
> = /* @__PURE__ */ Context.Service<KlaviyoClient, KlaviyoClientShape>()(
  "@effect-klaviyo/catalog-jobs/KlaviyoClient",
)

/**
 * The Klaviyo client service. Build it with {@link KlaviyoClient.layer} from options or with
 * {@link KlaviyoClient.layerConfig} from the environment; both need an `HttpClient` from
 * `effect/http` (`FetchHttpClient.layer` works everywhere).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { getCatalogCategoryBulkUpdateJob, KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const job = await getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH").pipe(
 *   Effect.provide(KlaviyoClient.layer({ apiKey: process.env.KLAVIYO_API_KEY ?? "" })),
 *   Effect.provide(FetchHttpClient.layer),
 *   Effect.runPromise,
 * )
 * ```
 *
 * @since 0.1.0
 * @category client
 */
export class KlaviyoClient extends KlaviyoClientBase {
  /**
   * Builds the service from options (with a rate-limit budget of its own unless
   * `rateLimit: false`, or the one in context with `rateLimit: "shared"`); fails with
   * `InvalidRequest` when an option cannot work (an empty key, plain http to a remote host, a
   * malformed revision, `"shared"` without a `RateLimitBudget`).
   *
   * @example
   * ```ts
   * import { Effect, Redacted } from "effect"
   * import { FetchHttpClient } from "effect/http"
   * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
   *
   * const client = KlaviyoClient.make({ apiKey: Redacted.make("pk_example") }).pipe(
   *   Effect.provide(FetchHttpClient.layer),
   * )
   * ```
   */
  static make(
    options: KlaviyoClientOptions,
  ): Effect.Effect<KlaviyoClientShape, InvalidRequest, HttpClient.HttpClient> {
    return make(options)
  }

  /**
   * A layer of the service built from options. With `rateLimit: "shared"` it takes the
   * {@link RateLimitBudget} from context, so that several clients share one budget.
   *
   * @example
   * ```ts
   * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
   *
   * const layer = KlaviyoClient.layer({ apiKey: "pk_example", timeout: "10 seconds", retry: { times: 5 } })
   * ```
   */
  static layer(
    options: KlaviyoClientOptions & { readonly rateLimit: "shared" },
  ): Layer.Layer<KlaviyoClient, InvalidRequest, HttpClient.HttpClient | RateLimitBudget>
  /**
   * A layer of the service built from options, with a rate-limit budget of its own (or none,
   * with `rateLimit: false`).
   *
   * @example
   * ```ts
   * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
   *
   * const layer = KlaviyoClient.layer({ apiKey: "pk_example", rateLimit: false })
   * ```
   */
  static layer(
    options: KlaviyoClientOptions,
  ): Layer.Layer<KlaviyoClient, InvalidRequest, HttpClient.HttpClient>
  static layer(
    options: KlaviyoClientOptions,
  ): Layer.Layer<KlaviyoClient, InvalidRequest, HttpClient.HttpClient | RateLimitBudget> {
    return Layer.effect(KlaviyoClient, make(options))
  }

  /**
   * A layer of the service built from the environment (see {@link klaviyoClientConfig});
   * `overrides` take precedence over what the environment says.
   *
   * @example
   * ```ts
   * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
   *
   * const layer = KlaviyoClient.layerConfig({ timeout: "5 seconds" })
   * ```
   */
  static layerConfig(
    overrides: Omit<KlaviyoClientBaseOptions, "rateLimit"> & {
      readonly rateLimit?: false | RateLimitOptions
    } = {},
  ): Layer.Layer<KlaviyoClient, InvalidRequest | Config.ConfigError, HttpClient.HttpClient> {
    return Layer.effect(
      KlaviyoClient,
      Effect.suspend(() => {
        // Read once, its undefined members left out (they do not override the environment).
        const read = readClientOptions(overrides)
        return read instanceof InvalidRequest
          ? Effect.fail(read)
          : Effect.flatMap(klaviyoClientConfig, (fromEnv) => make({ ...fromEnv, ...read }))
      }),
    )
  }
}
