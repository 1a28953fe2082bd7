/**
 * The `KlaviyoClient` service: credentials, base URL, revision and the `send` stage every
 * endpoint goes through.
 *
 * @module
 */
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { DecodeError, InvalidRequest, KlaviyoApiError, TransportError } from "./errors.ts"
import { hasControlCharacter, parseApiErrorBody, parseRetryAfter } from "./internal/wire.ts"
import { DEFAULT_REVISION, parseRevision, type Revision } from "./revision.ts"

/**
 * A secret as given: a plain string or an Effect `Redacted`. Either way it is wrapped in
 * `Redacted` at once and never printed.
 *
 * @since 0.1.0
 * @category client
 */
export type Secret = string | Redacted.Redacted<string>

/**
 * The options every client takes, whatever its credential.
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
   * How long one attempt may take, from sending to the last byte of the body.
   * @default "30 seconds"
   */
  readonly timeout?: Duration.Input | undefined
}

/**
 * How to build a {@link KlaviyoClient}: a private API key (`Authorization: Klaviyo-API-Key …`)
 * or an OAuth access token (`Authorization: Bearer …`), plus {@link KlaviyoClientBaseOptions}.
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
 * A request as an endpoint declares it: the path under the base URL and the query.
 *
 * @since 0.1.0
 * @category client
 */
export interface ApiRequest {
  /** The operation's name, for spans and logs. */
  readonly operation: string
  /** The path under the base URL, each segment already percent-encoded. */
  readonly path: string
  /** The query parameters, in order. */
  readonly urlParams: ReadonlyArray<readonly [string, string]>
}

/**
 * A 2xx answer, its body parsed as JSON.
 *
 * @since 0.1.0
 * @category client
 */
export interface ApiResponse {
  /** The status (2xx). */
  readonly status: number
  /** The response headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body. */
  readonly body: unknown
  /** The URL that answered. */
  readonly url: string
}

/**
 * What the {@link KlaviyoClient} service provides. The credential is not part of it: it lives
 * only inside `send`.
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
   * Sends a GET with the credential and the revision's headers, and reads its answer: a 2xx
   * answer's JSON body, or a typed error for everything else.
   */
  readonly send: (
    request: ApiRequest,
  ) => Effect.Effect<ApiResponse, KlaviyoApiError | TransportError | DecodeError>
}

const DEFAULT_BASE_URL = "https://a.klaviyo.com"
const DEFAULT_TIMEOUT: Duration.Duration = Duration.seconds(30)
const MAX_REDIRECTS = 5

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
const parseCredential = (options: KlaviyoClientOptions): Redacted.Redacted<string> | InvalidRequest => {
  const [scheme, secret] = options.apiKey !== undefined
    ? ["Klaviyo-API-Key", options.apiKey]
    : ["Bearer", options.accessToken]
  const value = secret === undefined ? "" : Redacted.isRedacted(secret) ? Redacted.value(secret) : secret
  const name = scheme === "Bearer" ? "accessToken" : "apiKey"
  if (value.trim() === "") {
    return new InvalidRequest({
      input: "credentials",
      reason: `${name} is empty (set KLAVIYO_API_KEY or pass apiKey)`,
    })
  }
  if (/\s/.test(value) || hasControlCharacter(value)) {
    return new InvalidRequest({
      input: "credentials",
      reason: `${name} contains white space or control characters (a copy-and-paste slip?)`,
    })
  }
  return Redacted.make(`${scheme} ${value}`)
}

const resolveOptions = (options: KlaviyoClientOptions) =>
  Effect.gen(function* () {
    const authorization = parseCredential(options)
    if (authorization instanceof InvalidRequest) return yield* authorization
    const baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)
    if (baseUrl instanceof InvalidRequest) return yield* baseUrl
    const revision = parseRevision(options.revision ?? DEFAULT_REVISION)
    if (revision instanceof InvalidRequest) return yield* revision
    const timeout = options.timeout === undefined
      ? DEFAULT_TIMEOUT
      : Option.getOrUndefined(Duration.fromInput(options.timeout))
    if (timeout === undefined || !Duration.isGreaterThan(timeout, Duration.zero)) {
      return yield* new InvalidRequest({
        input: "timeout",
        reason: "the timeout must be a positive duration",
      })
    }
    return { authorization, baseUrl, revision, timeout }
  })

/** Maps the HTTP client's failure to ours, keeping the platform's cause but never the request. */
const transportFailure = (
  method: string,
  url: string,
  error: HttpClientError.HttpClientError,
): TransportError => {
  const reason = error.reason
  const kind =
    reason._tag === "TransportError" || reason._tag === "InvalidUrlError" || reason._tag === "EncodeError"
      ? "network"
      : "body"
  const cause = reason.cause
  const detail = reason.description ??
    (cause instanceof Error ? [cause.message, causeCode(cause)].filter(Boolean).join(" ") : reason._tag)
  return new TransportError({ kind, method, url, detail, cause })
}

/** The `code` of a Node network error's cause (`ECONNRESET`, `ECONNREFUSED`, …), if any. */
const causeCode = (error: Error): string => {
  const inner: unknown = (error as { cause?: unknown }).cause
  return typeof inner === "object" && inner !== null && "code" in inner ? `(${String(inner.code)})` : ""
}

const makeSend = (
  http: HttpClient.HttpClient,
  settings: {
    readonly authorization: Redacted.Redacted<string>
    readonly baseUrl: URL
    readonly revision: Revision
    readonly timeout: Duration.Duration
  },
): KlaviyoClientShape["send"] => {
  const { authorization, baseUrl, revision, timeout } = settings
  const base = baseUrl.href.replace(/\/+$/, "")
  const accept = revision.legacyPath ? "application/json" : "application/vnd.api+json"

  const attempt = (
    request: ApiRequest,
  ): Effect.Effect<ApiResponse, KlaviyoApiError | TransportError | DecodeError> =>
    Effect.gen(function* () {
      const query = new URLSearchParams(request.urlParams.map(([k, v]) => [k, v])).toString()
      let url = `${base}${request.path}${query === "" ? "" : `?${query}`}`
      const headers = {
        authorization: Redacted.value(authorization),
        revision: revision.value,
        accept,
      }
      let response: HttpClientResponse.HttpClientResponse | undefined
      for (let hops = 0;; hops++) {
        response = yield* http.execute(HttpClientRequest.get(url, { headers })).pipe(
          Effect.mapError((error) => transportFailure("GET", url, error)),
        )
        const location = response.headers["location"]
        if (response.status < 300 || response.status >= 400 || location === undefined) break
        const next = new URL(location, url)
        if (next.origin !== baseUrl.origin || hops >= MAX_REDIRECTS) break
        url = next.href
      }
      const text = yield* response.text.pipe(Effect.mapError((error) => transportFailure("GET", url, error)))
      const responseHeaders: Record<string, string> = { ...response.headers }
      if (response.status >= 200 && response.status < 300) {
        return {
          status: response.status,
          headers: responseHeaders,
          body: yield* parseJson(text, responseHeaders, url),
          url,
        }
      }
      const now = yield* Clock.currentTimeMillis
      const parsed = parseApiErrorBody(text)
      return yield* new KlaviyoApiError({
        status: response.status,
        method: "GET",
        url,
        revision: revision.value,
        errors: parsed.errors,
        retryAfter: parseRetryAfter(responseHeaders["retry-after"], now),
        body: parsed.errors.length === 0 ? text.slice(0, 500) : undefined,
      })
    }).pipe(
      // fetch follows redirects by itself: ask it not to, so that the credential is never sent
      // to another origin whatever the platform does; same-origin redirects are followed above.
      manualRedirects,
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () =>
          Effect.fail(
            new TransportError({
              kind: "timeout",
              method: "GET",
              url: `${base}${request.path}`,
              detail: `no complete answer within the per-attempt timeout of ${Duration.format(timeout)}`,
            }),
          ),
      }),
    )

  return (request) =>
    attempt(request).pipe(
      Effect.withSpan("klaviyo.send", {
        attributes: { "klaviyo.operation": request.operation, "klaviyo.revision": revision.value },
      }),
    )
}

/** Asks `fetch` not to follow redirects, keeping the rest of any `RequestInit` the application gave. */
const manualRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, {
        ...Option.getOrElse(init, () => ({})),
        redirect: "manual",
      }),
  )

/** Parses a 2xx body as JSON, or fails with a `DecodeError` that says what the body was. */
const parseJson = (
  text: string,
  headers: Readonly<Record<string, string>>,
  url: string,
): Effect.Effect<unknown, DecodeError> => {
  const contentType = headers["content-type"] ?? "no content-type"
  const fail = (reason: string) =>
    Effect.fail(new DecodeError({ path: "", reason, issues: [{ path: "", message: reason }], url }))
  if (text.trim() === "") return fail(`Expected a JSON:API document, found an empty body (${contentType})`)
  try {
    return Effect.succeed(JSON.parse(text))
  } catch (error) {
    return fail(
      `Expected a JSON:API document, found a body that is not JSON (${contentType}): ${
        JSON.stringify(text.slice(0, 80))
      }${error instanceof Error ? ` (${error.message})` : ""}`,
    )
  }
}

const make = (
  options: KlaviyoClientOptions,
): Effect.Effect<KlaviyoClientShape, InvalidRequest, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings = yield* resolveOptions(options)
    const http = yield* HttpClient.HttpClient
    return {
      baseUrl: settings.baseUrl.href.replace(/\/+$/, ""),
      revision: settings.revision,
      timeout: settings.timeout,
      send: makeSend(http, settings),
    }
  })

/**
 * What {@link KlaviyoClient.layerConfig} reads: `KLAVIYO_API_KEY` (or `KLAVIYO_ACCESS_TOKEN`
 * for an OAuth app), and optionally `KLAVIYO_BASE_URL` and `KLAVIYO_REVISION`.
 *
 * @since 0.1.0
 * @category client
 */
export const klaviyoClientConfig: Config.Config<KlaviyoClientOptions> = Config.all({
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

const KlaviyoClientBase: Context.ServiceClass<
  KlaviyoClient,
  "@effect-klaviyo/catalog-jobs/KlaviyoClient",
  KlaviyoClientShape
> = Context.Service<KlaviyoClient, KlaviyoClientShape>()("@effect-klaviyo/catalog-jobs/KlaviyoClient")

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
   * Builds the service from options; fails with `InvalidRequest` when an option cannot work
   * (an empty key, plain http to a remote host, a malformed revision).
   *
   * @example
   * ```ts
   * import { Redacted } from "effect"
   * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
   *
   * const layer = KlaviyoClient.layer({ apiKey: Redacted.make("pk_example"), revision: "2026-07-15" })
   * ```
   */
  static make(
    options: KlaviyoClientOptions,
  ): Effect.Effect<KlaviyoClientShape, InvalidRequest, HttpClient.HttpClient> {
    return make(options)
  }

  /**
   * A layer of the service built from options.
   *
   * @example
   * ```ts
   * import { KlaviyoClient } from "@effect-klaviyo/catalog-jobs"
   *
   * const layer = KlaviyoClient.layer({ apiKey: "pk_example", timeout: "10 seconds" })
   * ```
   */
  static layer(
    options: KlaviyoClientOptions,
  ): Layer.Layer<KlaviyoClient, InvalidRequest, HttpClient.HttpClient> {
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
    overrides: KlaviyoClientBaseOptions = {},
  ): Layer.Layer<KlaviyoClient, InvalidRequest | Config.ConfigError, HttpClient.HttpClient> {
    return Layer.effect(
      KlaviyoClient,
      Effect.flatMap(klaviyoClientConfig, (fromEnv) => make({ ...fromEnv, ...dropUndefined(overrides) })),
    )
  }
}

const dropUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
