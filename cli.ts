#!/usr/bin/env node
/**
 * `klaviyo-catalog-jobs`: the command-line program.
 *
 * - `get [job_type] <job_id>` prints a catalog bulk job of any of the 9 types (a table; `--json`
 *   for machines, `--fields` to choose the job's fields, `--include items|variants|categories`
 *   for its records). Without a type, a catalog category bulk update job.
 * - `watch [job_type] <job_id>` follows the job until it ends: a live progress bar on a terminal,
 *   one plain line per change otherwise, then a summary of its errors.
 * - `list <job_type>` prints every job of a type, page after page (`--status` filters,
 *   `--json` prints one JSON object per line).
 * - `write <resource> <operation> --file records.jsonl` (or `.csv`) writes any number of records (JSON
 *   Lines, read line by line) with `bulkWrite`: a live bar on a terminal, plain lines otherwise,
 *   a summary; `--report` writes one outcome a record, `--failed` the records to fix and
 *   resubmit; `--id` names the write (by default derived from the file, so that the same
 *   command resumes it from its state file, `--state`, after a Ctrl-C or a crash). Exit codes: 0
 *   every record written, 1 some not, 3 a job's POST failed, 130 stopped by Ctrl-C.
 *
 * Against the real API when `KLAVIYO_API_KEY` (or `KLAVIYO_ACCESS_TOKEN`) is set, against the
 * built-in simulated Klaviyo otherwise (it says so on stderr). Exit codes: 0 done (a watched job
 * complete with no failures), 1 a watched job complete with failures or cancelled, 2 a usage
 * error, 3 an API, network or decoding error.
 *
 * It is built on the library's public API only (`./mod.ts`); the library never imports it.
 *
 * @module
 */
import * as Cause from "effect/Cause"
import * as Argument from "effect/cli/Argument"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import { type BulkJobField, watchBulkJob } from "./mod.ts"
import { type Display, liveDisplay, plainDisplay } from "./cli/display.ts"
import { type Env, target } from "./cli/klaviyo.ts"
import { platformLayer } from "./cli/platform.ts"
import { getJob, JOB_NAMES, listJobs, readJobArguments } from "./cli/jobs.ts"
import { listHeader, renderJob, renderJson, renderListed, renderSummary } from "./cli/render.ts"
import { VERSION } from "./cli/version.ts"
import { defaultStatePath, engineLayer } from "./cli/engine.ts"
import { runWrite } from "./cli/write.ts"
import { EXIT, PROGRAM, usageOnStderr } from "./cli/usage.ts"

const typeList = JOB_NAMES.join(", ")

/** `[job_type] <job_id>`: a job id, after its type unless it is a category update job. */
const job = Argument.String("job").pipe(
  // No upper bound here: readJobArguments refuses a third (effect/cli would read the first two,
  // refuse them as a type and an id, and never name the third).
  Argument.variadic({ min: 1 }),
  Argument.mapTryCatch(readJobArguments, (error) => error instanceof Error ? error.message : String(error)),
  Argument.withMetavar("[job_type] <job_id>"),
  Argument.withDescription(
    `The job's type (${typeList}; catalog-category-bulk-update when left out), then its id, as Klaviyo returned it when the job was created.`,
  ),
)
const jobType = Argument.String("job_type").pipe(
  Argument.mapTryCatch(
    (name) => readJobArguments([name, ""]).type,
    (error) => error instanceof Error ? error.message : String(error),
  ),
  Argument.withDescription(`The jobs' type: ${typeList}.`),
)
const include = Flag.Literals("include", ["items", "variants", "categories"]).pipe(
  Flag.withDescription(
    "Fetch the job's records too (items on item jobs, variants on variant jobs, categories on category jobs; create and update jobs only).",
  ),
  Flag.optional,
)
const json = Flag.Boolean("json").pipe(
  Flag.withDescription("Print JSON (dates in ISO 8601, UTC)."),
  Flag.withDefault(false),
)
const fields = Flag.String("fields").pipe(
  Flag.withDescription(
    "Only these job fields, comma-separated, with the spec's names (status,completed_count,...).",
  ),
  Flag.optional,
)
// The names are checked against the revision by the library before anything is sent.
const fieldList = (input: Option.Option<string>): ReadonlyArray<BulkJobField> | undefined =>
  Option.match(input, {
    onNone: () => undefined,
    onSome: (list) =>
      list.split(",").map((name) => name.trim()).filter((name) => name !== "") as Array<BulkJobField>,
  })

/** The program on `env`: its value is the exit code. */
const program = (env: Env): Effect.Effect<number> => {
  const startedAt = Date.now()
  const klaviyo = target(env, new Date(startedAt))
  let code: number = EXIT.ok
  const notice = Console.error(klaviyo.notice)

  const get = Command.make("get", { job, json, fields, include }, (input) =>
    Effect.gen(function* () {
      yield* notice
      const found = yield* getJob(input.job.type, input.job.id, {
        fields: fieldList(input.fields),
        include: Option.getOrUndefined(input.include),
      })
      yield* Console.log(input.json ? renderJson(found) : renderJob(found))
    }).pipe(Effect.provide(klaviyo.layer))).pipe(
      Command.withDescription("Fetch a catalog bulk job (any of the 9 types) and print it."),
    )

  const list = Command.make("list", {
    jobType,
    status: Flag.Literals("status", ["queued", "processing", "complete", "cancelled"]).pipe(
      Flag.withDescription("Only the jobs in this status."),
      Flag.optional,
    ),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print one JSON object per job and line (JSON Lines; dates in ISO 8601, UTC)."),
      Flag.withDefault(false),
    ),
    fields,
  }, (input) =>
    Effect.gen(function* () {
      yield* notice
      if (!input.json) yield* Console.log(listHeader())
      // Each page is fetched as the lines before it are printed.
      yield* listJobs(input.jobType, {
        fields: fieldList(input.fields),
        status: Option.getOrUndefined(input.status),
      }).pipe(
        Stream.runForEach((found) => Console.log(input.json ? JSON.stringify(found) : renderListed(found))),
      )
    }).pipe(Effect.provide(klaviyo.layer))).pipe(
      Command.withDescription("List the jobs of a type, newest first, page after page (--status filters)."),
    )

  const watch = Command.make("watch", { job }, (input) =>
    Effect.gen(function* () {
      yield* notice
      const display: Display = yield* Effect.acquireRelease(
        Effect.sync(() =>
          process.stdout.isTTY === true && env["TERM"] !== "dumb"
            ? liveDisplay(process.stdout, Date.now())
            : plainDisplay(process.stdout)
        ),
        (display) => Effect.sync(display.close),
      )
      // On a terminal the clock and the time left move between polls.
      yield* Effect.sync(display.tick).pipe(Effect.repeat(Schedule.spaced("250 millis")), Effect.forkScoped)
      const last = yield* watchBulkJob(
        input.job,
        klaviyo.interval === undefined ? {} : { interval: klaviyo.interval },
      ).pipe(
        Stream.tap((snapshot) =>
          Effect.sync(() =>
            display.show({ status: snapshot.job.status, progress: snapshot.progress, at: snapshot.at })
          )
        ),
        Stream.runLast,
      )
      yield* Effect.sync(display.close)
      if (Option.isNone(last)) return yield* Effect.die("the watch ended before the first poll")
      const { job, progress } = last.value
      yield* Console.log(renderSummary(job, progress))
      code = job.status === "complete" && progress.failed === 0 ? EXIT.ok : EXIT.jobFailed
    }).pipe(Effect.scoped, Effect.provide(klaviyo.layer))).pipe(
      Command.withDescription(
        "Follow a job until it ends: a progress bar on a terminal, plain lines otherwise, then its errors.",
      ),
    )

  const write = Command.make("write", {
    resource: Argument.ChoiceWithValue(
      "resource",
      [
        ["catalog-item", "catalog-item"],
        ["catalog-variant", "catalog-variant"],
        ["catalog-category", "catalog-category"],
        ["item", "catalog-item"],
        ["variant", "catalog-variant"],
        ["category", "catalog-category"],
      ] as const,
    ).pipe(
      Argument.withDescription(
        "What to write: catalog-item, catalog-variant, catalog-category (or item, variant, category).",
      ),
    ),
    operation: Argument.Literals("operation", ["create", "update", "delete"]).pipe(
      Argument.withDescription("What to do to the records: create, update or delete."),
    ),
    file: Flag.File("file", { mustExist: true }).pipe(
      Flag.withDescription(
        "The records, flat as the library takes them: one JSON object a line (JSON Lines), or a CSV file (a name ending in .csv) whose header names the fields.",
      ),
    ),
    report: Flag.String("report").pipe(
      Flag.withDescription("Write one outcome a record to this file (JSON Lines, in input order)."),
      Flag.optional,
    ),
    failed: Flag.String("failed").pipe(
      Flag.withDescription(
        "Write the records not written (failed or unknown) to this file, to fix and resubmit.",
      ),
      Flag.optional,
    ),
    id: Flag.String("id").pipe(
      Flag.withDescription(
        "The write's id (the same id resumes it); by default derived from the file's path and content.",
      ),
      Flag.optional,
    ),
    maxInFlight: Flag.Int("max-in-flight").pipe(
      Flag.withDescription("At most this many jobs in progress at once (1 to 500; 20 by default)."),
      Flag.optional,
    ),
    state: Flag.String("state").pipe(
      Flag.withDescription(
        "The write's state file (SQLite; <file>.write-state.sqlite by default): the same command run again " +
          "after a Ctrl-C or a crash resumes the write from it, and answers a finished write from it, sending nothing. " +
          "A changed records file is a new write (a new id). Not used against the built-in simulator (in memory).",
      ),
      Flag.optional,
    ),
  }, (input) =>
    Effect.gen(function* () {
      yield* notice
      // The simulated Klaviyo lives in this process: its jobs could not be resumed by another.
      const state = klaviyo.simulated
        ? undefined
        : Option.getOrElse(input.state, () => defaultStatePath(input.file))
      if (klaviyo.simulated && Option.isSome(input.state)) {
        yield* Console.error("--state is not used against the built-in simulator: the write is in memory.")
      }
      code = yield* runWrite({
        kind: { resource: input.resource, operation: input.operation },
        file: input.file,
        report: Option.getOrUndefined(input.report),
        failed: Option.getOrUndefined(input.failed),
        id: Option.getOrUndefined(input.id),
        maxInFlight: Option.getOrUndefined(input.maxInFlight),
        state,
      }, {
        terminal: process.stdout.isTTY === true && env["TERM"] !== "dumb",
        pollInterval: klaviyo.interval === undefined ? undefined : Duration.toMillis(klaviyo.interval.min),
      }).pipe(Effect.provide(engineLayer(state)))
    }).pipe(Effect.provide(klaviyo.layer))).pipe(
      Command.withDescription(
        "Write records from a JSON Lines or CSV file in bulk jobs: a progress bar, a summary, a report of every record, the records to fix.",
      ),
    )

  const cli = Command.make(PROGRAM).pipe(
    Command.withDescription(
      "Klaviyo catalog bulk jobs (items, variants, categories x create, update, delete). Reads KLAVIYO_API_KEY (or KLAVIYO_ACCESS_TOKEN), " +
        "KLAVIYO_REVISION and KLAVIYO_BASE_URL; with no key it asks the built-in simulated Klaviyo.",
    ),
    Command.withSubcommands([get, watch, list, write]),
  )

  const report = (tag: string, message: string, exitCode: number) =>
    Console.error(`${tag}: ${message}`).pipe(Effect.as(exitCode))

  return Command.run(cli, { version: VERSION }).pipe(
    Effect.map(() => code),
    Effect.catchTags({
      InvalidRequest: (error) => report(error._tag, error.message, EXIT.usage),
      ConfigError: (error) => report(error._tag, error.message, EXIT.usage),
      KlaviyoApiError: (error) => report(error._tag, error.message, EXIT.api),
      TransportError: (error) => report(error._tag, error.message, EXIT.api),
      DecodeError: (error) => report(error._tag, error.message, EXIT.api),
      JobWatchError: (error) => report(error._tag, error.message, EXIT.api),
      PlatformError: (error) => report(error._tag, error.message, EXIT.usage),
      // The write's state file could not be opened (another run holds it, or it is not SQLite).
      SqlError: (error) => report(error._tag, error.message, EXIT.usage),
    }),
    // effect/cli's own errors (an unknown flag, a missing argument, ...) were shown as one line
    // and a hint (see usageOnStderr): a usage error, rather than effect/cli's exit code 1.
    Effect.catchIf(CliError.isCliError, () => Effect.succeed(EXIT.usage)),
    Effect.catchCause((cause) =>
      Cause.hasInterruptsOnly(cause)
        ? Effect.failCause(cause)
        : Console.error(`Unexpected failure:\n${Cause.pretty(cause)}`).pipe(Effect.as(EXIT.api))
    ),
    Effect.provide(Layer.mergeAll(CliOutput.layerPresenter(usageOnStderr), platformLayer, logsOnStderr)),
  )
}

/**
 * The library's logs (a warning before each retry) as one logfmt line each on stderr, in place
 * of Effect's default logger, which writes to stdout: stdout carries only what was asked for
 * (`get --json` stays valid JSON when a request is retried).
 */
const logsOnStderr: Layer.Layer<never> = Logger.layer([Logger.withConsoleError(Logger.formatLogFmt)])

// The exit code is set rather than forced with process.exit(), so that what was written to a pipe
// is flushed first. Ctrl-C interrupts the program (the display's finalizer leaves the terminal
// tidy) and exits 130.
const fiber = Effect.runFork(program(process.env))
const keepAlive = setInterval(() => {}, 2_147_483_647)
const interrupt = () => fiber.interruptUnsafe()
process.on("SIGINT", interrupt)
process.on("SIGTERM", interrupt)
fiber.addObserver((exit) => {
  clearInterval(keepAlive)
  process.off("SIGINT", interrupt)
  process.off("SIGTERM", interrupt)
  process.exitCode = Exit.isSuccess(exit) ? exit.value : EXIT.interrupted
})
