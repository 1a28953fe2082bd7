/**
 * `write <resource> <operation> --file records.jsonl`, run as a subprocess: piped against the
 * built-in simulator (exact stdout, stderr, exit code, report and failed-records files) and a
 * scripted server (a POST refused: exit 3), and in a terminal under tmux (the bar, Ctrl-C).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { readFailedRecords } from "../mod.ts"
import { cleanupCli, runInTerminal, runPiped } from "./support/pty.ts"
import { startServer, type TestServer } from "./support/server.ts"

const NOTICE = "No KLAVIYO_API_KEY set: asking the built-in simulated Klaviyo."
const fast = { KLAVIYO_SIMULATOR_SPEED: "20" }
const dir = mkdtempSync(join(tmpdir(), "cli-write-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterAll(cleanupCli)

const id = (name: string) => `$custom:::$default:::${name}`
const update = (name: string) => JSON.stringify({ id: id(name), name: `Renamed ${name}` })
const demo = (i: number) => `DEMO-${String(i).padStart(3, "0")}`
const file = (name: string, lines: ReadonlyArray<string>): string => {
  const path = join(dir, name)
  writeFileSync(path, lines.map((line) => `${line}\n`).join(""))
  return path
}
const writeLine = (path: string, records: number) =>
  new RegExp(
    `^Write cli-catalog-category-update-[0-9a-f]{24}: ${records} records from ${
      path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    }\\.$`,
  )

/**
 * 205 lines, 204 records: two updates, a blank line, a line that is not JSON, a line that is not
 * an object, then 200 updates of which one (line 153) names a category that does not exist.
 */
const mixed = (): ReadonlyArray<string> => [
  update(demo(1)),
  update(demo(2)),
  "",
  '{"id": broken',
  "42",
  ...Array.from({ length: 200 }, (_, k) => update(k + 3 === 150 ? "NOPE-150" : demo(k + 3))),
]

describe("write, piped", () => {
  it("writes 204 records in 3 jobs: plain progress lines, the summary, the report and failed files, exit 1", async () => {
    const records = file("mixed.jsonl", mixed())
    const report = join(dir, "mixed-report.jsonl")
    const failed = join(dir, "mixed-failed.jsonl")
    const run = await runPiped(
      [
        "write",
        "category",
        "update",
        "--file",
        records,
        "--report",
        report,
        "--failed",
        failed,
        "--max-in-flight",
        "1",
      ],
      fast,
    )
    expect(run.code).toBe(1)
    expect(run.stderr.trimEnd().split("\n")).toEqual([NOTICE, expect.stringMatching(writeLine(records, 204))])
    const lines = run.stdout.trimEnd().split("\n")
    expect(lines.slice(0, 7)).toEqual([
      "100/204 submitted, 2 done (0 succeeded, 2 failed, 0 unknown), 1 job in flight",
      "100/204 submitted, 102 done (100 succeeded, 2 failed, 0 unknown), 0 jobs in flight",
      "200/204 submitted, 102 done (100 succeeded, 2 failed, 0 unknown), 1 job in flight",
      "200/204 submitted, 202 done (199 succeeded, 3 failed, 0 unknown), 0 jobs in flight",
      "202/204 submitted, 202 done (199 succeeded, 3 failed, 0 unknown), 1 job in flight",
      "202/204 submitted, 204 done (201 succeeded, 3 failed, 0 unknown), 0 jobs in flight",
      "Wrote catalog-category update: 204 records in 3 jobs, 201 succeeded, 3 failed, 0 unknown.",
    ])
    expect(lines.slice(7)).toEqual([
      "Failed (3):",
      expect.stringMatching(/^ {2}- line 4 is not JSON \(.+\)$/),
      "  - line 5: record 3 must be an object, not a number",
      `  - line 153 (${id("NOPE-150")}): A category with the id \`${id("NOPE-150")}\` does not exist.`,
      `Report: ${report} (204 outcomes)`,
      `To fix and resubmit: ${failed} (3 records)`,
    ])
    // The report: one outcome a record, in input order, each with its line.
    const outcomes = readFileSync(report, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line))
    expect(outcomes.map((o) => o.index)).toEqual(Array.from({ length: 204 }, (_, i) => i))
    expect(outcomes.map((o) => o.line)).toEqual([1, 2, ...Array.from({ length: 202 }, (_, i) => i + 4)])
    expect(outcomes.filter((o) => o.outcome !== "succeeded").map((o) => [o.index, o.line, o.outcome]))
      .toEqual([
        [2, 4, "failed"],
        [3, 5, "failed"],
        [151, 153, "failed"],
      ])
    expect(outcomes[0]).toEqual({
      outcome: "succeeded",
      index: 0,
      line: 1,
      key: id(demo(1)),
      job: expect.stringMatching(/^[0-9A-Z]{26}$/),
    })
    expect(new Set(outcomes.map((o) => o.job)).size).toBe(4) // 3 jobs, and none for the refused records
    // The records to fix and resubmit, with what happened before each.
    const fix = readFileSync(failed, "utf8").trimEnd().split("\n")
    expect(fix.map((line) => JSON.parse(line)).map((o) => [o.index, o.line, o.refused, o.errors.length]))
      .toEqual([
        [2, 4, "invalid", 0],
        [3, 5, "invalid", 0],
        [151, 153, undefined, 1],
      ])
    expect([...readFailedRecords(fix)]).toEqual([
      '{"id": broken',
      42,
      { id: id("NOPE-150"), name: "Renamed NOPE-150" },
    ])
  })

  it("exits 0 when every record is written, with the same default id for the same file", async () => {
    const records = file("three.jsonl", [update(demo(11)), update(demo(12)), update(demo(13))])
    const first = await runPiped(["write", "catalog-category", "update", "--file", records], fast)
    const again = await runPiped(["write", "catalog-category", "update", "--file", records], fast)
    expect([first.code, again.code]).toEqual([0, 0])
    expect(first.stdout.trimEnd().split("\n")).toEqual([
      "3/3 submitted, 0 done (0 succeeded, 0 failed, 0 unknown), 1 job in flight",
      "3/3 submitted, 3 done (3 succeeded, 0 failed, 0 unknown), 0 jobs in flight",
      "Wrote catalog-category update: 3 records in 1 job, 3 succeeded, 0 failed, 0 unknown.",
    ])
    const idOf = (stderr: string) => /^Write (\S+):/m.exec(stderr)?.[1]
    expect(idOf(first.stderr)).toMatch(/^cli-catalog-category-update-[0-9a-f]{24}$/)
    expect(idOf(again.stderr)).toBe(idOf(first.stderr))
    writeFileSync(records, `${update(demo(11))}\n`)
    const changed = await runPiped(
      ["write", "category", "update", "--file", records, "--id", "nightly-1"],
      fast,
    )
    expect(changed.code).toBe(0)
    expect(idOf(changed.stderr)).toBe("nightly-1")
  })

  it("refuses usage errors with exit 2 before writing anything", async () => {
    const records = file("one.jsonl", [update(demo(1))])
    const runs = await Promise.all([
      runPiped(["write", "category", "update", "--file", join(dir, "missing.jsonl")], fast),
      runPiped(["write", "product", "update", "--file", records], fast),
      runPiped(["write", "category", "upsert", "--file", records], fast),
      runPiped(["write", "category", "update"], fast),
      runPiped(["write", "category", "update", "--file", records, "--max-in-flight", "501"], fast),
    ])
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2])
    expect(runs.map((run) => run.stdout)).toEqual(["", "", "", "", ""])
    expect(runs[4]!.stderr.trimEnd().split("\n").slice(-1)).toEqual([
      "InvalidRequest: Invalid maxInFlight: maxInFlight must be a whole number from 1 to 500 (Klaviyo's limit of jobs in progress), not 501",
    ])
    expect(runs[4]!.stderr).not.toContain("Stopped")
  })
})

describe("write against a server that refuses the key", () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it("stops before any record is sent, says Klaviyo's answer and exits 3", async () => {
    server.script({
      status: 401,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({
        errors: [{
          id: "e1",
          status: 401,
          code: "not_authenticated",
          title: "Not authenticated.",
          detail: "Bad key.",
        }],
      }),
    })
    const records = file("create.jsonl", [
      JSON.stringify({ external_id: "A", name: "A" }),
      JSON.stringify({ external_id: "B", name: "B" }),
    ])
    const run = await runPiped(["write", "category", "create", "--file", records], {
      KLAVIYO_API_KEY: "pk_simulated_key",
      KLAVIYO_BASE_URL: server.url,
    })
    expect(run.code).toBe(3)
    expect(server.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      "GET /api/catalog-category-bulk-create-jobs",
    ])
    expect(run.stdout).toBe("")
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(
      /^KlaviyoApiError: Klaviyo answered 401 to GET .*\/api\/catalog-category-bulk-create-jobs.*: Not authenticated: Bad key/,
    )
    expect(run.stderr).not.toContain("pk_simulated_key")
  })
})

describe("write in a terminal", () => {
  it("draws the bar in place and ends with the summary", async () => {
    const records = file("tty.jsonl", Array.from({ length: 240 }, (_, i) => update(demo(i + 1))))
    const run = await runInTerminal(["write", "category", "update", "--file", records], {
      KLAVIYO_SIMULATOR_SPEED: "4",
    })
    expect(run.code).toBe(0)
    expect(run.screens.some((screen) => /▕[█▎▍▌▋▊▉ ]{40}▏ +\d+% {2}catalog-category update/.test(screen)))
      .toBe(true)
    const lines = run.final.split("\n")
    expect(lines[0]).toBe(NOTICE)
    expect(lines[1]).toMatch(/^Write cli-catalog-category-update-[0-9a-f]{24}: 240 records from /)
    const top = lines.findIndex((line) => line.includes("▕"))
    expect(lines.slice(top, top + 4)).toEqual([
      `▕${"█".repeat(40)}▏  100%  catalog-category update`,
      "  240/240 done (240 succeeded, 0 failed, 0 unknown)",
      expect.stringMatching(/^ {2}240 submitted · 0 jobs in flight · [\d.]+\/s · 0ms left · \S+ elapsed$/),
      "Wrote catalog-category update: 240 records in 3 jobs, 240 succeeded, 0 failed, 0 unknown.",
    ])
    expect(lines.filter((line) => line.includes("▕"))).toHaveLength(1)
    expect(run.cursorVisible).toBe(true)
  })

  it("Ctrl-C stops a write with 130, leaving the last bar and the cursor visible", async () => {
    const records = file("slow.jsonl", Array.from({ length: 240 }, (_, i) => update(demo(i + 1))))
    const run = await runInTerminal(["write", "category", "update", "--file", records], {}, {
      interruptWhen: (screen) => /jobs? in flight/.test(screen),
    })
    expect(run.code).toBe(130)
    expect(run.final).toMatch(/▕[█▎▍▌▋▊▉ ]{40}▏ +\d+% {2}catalog-category update\n {2}\d+\/240 done/)
    expect(run.final).not.toContain("Wrote catalog-category update")
    expect(run.final).toMatch(/\nStopped write cli-catalog-category-update-[0-9a-f]{24} before its end\.\n/)
    expect(run.cursorVisible).toBe(true)
  })
})
