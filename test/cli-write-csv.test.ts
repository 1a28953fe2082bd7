/**
 * CSV records: `bulkWriteRecordFromText` (each cell read as its field takes it), and `write`
 * with a `.csv` file, run as a subprocess against the built-in simulator (exact stdout, lines of
 * the refused rows, the report's lines, exit codes).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Result } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { bulkWriteRecordFromText } from "../mod.ts"
import { cleanupCli, runPiped } from "./support/pty.ts"

const fast = { KLAVIYO_SIMULATOR_SPEED: "20" }
const dir = mkdtempSync(join(tmpdir(), "cli-write-csv-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterAll(cleanupCli)

const id = (name: string) => `$custom:::$default:::${name}`
const demo = (i: number) => `DEMO-${String(i).padStart(3, "0")}`

describe("bulkWriteRecordFromText", () => {
  const item = { resource: "catalog-item", operation: "create" } as const
  it("reads text as text, numbers, booleans, objects and null as JSON, lists as JSON or ;-separated", () => {
    expect(bulkWriteRecordFromText(item, {
      external_id: "007",
      title: "true",
      description: "",
      url: "https://example.com/a,b",
      price: "19.5",
      published: "false",
      categories: `${id("A")}; ${id("B")};`,
      images: '["https://example.com/1.jpg"]',
      custom_metadata: '{"color":"red"}',
      image_full_url: "null",
    })).toEqual(Result.succeed({
      external_id: "007",
      title: "true",
      url: "https://example.com/a,b",
      price: 19.5,
      published: false,
      categories: [id("A"), id("B")],
      images: ["https://example.com/1.jpg"],
      custom_metadata: { color: "red" },
      image_full_url: "null",
    }))
    expect(bulkWriteRecordFromText({ resource: "catalog-variant", operation: "update" }, {
      id: "V",
      inventory_quantity: "5",
      price: "null",
    })).toEqual(Result.succeed({ id: "V", inventory_quantity: 5, price: null }))
  })

  it("fails with the reason for a cell that is not what its field takes, and an InvalidRequest for no kind", () => {
    expect(bulkWriteRecordFromText(item, { external_id: "X", price: "12,5" })).toEqual(
      Result.fail(`the cell of price is not JSON (${errorOf("12,5")})`),
    )
    const unknown = bulkWriteRecordFromText({ resource: "catalog-product", operation: "create" } as never, {})
    expect(Result.isFailure(unknown) && typeof unknown.failure !== "string" && unknown.failure._tag).toBe(
      "InvalidRequest",
    )
  })
})

const errorOf = (text: string): string => {
  try {
    JSON.parse(text)
    return ""
  } catch (cause) {
    return (cause as Error).message
  }
}

describe("write with a CSV file", () => {
  it("writes its rows (quoted commas, a line break in a cell), refuses a short row, names the lines", async () => {
    const path = join(dir, "categories.csv")
    writeFileSync(
      path,
      [
        "\ufeffid,name",
        `${id(demo(1))},"Shoes, boots"`,
        `${id(demo(2))},"Two`,
        `lines"`,
        "",
        `${id(demo(3))}`,
        `${id("NOPE")},Nope`,
        `${id(demo(4))},Plain`,
      ].join("\r\n") + "\r\n",
    )
    const report = join(dir, "categories-report.jsonl")
    const run = await runPiped(["write", "category", "update", "--file", path, "--report", report], fast)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^Write cli-catalog-category-update-[0-9a-f]{24}: 5 records from /m)
    expect(run.stdout.trimEnd().split("\n").slice(-5)).toEqual([
      "Wrote catalog-category update: 5 records in 1 job, 3 succeeded, 2 failed, 0 unknown.",
      "Failed (2):",
      "  - line 6 has 1 cell, the header 2",
      `  - line 7 (${id("NOPE")}): A category with the id \`${id("NOPE")}\` does not exist.`,
      `Report: ${report} (5 outcomes)`,
    ])
    const outcomes = readFileSync(report, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line))
    expect(outcomes.map((o) => [o.index, o.line, o.outcome])).toEqual([
      [0, 2, "succeeded"],
      [1, 4, "succeeded"],
      [2, 6, "failed"],
      [3, 7, "failed"],
      [4, 8, "succeeded"],
    ])
  })

  it("stops with exit 2 and the line when the file is not CSV (a quote never closed)", async () => {
    const path = join(dir, "broken.csv")
    writeFileSync(path, `id,name\n${id(demo(5))},"never closed\n`)
    const run = await runPiped(["write", "category", "update", "--file", path], fast)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      `${path} is not CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2`,
    )
  })
})
