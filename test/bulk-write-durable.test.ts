/**
 * Crash safety of `bulkWrite` on the durable engine over a SQLite file: a child process runs the
 * write against the simulator behind a real server, is killed with SIGKILL at a chosen moment,
 * and the same write (same id, same records) is started again in a new process. Counted at the
 * server: every record posted exactly once, every job created once; and one outcome per record.
 * The same for a write whose records fail partway: the failure is not stored as its result.
 */
import { execFileSync, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { jobCounts, postedExternalIds, startServer, type TestServer } from "./support/server.ts"

/** Node's own binary by its path (Deno runs a command named just `node` itself). */
const node = execFileSync("sh", ["-c", "command -v node"], { encoding: "utf8" }).trim()
const worker = new URL("./support/durable-worker.ts", import.meta.url).pathname
const JOB = "catalog-category-bulk-create-job"
const COLLECTION = "/api/catalog-category-bulk-create-jobs"
/** A killed process's shards are taken over after this (the default is 35 s). */
const sharding = JSON.stringify({
  shardLockExpiration: "3 seconds",
  shardLockRefreshInterval: "1 second",
  refreshAssignmentsInterval: "500 millis",
})

interface Run {
  readonly killed: boolean
  /** The exit code of a worker that was not killed. */
  readonly code: number | null
  /** What a worker whose write failed printed: the error's tag and message. */
  readonly error: { readonly tag: string | undefined; readonly message: string } | undefined
  readonly lines: ReadonlyArray<string>
  readonly report: {
    readonly records: number
    readonly succeeded: number
    readonly jobs: number
    readonly failed: ReadonlyArray<readonly [number, string, string]>
    readonly unknown: ReadonlyArray<readonly [number, string, string]>
    readonly outcomes: number
  } | undefined
}

/**
 * Runs the worker; SIGKILLs it as soon as `killWhen` holds (checked on each line and every 10 ms).
 * With `failAt`, its records throw after that many, and it exits 2.
 */
const run = (
  server: TestServer,
  file: string,
  id: string,
  count: number,
  maxInFlight: number,
  killWhen?: (lines: ReadonlyArray<string>) => boolean,
  groupJobs?: number,
  failAt?: number,
): Promise<Run> =>
  new Promise((resolve, reject) => {
    // Node itself, with tsx as a loader: the pid killed is the process running the write (the
    // `tsx` binary would run it in a child of its own, which a SIGKILL of the parent leaves alive).
    const child = spawn(node, [
      "--import",
      "tsx",
      worker,
      server.url,
      file,
      id,
      String(count),
      String(maxInFlight),
    ], {
      env: {
        ...process.env,
        // A write whose records fail stops as on Ctrl-C: the engine waits up to
        // `entityTerminationTimeout` (15 s by default) for what is running; 1 s, as the CLI.
        SHARDING: failAt === undefined ? sharding : JSON.stringify({
          ...JSON.parse(sharding),
          entityTerminationTimeout: "1 second",
        }),
        ...(groupJobs === undefined ? {} : { GROUP_JOBS: String(groupJobs) }),
        ...(failAt === undefined ? {} : { FAIL_AT: String(failAt) }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    })
    const lines: Array<string> = []
    let killed = false
    let stderr = ""
    const check = () => {
      if (!killed && killWhen?.(lines) === true) {
        killed = true
        child.kill("SIGKILL")
      }
    }
    const timer = setInterval(check, 10)
    let rest = ""
    child.stdout.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n")
      rest = parts.pop() ?? ""
      lines.push(...parts)
      check()
    })
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("error", reject)
    child.on("exit", (code, signal) => {
      clearInterval(timer)
      if (killed && signal !== "SIGKILL") {
        return reject(new Error(`the killed worker exited ${code ?? signal}`))
      }
      if (!killed && code !== (failAt === undefined ? 0 : 2)) {
        return reject(new Error(`worker exited ${code ?? signal}: ${stderr}`))
      }
      const last = lines.filter((line) => line.startsWith("{")).at(-1)
      const printed = last === undefined ? undefined : JSON.parse(last)
      const error = printed?.error
      resolve({ killed, code, lines, error, report: error === undefined ? printed : undefined })
    })
  })

const ids = (count: number) => Array.from({ length: count }, (_, i) => `D-${String(i).padStart(4, "0")}`)

const posted = postedExternalIds
const stats = (server: TestServer) => jobCounts(server, JOB)

let dir: string | undefined
let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})
const setup = async (perSecond: number) => {
  dir = mkdtempSync(join(tmpdir(), "bulk-write-durable-"))
  server = await startServer({
    jobs: [],
    processing: { queuedMillis: 100, perSecond },
    failRecords: (record) =>
      String(record["external_id"]).endsWith("7")
        ? `The category ${String(record["external_id"])} is not allowed.`
        : undefined,
  })
  return { server, file: join(dir, "writes.sqlite") }
}

const expectFinished = (report: Run["report"], count: number) => {
  const failing = ids(count).filter((id) => id.endsWith("7"))
  expect(report).toBeDefined()
  expect([report!.records, report!.succeeded, report!.failed.length, report!.unknown.length, report!.jobs])
    .toEqual([
      count,
      count - failing.length,
      failing.length,
      0,
      Math.ceil(count / 100),
    ])
  expect(report!.failed.map((f) => f[1])).toEqual(failing)
  expect(report!.failed[0]![2]).toBe(`The category ${failing[0]} is not allowed.`)
}

describe("bulkWrite on the SQLite file engine, killed with SIGKILL and started again", () => {
  it("(a) after some jobs completed: the completed jobs are not posted again", async () => {
    const { file, server } = await setup(1_000)
    const first = await run(server, file, "crash-a", 700, 2, (lines) => lines.includes("outcomes 200"))
    expect(first.killed).toBe(true)
    const before = stats(server)
    expect(before.jobsCreated).toBeGreaterThanOrEqual(2)
    expect(before.jobsCreated).toBeLessThan(7)
    const second = await run(server, file, "crash-a", 700, 2)
    expect(second.killed).toBe(false)
    expectFinished(second.report, 700)
    expect(stats(server)).toEqual({ posts: 7, jobsCreated: 7 })
    expect(posted(server)).toEqual(ids(700))
    // Started a third time, the finished write answers from storage: nothing is sent.
    const requests = server.requests.length
    const third = await run(server, file, "crash-a", 700, 2)
    expectFinished(third.report, 700)
    expect(third.report!.outcomes).toBe(0)
    expect(server.requests.length).toBe(requests)
  }, 120_000)

  it("(b) after a POST was sent but before its answer was stored: the job is found and adopted", async () => {
    const { file, server } = await setup(1_000)
    // The write's check of the key (no jobs yet), then the first POST: it creates its job in the
    // model, and its answer never leaves the server.
    server.script({
      status: 200,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({ data: [], links: { self: `${server.url}${COLLECTION}` } }),
    }, {
      raw: (req, _res) => {
        const recorded = server.requests.at(-1)!
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8")
          Object.assign(recorded, { body })
          server.model.handle({
            method: "POST",
            url: new URL(req.url ?? "/", server.url).href,
            headers: Object.fromEntries(
              Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]),
            ),
            body,
          })
        })
      },
    })
    const first = await run(server, file, "crash-b", 500, 2, () => stats(server).jobsCreated >= 1)
    expect(first.killed).toBe(true)
    const lost = stats(server)
    expect(lost.posts).toBeGreaterThanOrEqual(1)
    const second = await run(server, file, "crash-b", 500, 2)
    expectFinished(second.report, 500)
    // Five jobs in all: the job whose answer was lost was adopted, not posted again.
    expect(stats(server)).toEqual({ posts: 5, jobsCreated: 5 })
    expect(posted(server)).toEqual(ids(500))
    const lists = server.requests.filter((r) => r.method === "GET" && r.url.pathname === COLLECTION)
    expect(lists.length).toBeGreaterThanOrEqual(1)
    expect(lists[0]!.url.searchParams.get(`fields[${JOB}]`)).toBe("created_at")
  }, 120_000)

  it(
    "(d) across groups of 2 jobs, after two groups finished: their outcomes told again, nothing posted again",
    async () => {
      const { file, server } = await setup(1_000)
      const first = await run(server, file, "crash-d", 700, 2, (lines) => lines.includes("outcomes 500"), 2)
      expect(first.killed).toBe(true)
      expect(stats(server).jobsCreated).toBeGreaterThanOrEqual(5)
      const second = await run(server, file, "crash-d", 700, 2, undefined, 2)
      expectFinished(second.report, 700)
      // Every record's outcome, those of the groups read from storage included, on the new run.
      expect(second.report!.outcomes).toBe(700)
      expect(stats(server)).toEqual({ posts: 7, jobsCreated: 7 })
      expect(posted(server)).toEqual(ids(700))
    },
    120_000,
  )

  it("(c) during polling: every job posted once, the watch resumes", async () => {
    const { file, server } = await setup(40)
    const first = await run(server, file, "crash-c", 300, 3, () => {
      if (stats(server).jobsCreated < 3) return false
      const methods = server.requests.map((r) => r.method)
      const lastPost = methods.lastIndexOf("POST")
      return server.requests.slice(lastPost + 1).some((r) =>
        r.method === "GET" && r.url.pathname.startsWith(`${COLLECTION}/`)
      )
    })
    expect(first.killed).toBe(true)
    expect(first.lines).not.toContain("outcomes 100")
    expect(stats(server)).toEqual({ posts: 3, jobsCreated: 3 })
    const second = await run(server, file, "crash-c", 300, 3)
    expectFinished(second.report, 300)
    expect(stats(server)).toEqual({ posts: 3, jobsCreated: 3 })
    expect(posted(server)).toEqual(ids(300))
  }, 120_000)
})

describe("bulkWrite on the SQLite file engine, its records failing partway", () => {
  it(
    "fails with the records' error and stores no result: the same write started again finishes, every record posted once",
    async () => {
      const { file, server } = await setup(1_000)
      const first = await run(server, file, "source-fail", 700, 2, undefined, undefined, 450)
      expect([first.killed, first.code, first.error]).toEqual([false, 2, {
        tag: "InvalidRequest",
        message: "Invalid records: reading the records failed: Error: the records ended at 450",
      }])
      // The 50 records read after the 4th job's: never posted. The 4th job was handed to its group
      // (its permit taken) before the records failed: posted or not, as the run stopped.
      const before = stats(server)
      expect(before.posts).toBeGreaterThanOrEqual(3)
      expect(before.posts).toBeLessThanOrEqual(4)
      expect(before.jobsCreated).toBe(before.posts)
      expect(posted(server)).toEqual(ids(before.posts * 100))
      const second = await run(server, file, "source-fail", 700, 2)
      expectFinished(second.report, 700)
      expect(second.report!.outcomes).toBe(700)
      expect(stats(server)).toEqual({ posts: 7, jobsCreated: 7 })
      expect(posted(server)).toEqual(ids(700))
    },
    120_000,
  )
})
