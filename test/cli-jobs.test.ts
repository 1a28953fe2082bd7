/**
 * The command line on every job type: `get`, `watch` and `list` with a job type before the id,
 * run as a subprocess against a real local server whose answers are scripted, so that each test
 * asserts the exact requests and the exact output.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cleanupCli, runPiped } from "./support/pty.ts"
import { startServer, type TestServer } from "./support/server.ts"
import { answer, jobDocument } from "./support/jobs.ts"

afterAll(cleanupCli)

let server: TestServer
let env: Readonly<Record<string, string>>
beforeAll(async () => {
  server = await startServer()
  env = { KLAVIYO_API_KEY: "pk_simulated_key", KLAVIYO_BASE_URL: server.url }
})
afterAll(() => server.close())

const ITEM_JOB = "01JITEMCREATEJOB0000000001"

describe("get with a job type", () => {
  it("fetches an item create job with its items and prints them", async () => {
    server.script(
      answer(jobDocument("catalog-item-bulk-create-job", ITEM_JOB, "complete", "catalog-item", "items")),
    )
    const run = await runPiped(["get", "catalog-item-bulk-create", ITEM_JOB, "--include", "items"], env)
    expect(run.code).toBe(0)
    expect(server.requests.at(-1)!.target).toBe(
      `/api/catalog-item-bulk-create-jobs/${ITEM_JOB}?include=items`,
    )
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      `Job ${ITEM_JOB} (catalog-item-bulk-create-job)`,
      "  status      complete",
      "  progress    1 of 2 completed, 1 failed",
      "  created     2026-11-27 14:00:00 UTC",
      "  completed   2026-11-27 14:00:02 UTC",
      "  expires     2026-12-04 14:00:00 UTC",
      "  errors      1",
      "    - B: The record B could not be processed. (at /data/attributes/items/1)",
      "  items       2",
      "    A  external id A",
      "    B  external id B",
    ])
  })

  it("accepts the full JSON:API type and a fieldset of that type", async () => {
    server.script(answer({
      data: { type: "catalog-variant-bulk-delete-job", id: "V1", attributes: { status: "queued" } },
    }))
    const run = await runPiped([
      "get",
      "catalog-variant-bulk-delete-job",
      "V1",
      "--fields",
      "status",
      "--json",
    ], env)
    expect(run.code).toBe(0)
    expect(server.requests.at(-1)!.target).toBe(
      "/api/catalog-variant-bulk-delete-jobs/V1?fields[catalog-variant-bulk-delete-job]=status",
    )
    expect(JSON.parse(run.stdout)).toEqual({
      type: "catalog-variant-bulk-delete-job",
      id: "V1",
      status: "queued",
    })
  })

  it("refuses an include the job type does not have, before sending anything (exit 2)", async () => {
    const before = server.requests.length
    const run = await runPiped(["get", "catalog-item-bulk-delete", ITEM_JOB, "--include", "items"], env)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toMatch(/^InvalidRequest: .*include/m)
    expect(server.requests.length).toBe(before)
  })

  it("refuses an unknown job type with the list of types (exit 2)", async () => {
    const run = await runPiped(["get", "catalog-thing-bulk-create", "X"], env)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toContain(
      'unknown job type "catalog-thing-bulk-create": expected one of catalog-item-bulk-create, catalog-item-bulk-update',
    )
  })
})

describe("watch with a job type", () => {
  it("follows a variant update job to its end and exits 1 for its failed record", async () => {
    server.script(
      answer(jobDocument("catalog-variant-bulk-update-job", "V2", "processing", "catalog-variant")),
      answer(jobDocument("catalog-variant-bulk-update-job", "V2", "complete", "catalog-variant")),
    )
    const before = server.requests.length
    const run = await runPiped(["watch", "catalog-variant-bulk-update", "V2"], env)
    expect(run.code).toBe(1)
    expect(server.requests.slice(before).map((request) => request.url.pathname)).toEqual([
      "/api/catalog-variant-bulk-update-jobs/V2",
      "/api/catalog-variant-bulk-update-jobs/V2",
    ])
    const lines = run.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(
      /^\S+Z {2}processing {3}50% {2}1\/2 processed \(1 completed, 0 failed\) {2}measuring rate {2}time left unknown$/,
    )
    expect(lines[1]).toMatch(/^\S+Z {2}complete {4}100% {2}2\/2 processed \(1 completed, 1 failed\)$/)
    expect(lines.slice(2)).toEqual([
      "Job V2 complete 2s after its creation: 1 of 2 completed, 1 failed.",
      "Errors (1):",
      "  - B: The record B could not be processed. (at /data/attributes/records/1)",
    ])
  })
})

describe("list", () => {
  const page = (ids: ReadonlyArray<string>, next?: string) =>
    answer({
      data: ids.map((id) => ({
        type: "catalog-item-bulk-create-job",
        id,
        attributes: {
          status: "processing",
          created_at: "2026-11-27T14:00:00+00:00",
          total_count: 100,
          completed_count: 40,
          failed_count: 2,
        },
      })),
      links: {
        self: `${server.url}/api/catalog-item-bulk-create-jobs`,
        ...(next === undefined ? {} : { next }),
      },
    })

  it("prints every job of a type over every page, filtered by status", async () => {
    server.script(
      page(["J1", "J2"], `${server.url}/api/catalog-item-bulk-create-jobs?page%5Bcursor%5D=abc`),
      page(["J3"]),
    )
    const before = server.requests.length
    const run = await runPiped(["list", "catalog-item-bulk-create", "--status", "processing"], env)
    expect(run.code).toBe(0)
    expect(server.requests.slice(before).map((request) => request.target)).toEqual([
      "/api/catalog-item-bulk-create-jobs?filter=equals(status,%27processing%27)",
      "/api/catalog-item-bulk-create-jobs?filter=equals(status,%27processing%27)&page[cursor]=abc",
    ])
    const row = (id: string) =>
      `${id.padEnd(26)}  processing  40/100 done, 2 failed   2026-11-27 14:00:00 UTC`
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "ID                          STATUS      PROGRESS                CREATED",
      row("J1"),
      row("J2"),
      row("J3"),
    ])
  })

  it("--json prints one JSON object per job and line", async () => {
    server.script(page(["J4", "J5"]))
    const run = await runPiped(["list", "catalog-item-bulk-create", "--json"], env)
    expect(run.code).toBe(0)
    expect(server.requests.at(-1)!.target).toBe("/api/catalog-item-bulk-create-jobs")
    expect(run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line))).toEqual(
      ["J4", "J5"].map((id) => ({
        type: "catalog-item-bulk-create-job",
        id,
        status: "processing",
        created_at: "2026-11-27T14:00:00.000Z",
        total_count: 100,
        completed_count: 40,
        failed_count: 2,
      })),
    )
  })

  it("refuses a status Klaviyo does not have (exit 2, nothing sent)", async () => {
    const before = server.requests.length
    const run = await runPiped(["list", "catalog-item-bulk-create", "--status", "running"], env)
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(server.requests.length).toBe(before)
  })
})
