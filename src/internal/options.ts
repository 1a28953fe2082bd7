/**
 * The JavaScript types of the client's options, checked before anything reads them: code
 * without TypeScript (or with a cast) can pass anything, and a wrong type must be an
 * `InvalidRequest` naming the option, never a `TypeError`, a defect or a silent default.
 * `undefined` means "not given" (the default applies); `null` is a wrong type like any other.
 * Values are described by their type only, never echoed: a misplaced credential stays unsaid.
 * The values themselves (a positive duration, a whole number) are checked where they are read.
 *
 * @internal
 */
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { InvalidRequest } from "../errors.ts"

/** What a value is, for a message, without the value: `null`, `an array`, `a number`, ... */
export const kindOf = (value: unknown): string => {
  if (value === null) return "null"
  if (value === undefined) return "undefined"
  if (Array.isArray(value)) return "an array"
  if (Redacted.isRedacted(value)) return `a Redacted ${kindOf(Redacted.value(value)).replace(/^an? /, "")}`
  const type = typeof value
  return type === "object" ? "an object" : `a ${type}`
}

/** An object whose members can be read (not `null`, not an array). */
export const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isSecret = (value: unknown): boolean =>
  typeof value === "string" || (Redacted.isRedacted(value) && typeof Redacted.value(value) === "string")

/** Checks that `value` is an object of options (the first thing every entry point does). */
export const checkOptionsObject = (value: unknown): InvalidRequest | undefined =>
  isObject(value) ? undefined : new InvalidRequest({
    input: "client",
    reason: `the client's options must be an object, not ${kindOf(value)}`,
  })

/** One member of an options object: where it is reported, what it accepts, and in words. */
type Check = readonly [
  name: string,
  input: InvalidRequest["input"],
  accepts: (value: unknown) => boolean,
  expected: string,
]

const isString = (value: unknown): boolean => typeof value === "string"
const isNumber = (value: unknown): boolean => typeof value === "number"
/** Any form `Duration.Input` has; whether it is a valid duration is checked where it is read. */
const isDurationInput = (value: unknown): boolean =>
  typeof value === "number" || typeof value === "bigint" || typeof value === "string" ||
  (typeof value === "object" && value !== null)

const duration = (
  name: string,
  input: InvalidRequest["input"],
): Check => [name, input, isDurationInput, "a duration"]

/** `KlaviyoClient.layer`'s options (`rateLimit`'s members are checked by the budget). */
const clientChecks: ReadonlyArray<Check> = [
  ["apiKey", "credentials", isSecret, "a string or a Redacted string"],
  ["accessToken", "credentials", isSecret, "a string or a Redacted string"],
  ["baseUrl", "baseUrl", (value) => isString(value) || value instanceof URL, "a string or a URL"],
  ["revision", "revision", isString, "a string"],
  duration("timeout", "timeout"),
  duration("deadline", "deadline"),
  [
    "retry",
    "retry",
    (value) => value === false || typeof value === "function" || isObject(value),
    "false, retry options or a retry policy (a function)",
  ],
  [
    "rateLimit",
    "rateLimit",
    (value) => value === false || value === "shared" || isObject(value),
    'false, "shared" or rate-limit options',
  ],
  ["maxBodyBytes", "maxBodyBytes", isNumber, "a number"],
]

/** The default retry policy's options. */
const retryChecks: ReadonlyArray<Check> = [
  ["times", "retry", isNumber, "a number"],
  duration("base", "retry"),
  duration("maxDelay", "retry"),
  duration("maxRetryAfter", "retry"),
]

/** `RateLimitOptions`. */
const rateLimitChecks: ReadonlyArray<Check> = [
  ["burst", "rateLimit", isObject, "{ limit, window }"],
  ["steady", "rateLimit", isObject, "{ limit, window }"],
  duration("margin", "rateLimit"),
  duration("maxPause", "rateLimit"),
  ["key", "rateLimit", isString, "a string"],
  ["account", "rateLimit", isString, "a string"],
  ["credential", "rateLimit", isSecret, "a string or a Redacted string"],
  duration("storeTimeout", "rateLimit"),
]

/** One window of `RateLimitOptions`. */
const windowChecks: ReadonlyArray<Check> = [
  ["limit", "rateLimit", isNumber, "a number"],
  duration("window", "rateLimit"),
]

/** The first member of `options` that `undefined` (not given) or its check does not accept. */
const runChecks = (
  options: { readonly [key: string]: unknown },
  checks: ReadonlyArray<Check>,
  prefix: string,
): InvalidRequest | undefined => {
  for (const [name, input, accepts, expected] of checks) {
    const value = options[name]
    if (value !== undefined && !accepts(value)) {
      return new InvalidRequest({
        input,
        reason: `${prefix}${name} must be ${expected}, not ${kindOf(value)}`,
      })
    }
  }
  return undefined
}

/** Checks the types of rate-limit options (`KlaviyoClient.layer`'s `rateLimit`, `RateLimitBudget`'s). */
export const checkRateLimitTypes = (options: unknown): InvalidRequest | undefined => {
  if (!isObject(options)) {
    return new InvalidRequest({
      input: "rateLimit",
      reason: `rate-limit options must be an object, not ${kindOf(options)}`,
    })
  }
  const wrong = runChecks(options, rateLimitChecks, "rateLimit.")
  if (wrong !== undefined) return wrong
  for (const name of ["burst", "steady"]) {
    const window = options[name]
    const inWindow = isObject(window) ? runChecks(window, windowChecks, `rateLimit.${name}.`) : undefined
    if (inWindow !== undefined) return inWindow
  }
  return undefined
}

/** Checks the types of `KlaviyoClient.layer`'s options; their values are checked afterwards. */
export const checkClientOptionTypes = (options: unknown): InvalidRequest | undefined => {
  const notObject = checkOptionsObject(options)
  if (notObject !== undefined) return notObject
  const record = options as { readonly [key: string]: unknown }
  const retry = record["retry"]
  return runChecks(record, clientChecks, "") ??
    (isObject(retry) ? runChecks(retry, retryChecks, "retry.") : undefined)
}

/** Checks `makeKlaviyoClient`'s own option, the transport. */
export const checkHttpClientLayer = (value: unknown): InvalidRequest | undefined =>
  value === undefined || Layer.isLayer(value) ? undefined : new InvalidRequest({
    input: "httpClient",
    reason: `httpClient must be an HttpClient layer, not ${kindOf(value)}`,
  })
