/**
 * The command-line program as its users meet it: run as a subprocess on the runtime running the
 * tests, with its output piped, and in a real terminal (tmux) whose screen is read back. The
 * simulated demo jobs run at 4x speed (the undocumented KLAVIYO_SIMULATOR_SPEED), about a second.
 * One run at a time: the suite runs other files beside this one, some of them timing-sensitive.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Duration } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { SIMULATED_JOB_ID, SIMULATED_JOB_IDS } from "../mod.ts"
import { bar, errorLine, formatDuration, renderLive } from "../cli/render.ts"
import { cleanupCli, runInTerminal, runPiped } from "./support/pty.ts"
import { startServer, type TestServer } from "./support/server.ts"

const fast = { KLAVIYO_SIMULATOR_SPEED: "4" }
const NOTICE = "No KLAVIYO_API_KEY set: asking the built-in simulated Klaviyo."
const ESCAPE = "\u001b"
/** The library's warning before a retry, as the program logs it: one logfmt line on stderr. */
const RETRY_WARNING =
  /^timestamp=\S+ level=WARN fiber=#\d+ message="Retrying getCatalogCategoryBulkUpdateJob \(attempt 2\) in \d+ms \(backoff\) after status 503" /
/** The help's last section. */
const EXIT_CODES = [
  "EXIT CODES",
  "  0    done (a watched job complete with no failures; a write with every record written)",
  "  1    a watched job complete with failures or cancelled; a write with records not written",
  "  2    a usage error (a bad argument, flag or option)",
  "  3    an API, network or decoding error",
  "  130  stopped by Ctrl-C",
]
const version = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")).version

afterAll(cleanupCli)

describe("what the program draws", () => {
  it("a bar of full blocks and one partial cell, always `width` cells wide", () => {
    expect(bar(0, 8)).toBe("        ")
    expect(bar(50, 8)).toBe("████    ")
    expect(bar(100, 8)).toBe("████████")
    expect(bar(59.375, 8)).toBe("████▊   ") // 4.75 cells
    expect(bar(1, 8)).toBe("        ") // an eighth of a cell would look like the bar's edge
    expect(bar(150, 4)).toBe("████")
    expect(bar(-5, 4)).toBe("    ")
  })

  it("durations for people", () => {
    expect(formatDuration(Duration.millis(850))).toBe("850ms")
    expect(formatDuration(Duration.millis(4_240))).toBe("4.2s")
    expect(formatDuration(Duration.seconds(42))).toBe("42s")
    expect(formatDuration(Duration.seconds(185))).toBe("3m 05s")
    expect(formatDuration(Duration.minutes(130))).toBe("2h 10m")
  })

  it("the live view: the bar fits the terminal, the details follow what is known", () => {
    const progress = {
      total: 200,
      completed: 48,
      failed: 2,
      processed: 50,
      percent: 25,
      rate: 12.5,
      remaining: Duration.seconds(12),
    }
    expect(renderLive(progress, "processing", Duration.seconds(5), 80).split("\n")).toEqual([
      `▕${"█".repeat(10)}${" ".repeat(30)}▏   25%  processing`,
      "  50/200 processed (48 completed, 2 failed) · 13/s · 12s left · 5.0s elapsed",
    ])
    expect(renderLive({ ...progress, rate: null, remaining: null }, "processing", Duration.zero, 40))
      .toContain("measuring rate · time left unknown")
    expect(renderLive(progress, "queued", Duration.zero, 30).split("\n")[0]).toBe(
      `▕███▎${" ".repeat(9)}▏   25%  queued`, // 13 cells: 30 columns less the text and a margin
    )
  })
})

describe("a job error's line", () => {
  it("names the record from meta.external_id, and reads well with id, code and title null", () => {
    expect(errorLine({
      id: null,
      code: null,
      title: null,
      detail: "A category with the external id `shoes` does not exist.",
      source: { pointer: "/data/attributes/categories/1" },
      meta: { external_id: "shoes" },
    })).toBe(
      "shoes: A category with the external id `shoes` does not exist. (at /data/attributes/categories/1)",
    )
  })

  it("shows code and title when present, and says so when there is nothing to show", () => {
    expect(errorLine({ id: "e", code: "invalid", title: "Invalid input", detail: "No name.", source: null }))
      .toBe("invalid: Invalid input: No name.")
    expect(errorLine({ source: { pointer: "/data/attributes/categories/4" } }))
      .toBe("no details (at /data/attributes/categories/4)")
    expect(errorLine({})).toBe("no details")
  })
})

describe("klaviyo-catalog-jobs get", () => {
  it("prints the job as a table, and says on stderr that it asks the simulator", async () => {
    const run = await runPiped(["get", SIMULATED_JOB_ID])
    expect(run.code).toBe(0)
    expect(run.stderr.trim()).toBe(NOTICE)
    expect(run.stdout).toContain(`Job ${SIMULATED_JOB_ID} (catalog-category-bulk-update-job)`)
    expect(run.stdout).toMatch(/status {6}complete/)
    expect(run.stdout).toContain("progress    2 of 3 completed, 1 failed")
    expect(run.stdout).toContain("created     2026-11-27 14:00:00 UTC")
    expect(run.stdout).toContain(
      "- ACCESSORIES: The category with the external id `ACCESSORIES` has no name in the payload. (at /data/attributes/categories/2)",
    )
    expect(run.stdout).not.toMatch(/^ {2}categories/m) // not included unless asked for
  })

  it("--json --fields --include: machine-readable stdout with only the fields asked for", async () => {
    const run = await runPiped([
      "get",
      SIMULATED_JOB_ID,
      "--json",
      "--fields",
      "status,completed_count",
      "--include",
      "categories",
    ])
    expect(run.code).toBe(0)
    expect(run.stderr.trim()).toBe(NOTICE)
    const job = JSON.parse(run.stdout)
    expect(Object.keys(job)).toEqual(["type", "id", "status", "completed_count", "categories", "unresolved"])
    expect(job.status).toBe("complete")
    expect(job.categories.map((category: { name: string }) => category.name)).toEqual([
      "Apparel",
      "Footwear",
      "Accessories",
    ])
    expect(job.categories[0].updated).toBe("2026-11-20T09:30:00.000Z")
  })

  it("--fields shows only those rows in the table", async () => {
    const run = await runPiped(["get", SIMULATED_JOB_ID, "--fields", "status"])
    expect(run.code).toBe(0)
    expect(run.stdout.trim().split("\n")).toEqual([
      `Job ${SIMULATED_JOB_ID} (catalog-category-bulk-update-job)`,
      "  status      complete",
    ])
  })

  it("exits 3 on a 404 for an unknown job", async () => {
    const run = await runPiped(["get", "01JDEM0N0SUCHJ0B000000000"])
    expect(run.code).toBe(3)
    expect(run.stdout).toBe("")
    expect(run.stderr).toMatch(/KlaviyoApiError: Klaviyo answered 404/)
  })

  it("exits 2 for a field the revision does not have (checked before sending)", async () => {
    const run = await runPiped(["get", SIMULATED_JOB_ID, "--fields", "status,bogus"])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toMatch(/InvalidRequest: .*"bogus"/)
  })

  it("exits 2 for a bad KLAVIYO_REVISION", async () => {
    const run = await runPiped(["get", SIMULATED_JOB_ID], { KLAVIYO_REVISION: "yesterday" })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/InvalidRequest: .*yesterday/)
  })
})

describe("klaviyo-catalog-jobs usage", () => {
  it.for(
    [
      [
        "no command",
        [],
        "klaviyo-catalog-jobs: a command is needed: get, watch, list, write",
        "klaviyo-catalog-jobs",
      ],
      [
        "no job id",
        ["get"],
        "klaviyo-catalog-jobs get: Missing required argument: job",
        "klaviyo-catalog-jobs get",
      ],
      [
        "an unknown flag",
        ["get", SIMULATED_JOB_ID, "--jsn"],
        "klaviyo-catalog-jobs get: unknown flag --jsn (did you mean --json?)",
        "klaviyo-catalog-jobs get",
      ],
      [
        "a bad --include",
        ["get", SIMULATED_JOB_ID, "--include", "products"],
        'klaviyo-catalog-jobs get: Invalid value for flag --include: "products". Expected: "items" | "variants" | "categories"',
        "klaviyo-catalog-jobs get",
      ],
      [
        "a third job argument (not read as a type and an id with the third dropped)",
        ["get", "a", "b", "c"],
        'klaviyo-catalog-jobs get: Unexpected positional argument: "c" (a job is [job_type] <job_id>)',
        "klaviyo-catalog-jobs get",
      ],
      [
        "two extra job arguments to watch",
        ["watch", "catalog-category-bulk-update", SIMULATED_JOB_ID, "c", "d"],
        'klaviyo-catalog-jobs watch: Unexpected positional arguments: "c", "d" (a job is [job_type] <job_id>)',
        "klaviyo-catalog-jobs watch",
      ],
      [
        "an unknown job type (its own sentence, not the arguments joined by commas)",
        ["get", "a", "b"],
        'klaviyo-catalog-jobs get: unknown job type "a": expected one of catalog-item-bulk-create, ' +
        "catalog-item-bulk-update, catalog-item-bulk-delete, catalog-variant-bulk-create, catalog-variant-bulk-update, " +
        "catalog-variant-bulk-delete, catalog-category-bulk-create, catalog-category-bulk-update, catalog-category-bulk-delete",
        "klaviyo-catalog-jobs get",
      ],
      [
        "an unknown command",
        ["wach", SIMULATED_JOB_ID],
        'klaviyo-catalog-jobs: unknown command "wach" (did you mean watch?)',
        "klaviyo-catalog-jobs",
      ],
    ] as const,
  )("exits 2 for %s: one line and a hint on stderr, not the help, and nothing on stdout", async ([
    ,
    args,
    line,
    command,
  ]) => {
    const run = await runPiped(args)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toBe(`${line}\nRun ${command} --help for the usage.\n`)
  })

  it("--help prints the commands, the demo job ids and the exit codes on stdout and exits 0", async () => {
    const run = await runPiped(["--help"])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe("")
    expect(run.stdout).toMatch(/get\s+Fetch a catalog bulk job \(any of the 9 types\)/)
    expect(run.stdout).toMatch(/list\s+List the jobs of a type/)
    expect(run.stdout).toMatch(/watch\s+Follow a job until it ends/)
    expect(run.stdout.slice(run.stdout.indexOf("DEMO JOBS")).trimEnd().split("\n")).toEqual([
      "DEMO JOBS (the built-in simulator's, with no KLAVIYO_API_KEY set; one of each type, complete)",
      ...Object.entries(SIMULATED_JOB_IDS).map(([type, id]) => `  ${type.slice(0, -4).padEnd(28)}  ${id}`),
      "  e.g. klaviyo-catalog-jobs watch catalog-item-bulk-create 01JDEM0ITEMCREATEJ0B000001",
      "",
      ...EXIT_CODES,
    ])
  })

  it("a command's --help ends with the exit codes; get's and watch's with the demo jobs before them", async () => {
    const list = await runPiped(["list", "--help"])
    expect(list.code).toBe(0)
    expect(list.stdout).not.toContain("DEMO JOBS")
    expect(list.stdout.trimEnd().split("\n").slice(-EXIT_CODES.length)).toEqual(EXIT_CODES)
    const get = await runPiped(["get", "--help"])
    expect(get.code).toBe(0)
    expect(get.stdout).toContain(
      `  catalog-category-bulk-delete  ${
        SIMULATED_JOB_IDS["catalog-category-bulk-delete-job"]
      }\n  e.g. klaviyo-catalog-jobs get catalog-item-bulk-create 01JDEM0ITEMCREATEJ0B000001\n\nEXIT CODES`,
    )
  })

  it("--version prints package.json's version", async () => {
    const run = await runPiped(["--version"])
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toBe(`klaviyo-catalog-jobs v${version}`)
  })
})

describe("klaviyo-catalog-jobs against a server that wants another key", () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it("exits 3 on a 401, says where it asked, and never prints the key", async () => {
    const key = "pk_wrong_0123456789abcdef"
    const run = await runPiped(["get", SIMULATED_JOB_ID], {
      KLAVIYO_API_KEY: key,
      KLAVIYO_BASE_URL: server.url,
    })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain(`Asking Klaviyo at ${server.url} (KLAVIYO_API_KEY is set).`)
    expect(run.stderr).toMatch(/KlaviyoApiError: Klaviyo answered 401/)
    expect(`${run.stdout}${run.stderr}`).not.toContain(key)
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Klaviyo-API-Key ${key}`)
  })

  it("get --json after a retried 503: stdout is the JSON alone, the retry warning is on stderr", async () => {
    server.script({ status: 503, headers: { "content-type": "application/json" }, body: "{}" })
    const run = await runPiped(["get", SIMULATED_JOB_ID, "--json"], {
      KLAVIYO_API_KEY: "pk_simulated_key",
      KLAVIYO_BASE_URL: server.url,
    })
    expect(run.code).toBe(0)
    expect(server.requests.slice(-2).map((request) => request.url.pathname)).toEqual([
      `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
      `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
    ])
    const job = JSON.parse(run.stdout)
    expect([job.id, job.status]).toEqual([SIMULATED_JOB_ID, "complete"])
    expect(run.stderr.trim().split("\n")).toEqual([
      `Asking Klaviyo at ${server.url} (KLAVIYO_API_KEY is set).`,
      expect.stringMatching(RETRY_WARNING),
    ])
  })

  it("watch after a retried 503: the retry warning is on stderr, not among the progress lines", async () => {
    server.script({ status: 503, headers: { "content-type": "application/json" }, body: "{}" })
    const run = await runPiped(["watch", SIMULATED_JOB_ID], {
      KLAVIYO_API_KEY: "pk_simulated_key",
      KLAVIYO_BASE_URL: server.url,
    })
    expect(run.code).toBe(1) // the demo job completed with a failure
    expect(run.stdout).not.toContain("Retrying")
    expect(run.stdout.trim().split("\n")[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}complete/)
    expect(run.stderr.trim().split("\n").filter((line) => RETRY_WARNING.test(line))).toHaveLength(1)
  })

  it("watches a job of the server with the right key", async () => {
    const run = await runPiped(["watch", SIMULATED_JOB_ID], {
      KLAVIYO_API_KEY: "pk_simulated_key",
      KLAVIYO_BASE_URL: server.url,
    })
    expect(run.code).toBe(1) // the demo job completed with a failure
    expect(run.stdout).toMatch(/complete\s+100%\s+3\/3 processed \(2 completed, 1 failed\)/)
  })
})

describe("klaviyo-catalog-jobs watch, piped", () => {
  it("prints one plain line per change, then the summary; exits 0 for a job with no failures", async () => {
    const run = await runPiped(["watch", "demo-complete"], fast)
    expect(run.code).toBe(0)
    expect(run.stderr.trim()).toBe(NOTICE)
    expect(run.stdout).not.toContain(ESCAPE)
    const lines = run.stdout.trim().split("\n")
    const progress = lines.filter((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}/.test(line))
    expect(progress.length).toBeGreaterThanOrEqual(3)
    // The first poll may come after the job left the queue when the machine is busy.
    expect(progress[0]).toMatch(/ (queued +0% {2}0|processing +\d+% {2}\d+)\/240 processed/)
    expect(
      progress.some((line) => / processing +\d+% {2}\d+\/240 processed .* \d+\/s {2}\S+ left$/.test(line)),
    )
      .toBe(true)
    expect(progress.at(-1)).toMatch(/ complete +100% {2}240\/240 processed \(240 completed, 0 failed\)$/)
    expect(lines.slice(progress.length)).toEqual([
      expect.stringMatching(/^Job demo-complete complete .*: 240 of 240 completed, 0 failed\.$/),
      "No errors.",
    ])
  })

  it("exits 1 for a job that completed with failures, and lists its errors", async () => {
    const run = await runPiped(["watch", "demo-failures"], fast)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Job demo-failures complete .*: 117 of 120 completed, 3 failed\./)
    expect(run.stdout).toContain("Errors (3):")
    for (const index of [17, 58, 93]) {
      expect(run.stdout).toContain(`(at /data/attributes/categories/${index})`)
    }
  })

  it("exits 1 for a cancelled job", async () => {
    const run = await runPiped(["watch", "demo-cancelled"], fast)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/ cancelled +41% {2}50\/120 processed/)
    expect(run.stdout).toMatch(/Job demo-cancelled cancelled .*: 50 of 120 completed, 0 failed\./)
  })

  it("exits 3 for a job that does not exist", async () => {
    const run = await runPiped(["watch", "01JDEM0N0SUCHJ0B000000000"], fast)
    expect(run.code).toBe(3)
    expect(run.stdout).toBe("")
    expect(run.stderr).toMatch(/Klaviyo answered 404/)
  })
})

describe("klaviyo-catalog-jobs watch, in a terminal", () => {
  it("draws a live bar with counts, rate and time left in place, then the summary", async () => {
    const run = await runInTerminal(["watch", "demo-failures"], { KLAVIYO_SIMULATOR_SPEED: "2" }, {
      columns: 100,
      rows: 30,
    })
    expect(run.code).toBe(1)
    // While the job runs: a partly filled bar with its percentage, the counts, a rate, the time left.
    const running = run.screens.filter((screen) => /▕█+[▎▍▌▋▊▉ ]*▏ +\d+% {2}processing/.test(screen))
    expect(running.length).toBeGreaterThanOrEqual(1)
    expect(
      running.some((screen) =>
        /\d+\/120 processed \(\d+ completed, \d+ failed\) · \d+\/s · \S+ left/.test(screen)
      ),
    )
      .toBe(true)
    // The screen as the person sees it at the end: one bar (redrawn in place, not scrolled), full.
    const lines = run.final.split("\n")
    expect(lines[0]).toBe(NOTICE)
    expect(lines[1]).toBe(`▕${"█".repeat(40)}▏  100%  complete`)
    expect(lines[2]).toMatch(/^ {2}120\/120 processed \(117 completed, 3 failed\) · \S+ elapsed$/)
    expect(lines[3]).toMatch(/^Job demo-failures complete .*: 117 of 120 completed, 3 failed\.$/)
    expect(lines[4]).toBe("Errors (3):")
    expect(lines.filter((line) => line.includes("▕"))).toHaveLength(1)
    expect(run.final).toContain("[exit 1]")
  })

  it("Ctrl-C stops a watch with 130, leaving the last bar on the screen and the cursor visible", async () => {
    const run = await runInTerminal(["watch", "demo-complete"], {}, {
      interruptWhen: (screen) => / processing$/m.test(screen),
    })
    expect(run.code).toBe(130)
    expect(run.final).toMatch(/▕[█▎▍▌▋▊▉ ]{40}▏ +\d+% {2}processing\n {2}\d+\/240 processed/)
    expect(run.final).not.toContain("Job demo-complete complete")
    expect(run.cursorVisible).toBe(true)
  })

  it("fits the bar to a narrow terminal", async () => {
    const run = await runInTerminal(["watch", "demo-complete"], fast, { columns: 40, rows: 20 })
    expect(run.code).toBe(0)
    const bar = run.final.split("\n").find((line) => line.includes("▕"))
    expect(bar).toBe(`▕${"█".repeat(21)}▏  100%  complete`)
    expect(run.final).toContain("No errors.")
    expect(run.cursorVisible).toBe(true)
  })
})

describe("the library and the program's dependencies", () => {
  it("mod.ts and src/ never import the CLI or its dependencies", () => {
    const root = join(import.meta.dirname, "..")
    const sources = [
      "mod.ts",
      ...readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts"))
        .map((file) => join("src", file)),
    ]
    const imports = sources.flatMap((file) =>
      [...readFileSync(join(root, file), "utf8").matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/gm)]
        .map(([, specifier]) => `${file}: ${specifier}`)
    )
    expect(imports.length).toBeGreaterThan(20)
    const offending = imports.filter((line) => /: (log-update|@effect\/platform-node|.*\bcli\b)/.test(line))
    expect(offending).toEqual([])
  })
})
