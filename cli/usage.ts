/**
 * What the program says about its own use: the help's demo jobs and exit codes, and a usage
 * error as one line and a hint (the help is one `--help` away), on stderr.
 *
 * @module
 */
import type * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as TerminalCapabilities from "effect/cli/TerminalCapabilities"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { SIMULATED_JOB_IDS } from "../mod.ts"

/** The program's name, as its commands are typed. */
export const PROGRAM = "klaviyo-catalog-jobs"

/** The exit codes. */
export const EXIT = { ok: 0, jobFailed: 1, usage: 2, api: 3, interrupted: 130 } as const

/** What each exit code means. */
const EXIT_MEANINGS: ReadonlyArray<readonly [number, string]> = [
  [EXIT.ok, "done (a watched job complete with no failures; a write with every record written)"],
  [EXIT.jobFailed, "a watched job complete with failures or cancelled; a write with records not written"],
  [EXIT.usage, "a usage error (a bad argument, flag or option)"],
  [EXIT.api, "an API, network or decoding error"],
  [EXIT.interrupted, "stopped by Ctrl-C"],
]

/** A section of the help, as effect/cli draws its own: a title, then indented lines. */
const section = (title: string, lines: ReadonlyArray<string>): string =>
  [title, ...lines.map((line) => `  ${line}`)].join("\n")

/**
 * What the help says after effect/cli's own sections: the demo jobs (for the program, `get` and
 * `watch`) and the exit codes.
 */
export const helpFooter = (commandPath: ReadonlyArray<string>): string => {
  const command = commandPath[1]
  const width = Math.max(...Object.keys(SIMULATED_JOB_IDS).map((type) => type.length)) - 4
  const demo = command === undefined || command === "get" || command === "watch"
    ? [
      section(
        "DEMO JOBS (the built-in simulator's, with no KLAVIYO_API_KEY set; one of each type, complete)",
        [
          ...Object.entries(SIMULATED_JOB_IDS).map(([type, id]) =>
            `${type.replace(/-job$/, "").padEnd(width)}  ${id}`
          ),
          `e.g. ${PROGRAM} ${command ?? "watch"} catalog-item-bulk-create ${
            SIMULATED_JOB_IDS["catalog-item-bulk-create-job"]
          }`,
        ],
      ),
    ]
    : []
  const codes = section(
    "EXIT CODES",
    EXIT_MEANINGS.map(([code, meaning]) => `${String(code).padEnd(3)}  ${meaning}`),
  )
  return [...demo, codes].join("\n\n")
}

/** What went wrong, in one line: effect/cli puts its suggestions on lines of their own. */
const oneLine = (error: CliError.NonShowHelpErrors): string => {
  const guesses = (suggestions: ReadonlyArray<string>) =>
    suggestions.length === 0 ? "" : ` (did you mean ${suggestions.join(" or ")}?)`
  switch (error._tag) {
    case "UnrecognizedOption":
      return `unknown flag ${error.option}${guesses(error.suggestions)}`
    case "UnknownSubcommand":
      return `unknown command ${JSON.stringify(error.subcommand)}${guesses(error.suggestions)}`
    case "InvalidValue":
      // `[job_type] <job_id>` is read whole (readJobArguments): its own sentence says what is
      // wrong, where effect/cli's would echo the arguments joined by commas ("a,b").
      return error.kind === "argument" && error.option === "job"
        ? error.expected
        : error.message.replace(/\s*\n\s*/g, " ")
    default:
      return error.message.replace(/\s*\n\s*/g, " ")
  }
}

/** A usage error: one line, then where the rest is. */
const usageError = (commandPath: ReadonlyArray<string>, problem: string) => {
  const command = commandPath.length === 0 ? PROGRAM : commandPath.join(" ")
  return Console.error(`${command}: ${problem}\nRun ${command} --help for the usage.`)
}

/**
 * effect/cli's presenter, except that a usage error is one line and a hint on stderr, rather
 * than the whole help: stdout carries only what was asked for, and the error is not lost above
 * the help.
 */
export const usageOnStderr: CliOutput.Presenter = {
  present: (event) =>
    Effect.gen(function* () {
      const { canColor } = yield* TerminalCapabilities.TerminalCapabilities
      const formatter = CliOutput.defaultFormatter({ colors: canColor })
      switch (event._tag) {
        case "Help":
          return yield* event.reason === "Requested"
            ? Console.log(
              `${formatter.formatHelpDoc(event.helpDoc).trimEnd()}\n\n${helpFooter(event.commandPath)}`,
            )
            : usageError(
              event.commandPath,
              `a command is needed: ${
                (event.helpDoc.subcommands ?? []).flatMap((group) =>
                  group.commands.map((command) => command.name)
                ).join(", ")
              }`,
            )
        case "InvalidInvocation":
          return yield* usageError(event.commandPath, event.errors.map(oneLine).join("; "))
        case "Version":
          return yield* Console.log(formatter.formatVersion(event.name, event.version))
      }
    }),
}
