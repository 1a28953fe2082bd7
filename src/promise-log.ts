/**
 * Where the Promise facade's log messages go. An Effect application decides that with Effect's
 * own logger; code that does not use Effect has none, so the facade installs its own: warnings on
 * stderr by default (through `console.warn` / `console.error`, on every runtime), never stdout.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Formatter from "effect/Formatter"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as References from "effect/References"
import { InvalidRequest } from "./errors.ts"
import { kindOf } from "./internal/options.ts"

/**
 * The levels of a log message, most severe first (Effect's `LogLevel.Severity`).
 *
 * @example
 * ```ts
 * import { type KlaviyoLogLevel, makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const logLevel: KlaviyoLogLevel = "Debug"
 * const client = makeKlaviyoClient({ apiKey: "pk_example", logLevel })
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export type KlaviyoLogLevel = "Fatal" | "Error" | "Warn" | "Info" | "Debug" | "Trace"

/**
 * One log message of a Promise client, as its `logger` receives it.
 *
 * @example
 * ```ts
 * import type { KlaviyoLogEntry } from "@effect-klaviyo/catalog-jobs"
 *
 * const entry: KlaviyoLogEntry = {
 *   level: "Warn",
 *   message: "Retrying getCatalogCategoryBulkUpdateJob (attempt 2) in 250ms (backoff) after status 503",
 *   annotations: { "klaviyo.retry.attempt": 2, "klaviyo.retry.cause": "status 503" },
 *   date: new Date(),
 * }
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export interface KlaviyoLogEntry {
  /** How severe: `"Warn"` for a retry, `"Debug"` for why a failure is not retried. */
  readonly level: KlaviyoLogLevel
  /** The message, one sentence (never a credential). */
  readonly message: string
  /** The structured details (a retry's attempt, cause, delay and its source). */
  readonly annotations: Readonly<Record<string, unknown>>
  /** When it was logged (the client's clock). */
  readonly date: Date
}

/**
 * A Promise client's log sink: called once per message at or above the client's `logLevel`.
 * What it throws is ignored (a log never fails a call).
 *
 * @example
 * ```ts
 * import { type KlaviyoLogger, makeKlaviyoClient } from "@effect-klaviyo/catalog-jobs"
 *
 * const logger: KlaviyoLogger = (entry) => console.error(JSON.stringify(entry))
 * const client = makeKlaviyoClient({ apiKey: "pk_example", logger })
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export type KlaviyoLogger = (entry: KlaviyoLogEntry) => void

/**
 * The logging options of {@link makeKlaviyoClient}.
 *
 * @example
 * ```ts
 * import { makeKlaviyoClient, type PromiseLogOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const quiet: PromiseLogOptions = { logger: false }
 * const client = makeKlaviyoClient({ apiKey: "pk_example", ...quiet })
 * ```
 *
 * @since 0.1.0
 * @category promise
 */
export interface PromiseLogOptions {
  /**
   * Where log messages go: a function that receives each one, or `false` for nowhere. The
   * default writes one line per message, `[@effect-klaviyo/catalog-jobs] WARN Retrying ...`, with
   * `console.warn` (`console.error` for errors), which is stderr on Node, Deno and Bun: nothing is
   * ever written to stdout.
   * @default console.warn / console.error
   */
  readonly logger?: false | KlaviyoLogger | undefined
  /**
   * The least severe level logged; `"Debug"` adds why a failure was not retried.
   * @default "Warn"
   */
  readonly logLevel?: KlaviyoLogLevel | undefined
}

const PREFIX = "[@effect-klaviyo/catalog-jobs]"

/** The default sink: one line on stderr through the console, on every runtime. */
const toStderr: KlaviyoLogger = ({ level, message }) => {
  const line = `${PREFIX} ${level.toUpperCase()} ${message}`
  if (level === "Error" || level === "Fatal") console.error(line)
  else console.warn(line)
}

const severities: ReadonlyArray<string> = [
  "Fatal",
  "Error",
  "Warn",
  "Info",
  "Debug",
  "Trace",
] satisfies ReadonlyArray<KlaviyoLogLevel>
const isSeverity = (level: unknown): level is KlaviyoLogLevel =>
  typeof level === "string" && severities.includes(level)

/** An Effect log message (the arguments of `Effect.log*`, and a cause if one was logged) as one string. */
const messageText = (message: unknown, cause: Cause.Cause<unknown>): string => {
  const parts = (Array.isArray(message) ? message : [message]).map((part) =>
    typeof part === "string" ? part : Formatter.format(part)
  )
  if (cause.reasons.length > 0) parts.push(Cause.pretty(cause))
  return parts.join(" ")
}

const refuse = (input: "logger" | "logLevel", reason: string) => new InvalidRequest({ input, reason })

/**
 * The Effect logger of a Promise client, replacing Effect's default one (which writes to stdout),
 * and its minimum level. Fails with `InvalidRequest` (its `input` the option's name) for a
 * `logger` or `logLevel` that JavaScript code passed and the types do not allow.
 */
export const promiseLoggerLayer = (options: PromiseLogOptions): Layer.Layer<never, InvalidRequest> =>
  Layer.unwrap(Effect.gen(function* () {
    const { logger, logLevel = "Warn" } = options
    if (logger !== undefined && logger !== false && typeof logger !== "function") {
      return yield* refuse("logger", `logger must be false or a function, not ${kindOf(logger)}`)
    }
    if (!isSeverity(logLevel)) {
      // Described by its type only: a value put here by mistake (the key, say) is never echoed.
      return yield* refuse(
        "logLevel",
        `logLevel must be one of ${severities.join(", ")}, not ${
          typeof logLevel === "string" ? "a string that is none of them" : kindOf(logLevel)
        }`,
      )
    }
    const minimum = Layer.succeed(References.MinimumLogLevel, logLevel)
    if (logger === false) return Layer.merge(Logger.layer([]), minimum)
    const sink = logger ?? toStderr
    const log = Logger.make(({ cause, date, fiber, logLevel: level, message }) => {
      if (!isSeverity(level)) return
      try {
        sink({
          level,
          message: messageText(message, cause),
          annotations: fiber.getRef(References.CurrentLogAnnotations),
          date,
        })
      } catch {
        // A log never fails a call.
      }
    })
    return Layer.merge(Logger.layer([log]), minimum)
  }))
