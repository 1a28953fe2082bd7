/**
 * The client's options, read once into a plain snapshot with their JavaScript types checked,
 * before anything else reads them: code without TypeScript (or with a cast) can pass anything,
 * and a wrong type must be an `InvalidRequest` naming the option, never a `TypeError`, a defect
 * or a silent default. Each option is read exactly once, inside a `try`: options given as a
 * Proxy, a revoked one, or with getters that throw are refused, naming what could not be read,
 * and nothing reads the caller's objects again afterwards.
 * `undefined` means "not given" (the default applies); `null` is a wrong type like any other.
 * Values are described by their type only, never echoed: a misplaced credential stays unsaid.
 * The values themselves (a positive duration, a whole number) are checked where they are read.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { type InvalidInput, InvalidRequest } from "../errors.ts"
import { isKlaviyoBudget } from "./promise-budget.ts"

/** An object made by `{ ... }` (or with no prototype): not a class instance, a Date, a Map. */
const isPlainObject = (value: unknown): value is { readonly [key: string]: unknown } => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** What a value is, for a message, without the value: `null`, `an array`, `a number`, `a Date`, ... */
export const kindOf = (value: unknown): string => {
  if (value === null) return "null"
  if (value === undefined) return "undefined"
  if (Array.isArray(value)) return "an array"
  if (Redacted.isRedacted(value)) return `a Redacted ${kindOf(Redacted.value(value)).replace(/^an? /, "")}`
  if (Duration.isDuration(value)) return "a Duration"
  const type = typeof value
  if (type !== "object") return `a ${type}`
  if (isPlainObject(value)) return "an object"
  const tag = Object.prototype.toString.call(value).slice(8, -1)
  return tag === "Object" ? "an instance of a class" : `a ${tag}`
}

/** An object whose members can be read (not `null`, not an array). */
export const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isSecret = (value: unknown): boolean =>
  typeof value === "string" || (Redacted.isRedacted(value) && typeof Redacted.value(value) === "string")

/** The units of a `Duration.Input` object (`{ seconds: 30 }`). */
const units: ReadonlyArray<string> = [
  "weeks",
  "days",
  "hours",
  "minutes",
  "seconds",
  "milliseconds",
  "microseconds",
  "nanoseconds",
]

const finite = (value: unknown): boolean => typeof value === "number" && Number.isFinite(value)

/**
 * What is wrong with a duration as given, in words (`NaN`, `a Date`, ...), or `undefined` when it is
 * a form of `Duration.Input` that means what it says; whether it is a valid duration (a string
 * that parses, a positive one) is checked where it is read. Effect's `Duration.fromInput` turns
 * `NaN`, `{}` and `new Date(NaN)` into zero, which would silently mean "no backoff" or "never
 * wait"; those are refused here. A `bigint` is refused on purpose: `Duration.Input` reads it as
 * nanoseconds, so `timeout: 10n` would be 10 ns, which no one means; `Duration.nanos(10n)` says it
 * explicitly and is accepted.
 */
export const durationRefusal = (value: unknown): string | undefined => {
  switch (typeof value) {
    case "string":
      return undefined
    case "number":
      return Number.isFinite(value) ? undefined : String(value)
    case "bigint":
      return 'a bigint (read as nanoseconds): write "10 seconds", or Duration.nanos(10n) for nanoseconds'
    case "object": {
      if (value === null) return "null"
      if (Duration.isDuration(value)) return undefined
      if (Array.isArray(value)) {
        return value.length === 2 && value.every(finite)
          ? undefined
          : "an array that is not a [seconds, nanoseconds] pair of finite numbers"
      }
      if (!isPlainObject(value)) return kindOf(value)
      const keys = Object.keys(value)
      if (keys.some((key) => !units.includes(key))) {
        return `an object with a member that is not a unit of time (${units.join(", ")})`
      }
      const given = keys.filter((key) => value[key] !== undefined)
      if (given.length === 0) return "an object with no unit of time"
      return given.every((key) => finite(value[key]))
        ? undefined
        : "an object whose units of time are not all finite numbers"
    }
    default:
      return kindOf(value)
  }
}

/** A duration as kept: a new `Duration` for an object form, so that nothing can change it afterwards. */
const copyDuration = (value: unknown): unknown => {
  if (typeof value !== "object" || value === null) return value
  const duration = Duration.fromInputUnsafe(value as Duration.Input)
  const inner = duration.value
  switch (inner._tag) {
    case "Millis":
      return Duration.millis(inner.millis)
    case "Nanos":
      return Duration.nanos(inner.nanos)
    case "Infinity":
      return Duration.infinity
    case "NegativeInfinity":
      return Duration.negativeInfinity
  }
}

/** A secret as kept: a string, or a new `Redacted` of the same string. */
const copySecret = (value: unknown): unknown =>
  Redacted.isRedacted(value) ? Redacted.make(Redacted.value(value)) : value

/**
 * One member of an options object: its name, the input an error about it names, what is wrong
 * with a value (in words, or `undefined` when it is accepted), what it accepts (in words), and how
 * it is copied into the snapshot (a nested object is read the same way).
 */
interface Member {
  readonly name: string
  readonly input: InvalidInput
  readonly refuses: (value: unknown) => string | undefined
  readonly expected: string
  readonly copy?: (value: unknown) => unknown
}

const member = (
  name: string,
  input: InvalidInput,
  accepts: (value: unknown) => boolean,
  expected: string,
  copy?: (value: unknown) => unknown,
): Member => ({
  name,
  input,
  refuses: (value) => accepts(value) ? undefined : kindOf(value),
  expected,
  ...(copy ? { copy } : {}),
})

const duration = (name: string, input: InvalidInput): Member => ({
  name,
  input,
  refuses: durationRefusal,
  expected: "a duration",
  copy: copyDuration,
})

const isString = (value: unknown): boolean => typeof value === "string"
const isNumber = (value: unknown): boolean => typeof value === "number"
const anything = (): boolean => true

/** One window of `RateLimitOptions`. */
const windowMembers: ReadonlyArray<Member> = [
  /* @__PURE__ */ member("limit", "rateLimit", isNumber, "a number"),
  /* @__PURE__ */ duration("window", "rateLimit"),
]

/** A window member (`burst`, `steady`) of the object at `prefix` (`rateLimit.`, `rateLimit.classes.jobs-write.`). */
const window = (name: string, prefix = "rateLimit."): Member =>
  member(
    name,
    "rateLimit",
    isPlainObject,
    "{ limit, window }",
    (value) => readMembers(value as object, windowMembers, `${prefix}${name}.`),
  )

/** The limit classes `rateLimit.classes` may name. */
const limitClasses: ReadonlyArray<string> = ["jobs-read", "jobs-write"]

/**
 * `rateLimit.classes`: an object whose members are limit classes, each `{ burst?, steady? }`. A
 * member that names no class is refused (a misspelt class would otherwise be silently left out),
 * without echoing its name.
 */
const classesMember: Member = /* @__PURE__ */ member(
  "classes",
  "rateLimit",
  isPlainObject,
  `an object of limit classes (${/* @__PURE__ */ limitClasses.join(", ")})`,
  (value) => {
    const given = value as { readonly [key: string]: unknown }
    if (Object.keys(given).some((key) => !limitClasses.includes(key))) {
      return new InvalidRequest({
        input: "rateLimit",
        reason: `rateLimit.classes has a member that is not a limit class (${limitClasses.join(", ")})`,
      })
    }
    const members = limitClasses.map((name) =>
      member(
        name,
        "rateLimit",
        isPlainObject,
        "{ burst?, steady? }",
        (inner) =>
          readMembers(inner as object, [
            window("burst", `rateLimit.classes.${name}.`),
            window("steady", `rateLimit.classes.${name}.`),
          ], `rateLimit.classes.${name}.`),
      )
    )
    return readMembers(given, members, "rateLimit.classes.")
  },
)

/** `RateLimitOptions`. */
const rateLimitMembers: ReadonlyArray<Member> = [
  /* @__PURE__ */ window("burst"),
  /* @__PURE__ */ window("steady"),
  classesMember,
  /* @__PURE__ */ duration("margin", "rateLimit"),
  /* @__PURE__ */ duration("maxPause", "rateLimit"),
  /* @__PURE__ */ member("key", "rateLimit", isString, "a string"),
  /* @__PURE__ */ member("account", "rateLimit", isString, "a string"),
  /* @__PURE__ */ member("credential", "rateLimit", isSecret, "a string or a Redacted string", copySecret),
  /* @__PURE__ */ duration("storeTimeout", "rateLimit"),
]

/** `RateLimitBudgetOptions`: a shared budget's options also name a revision. */
const budgetMembers: ReadonlyArray<Member> = [
  ...rateLimitMembers,
  /* @__PURE__ */ member("revision", "rateLimit", isString, "a string"),
]

/** The default retry policy's options. */
const retryMembers: ReadonlyArray<Member> = [
  /* @__PURE__ */ member("times", "retry", isNumber, "a number"),
  /* @__PURE__ */ duration("base", "retry"),
  /* @__PURE__ */ duration("maxDelay", "retry"),
  /* @__PURE__ */ duration("maxRetryAfter", "retry"),
]

/** `KlaviyoClient.layer`'s options. */
const clientMembers: ReadonlyArray<Member> = [
  /* @__PURE__ */ member("apiKey", "credentials", isSecret, "a string or a Redacted string", copySecret),
  /* @__PURE__ */ member("accessToken", "credentials", isSecret, "a string or a Redacted string", copySecret),
  /* @__PURE__ */ member(
    "baseUrl",
    "baseUrl",
    (value) => isString(value) || value instanceof URL,
    "a string or a URL",
    (value) => value instanceof URL ? value.href : value,
  ),
  /* @__PURE__ */ member("revision", "revision", isString, "a string"),
  /* @__PURE__ */ duration("timeout", "timeout"),
  /* @__PURE__ */ duration("deadline", "deadline"),
  /* @__PURE__ */ member(
    "retry",
    "retry",
    (value) => value === false || typeof value === "function" || isPlainObject(value),
    "false, retry options or a retry policy (a function)",
    (value) => isPlainObject(value) ? readMembers(value, retryMembers, "retry.") : value,
  ),
  /* @__PURE__ */ member(
    "rateLimit",
    "rateLimit",
    (value) => value === false || value === "shared" || isPlainObject(value),
    'false, "shared" or rate-limit options',
    (value) => isPlainObject(value) ? readMembers(value, rateLimitMembers, "rateLimit.") : value,
  ),
  /* @__PURE__ */ member("maxBodyBytes", "maxBodyBytes", isNumber, "a number"),
]

/** A Promise client's `rateLimit`: a `KlaviyoBudget` besides the client's own; no `"shared"`. */
const promiseRateLimit: Member = /* @__PURE__ */ member(
  "rateLimit",
  "rateLimit",
  (value) => value === false || isKlaviyoBudget(value) || isPlainObject(value),
  "false, rate-limit options or a KlaviyoBudget (makeKlaviyoBudget)",
  (value) =>
    !isKlaviyoBudget(value) && isPlainObject(value)
      ? readMembers(value, rateLimitMembers, "rateLimit.")
      : value,
)

/** `makeKlaviyoClient`'s options: the transport, the client's options, the logging options. */
const promiseMembers: ReadonlyArray<Member> = [
  /* @__PURE__ */ member("httpClient", "httpClient", Layer.isLayer, "an HttpClient layer"),
  .../* @__PURE__ */ clientMembers.map((option) => option.name === "rateLimit" ? promiseRateLimit : option),
  // Their values are checked by the Promise logger (`promise-log.ts`).
  /* @__PURE__ */ member("logger", "logger", anything, "false or a function"),
  /* @__PURE__ */ member("logLevel", "logLevel", anything, "a log level"),
]

/**
 * Reads each member of `options` once, checks its type, and copies it into a plain object (the
 * snapshot), leaving out what is `undefined`: whatever `options` is (a Proxy, an object with
 * getters), nothing reads it again, and a member that throws when read is an `InvalidRequest`
 * naming it. Members not listed are left out.
 */
const readMembers = (
  options: object,
  members: ReadonlyArray<Member>,
  prefix: string,
): Record<string, unknown> | InvalidRequest => {
  const out: Record<string, unknown> = {}
  for (const { copy, expected, input, name, refuses } of members) {
    const path = `${prefix}${name}`
    try {
      const value: unknown = Reflect.get(options, name)
      if (value === undefined) continue
      const wrong = refuses(value)
      if (wrong !== undefined) {
        return new InvalidRequest({ input, reason: `${path} must be ${expected}, not ${wrong}` })
      }
      const kept = copy === undefined ? value : copy(value)
      if (kept instanceof InvalidRequest) return kept
      out[name] = kept
    } catch {
      return new InvalidRequest({ input, reason: `${path} could not be read (reading it threw)` })
    }
  }
  return out
}

/** Reads an options object (see {@link readMembers}); `what` names it in an error. */
const readObject = (
  options: unknown,
  members: ReadonlyArray<Member>,
  input: InvalidInput,
  what: string,
  prefix: string,
): Record<string, unknown> | InvalidRequest => {
  try {
    if (!isObject(options)) {
      return new InvalidRequest({ input, reason: `${what} must be an object, not ${kindOf(options)}` })
    }
  } catch {
    // A revoked Proxy: even asking whether it is an array throws.
    return new InvalidRequest({ input, reason: `${what} could not be read (reading them threw)` })
  }
  return readMembers(options, members, prefix)
}

/** Checks that `value` is an object of options (the first thing every entry point does). */
export const checkOptionsObject = (value: unknown): InvalidRequest | undefined => {
  const read = readObject(value, [], "client", "the client's options", "")
  return read instanceof InvalidRequest ? read : undefined
}

/**
 * Reads `KlaviyoClient.layer`'s options into a plain snapshot of the same type, their types
 * checked; their values are checked afterwards, on the snapshot.
 */
export const readClientOptions = <T extends object>(options: T): T | InvalidRequest => {
  const read = readObject(options, clientMembers, "client", "the client's options", "")
  return read instanceof InvalidRequest ? read : read as unknown as T
}

/** Reads `makeKlaviyoClient`'s options into a plain snapshot, as {@link readClientOptions} does. */
export const readPromiseOptions = <T extends object>(options: T): T | InvalidRequest => {
  const read = readObject(options, promiseMembers, "client", "the client's options", "")
  return read instanceof InvalidRequest ? read : read as unknown as T
}

/**
 * Reads a budget's options (`RateLimitBudget`'s own, or a client's `rateLimit` snapshot) into a
 * plain snapshot of the same type, their types checked.
 */
export const readRateLimitOptions = <T extends object>(options: T): T | InvalidRequest => {
  const read = readObject(options, budgetMembers, "rateLimit", "rate-limit options", "rateLimit.")
  return read instanceof InvalidRequest ? read : read as unknown as T
}
