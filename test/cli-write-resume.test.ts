/**
 * `write` resumed by running the same command again, against a real local server (the
 * simulator's model behind HTTP, jobs processed slowly): (a) piped, the CLI killed with SIGKILL
 * after its first POSTs; (b) in a terminal under tmux, stopped with Ctrl-C. Counted at the
 * server: every record posted exactly once; and one outcome per record in the report.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, afterEach, describe, expect, it } from "vitest"
import { cleanupCli, runInTerminal, runPiped, startPiped } from "./support/pty.ts"
import { jobCounts, postedExternalIds, startServer, type TestServer } from "./support/server.ts"

const JOB = "catalog-category-bulk-create-job"
const dir = mkdtempSync(join(tmpdir(), "cli-write-resume-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterAll(cleanupCli)

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const key = (i: number) => `R-${String(i).padStart(4, "0")}`
const keys = (count: number) => Array.from({ length: count }, (_, i) => key(i))
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** A records file of `count` category creates, and a server that processes 100 records a job slowly. */
const setup = async (name: string, count: number, perSecond: number) => {
  server = await startServer({ jobs: [], processing: { queuedMillis: 100, perSecond } })
  const records = join(dir, `${name}.jsonl`)
  writeFileSync(
    records,
    keys(count).map((k) => `${JSON.stringify({ external_id: k, name: `Category ${k}` })}\n`).join(""),
  )
  const env = { KLAVIYO_API_KEY: "pk_simulated_key", KLAVIYO_BASE_URL: server.url }
  return { server, records, env, state: `${records}.write-state.sqlite` }
}

const posted = postedExternalIds
const stats = (server: TestServer) => jobCounts(server, JOB)

const until = async (what: () => boolean, timeoutMillis: number): Promise<void> => {
  const deadline = Date.now() + timeoutMillis
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMillis} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const ID = "cli-catalog-category-create-[0-9a-f]{24}"
const notice = (url: string) => `Asking Klaviyo at ${url} (KLAVIYO_API_KEY is set).`
const writeLine = (records: string, count: number, state: string) =>
  new RegExp(`^Write ${ID}: ${count} records from ${escape(records)} \\(state in ${escape(state)}\\)\\.$`)
const finished = (state: string) =>
  new RegExp(
    `^Write ${ID} finished; its report is kept in ${
      escape(state)
    } \\(the same command shows it again, sending nothing\\)\\.$`,
  )

describe("write resumed by the same command", () => {
  it(
    "(a) piped, killed with SIGKILL after its first POSTs: the same command posts the rest once, exit 0",
    async () => {
      const { server, records, env, state } = await setup("killed", 400, 100)
      const report = join(dir, "killed-report.jsonl")
      const args = [
        "write",
        "category",
        "create",
        "--file",
        records,
        "--report",
        report,
        "--max-in-flight",
        "2",
      ]
      const first = await startPiped(args, env, 60_000)
      await until(() => stats(server).posts >= 2, 30_000)
      first.kill("SIGKILL")
      const killed = await first.done
      expect(killed.signal).toBe("SIGKILL")
      const before = stats(server)
      expect(before.posts).toBeGreaterThanOrEqual(2)
      expect(before.posts).toBeLessThan(4)

      const again = await runPiped(args, env, 60_000)
      expect(again.code).toBe(0)
      // Nothing but the program's own lines on stderr (no log line of effect/cluster's).
      expect(again.stderr.trimEnd().split("\n")).toEqual([
        notice(server.url),
        expect.stringMatching(writeLine(records, 400, state)),
      ])
      expect(again.stdout.trimEnd().split("\n").slice(-3)).toEqual([
        "Wrote catalog-category create: 400 records in 4 jobs, 400 succeeded, 0 failed, 0 unknown.",
        `Report: ${report} (400 outcomes)`,
        expect.stringMatching(finished(state)),
      ])
      expect(stats(server)).toEqual({ posts: 4, jobsCreated: 4 })
      expect(posted(server)).toEqual(keys(400))
      const outcomes = readFileSync(report, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line))
      expect(outcomes.map((o) => [o.index, o.line, o.outcome, o.key])).toEqual(
        keys(400).map((k, i) => [i, i + 1, "succeeded", k]),
      )

      // Run a third time, the finished write answers from its state file: nothing is sent.
      const requests = server.requests.length
      const kept = readFileSync(report, "utf8")
      const third = await runPiped(args, env, 60_000)
      expect(third.code).toBe(0)
      expect(server.requests.length).toBe(requests)
      expect(third.stdout.trimEnd().split("\n").slice(-2)).toEqual([
        "Wrote catalog-category create: 400 records in 4 jobs, 400 succeeded, 0 failed, 0 unknown.",
        expect.stringMatching(
          new RegExp(
            `^Write ${ID} had finished before: this is its stored report, nothing was sent \\(${
              escape(state)
            }; delete it to write the records again\\)\\.$`,
          ),
        ),
      ])
      expect(third.stderr.trimEnd().split("\n").slice(2)).toEqual([
        `The report file ${report} was left as the run that finished the write wrote it (the stored report lists only the records not written).`,
      ])
      expect(readFileSync(report, "utf8")).toBe(kept)
    },
    180_000,
  )

  it(
    "(b) in a terminal, stopped with Ctrl-C: the resume hint and 130, then the same command ends it, exit 0",
    async () => {
      const { server, records, env, state } = await setup("stopped", 300, 150)
      const args = ["write", "category", "create", "--file", records, "--max-in-flight", "1"]
      const terminal = { columns: 250, rows: 40, timeoutMillis: 60_000 }
      const stopped = await runInTerminal(args, env, {
        ...terminal,
        interruptWhen: (screen) => stats(server).posts >= 1 && /1 job in flight/.test(screen),
      })
      expect(stopped.code).toBe(130)
      expect(stopped.final).toMatch(
        new RegExp(`\\nStopped write ${ID} before its end\\. Run the same command again to resume it\\.\\n`),
      )
      expect(stopped.final).not.toContain("Wrote catalog-category create")
      expect(stopped.cursorVisible).toBe(true)
      const before = stats(server).posts
      expect(before).toBeGreaterThanOrEqual(1)
      expect(before).toBeLessThan(3)

      const resumed = await runInTerminal(args, env, terminal)
      expect(resumed.code).toBe(0)
      const lines = resumed.final.split("\n")
      expect(lines.slice(0, 2)).toEqual([
        notice(server.url),
        expect.stringMatching(writeLine(records, 300, state)),
      ])
      const summary = lines.indexOf(
        "Wrote catalog-category create: 300 records in 3 jobs, 300 succeeded, 0 failed, 0 unknown.",
      )
      expect(summary).toBeGreaterThan(2)
      expect(lines[summary + 1]).toMatch(finished(state))
      expect(lines[summary + 2]).toBe("[exit 0]")
      // No log line of effect/cluster's ever reached the screen.
      expect(
        [...stopped.screens, ...resumed.screens].filter((screen) => /level=|healthy runners/.test(screen)),
      )
        .toEqual([])
      expect(stats(server)).toEqual({ posts: 3, jobsCreated: 3 })
      expect(posted(server)).toEqual(keys(300))
      // Once more, right after: the stored report, with no request sent.
      const requests = server.requests.length
      const stored = await runPiped(args, env, 60_000)
      expect([stored.code, server.requests.length]).toEqual([0, requests])
      expect(stored.stdout).toContain(" had finished before: this is its stored report, nothing was sent (")
    },
    180_000,
  )
})

describe("write of a changed records file", () => {
  it(
    "(c) is a new write, said so on stderr: the unfinished write is not resumed, its records are posted again",
    async () => {
      const { server, records, env, state } = await setup("changed", 300, 100)
      const args = ["write", "category", "create", "--file", records, "--max-in-flight", "1"]
      const first = await startPiped(args, env, 60_000)
      await until(() => stats(server).posts >= 1, 30_000)
      first.kill("SIGKILL")
      expect((await first.done).signal).toBe("SIGKILL")
      const before = posted(server)
      expect(before.length).toBeGreaterThanOrEqual(100)
      const firstId = /^Write (\S+):/m.exec((await first.done).stderr)?.[1]
      expect(firstId).toMatch(new RegExp(`^${ID}$`))
      writeFileSync(records, `${JSON.stringify({ external_id: "R-NEW", name: "New" })}\n`, { flag: "a" })

      const changed = await runPiped(args, env, 60_000)
      const lines = changed.stderr.trimEnd().split("\n")
      expect(lines).toEqual([
        notice(server.url),
        expect.stringMatching(writeLine(records, 301, state)),
        `This is a new write: ${state} holds the unfinished write ${firstId} of ${records} as it was then, which this write does not resume (the records it posted are posted again).`,
      ])
      expect(lines[1]).not.toContain(firstId)
      // The records the first write had posted already exist: posted again, they fail.
      expect(changed.code).toBe(1)
      expect(changed.stdout).toContain(
        `Wrote catalog-category create: 301 records in 4 jobs, ${
          301 - before.length
        } succeeded, ${before.length} failed, 0 unknown.`,
      )
      expect(posted(server)).toEqual([...before, ...keys(300), "R-NEW"].sort())
    },
    180_000,
  )
})
