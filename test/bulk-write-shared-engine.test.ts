/**
 * A write whose records fail partway, then the same write started again in the same process: on
 * the caller's own `WorkflowEngine.layerMemory`, provided once for both runs, and on the durable
 * engine over a SQLite file, provided to each run: it resumes and finishes. Counted at the
 * server: every record posted once, one job per 100 records; one outcome per record.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import { afterAll, describe, expect, it } from "vitest"
import { layerSqliteFile } from "../cli/sqlite.ts"
import {
  bulkWrite,
  BulkWriteEngine,
  type CatalogCategoryCreateRecord,
  KlaviyoClient,
  SIMULATED_API_KEY,
} from "../mod.ts"
import { jobCounts, postedExternalIds, type TestServer, useServer } from "./support/server.ts"

const JOB = "catalog-category-bulk-create-job"
const kind = { resource: "catalog-category", operation: "create" } as const
let server: TestServer
useServer((s) => (server = s), { jobs: [], processing: { queuedMillis: 0, perSecond: 2000 } })
const dir = mkdtempSync(join(tmpdir(), "shared-engine-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * Writes 300 records with the id `id` twice on `engine`: first records that fail once the
 * server has received two POSTs, then all 300. Returns the first run's error, the second's
 * report and what the server received.
 */
const twice = async (
  prefix: string,
  engine: Layer.Layer<WorkflowEngine.WorkflowEngine>,
  provided: "once for both" | "to each write",
) => {
  const perWrite = <A, E, R>(write: Effect.Effect<A, E, R>) =>
    provided === "to each write" ? Effect.provide(write, engine) : write
  const category = (i: number): CatalogCategoryCreateRecord => ({
    external_id: `${prefix}-${String(i).padStart(3, "0")}`,
    name: `Category ${i}`,
  })
  const all = Array.from({ length: 300 }, (_, i) => category(i))
  const before = jobCounts(server, JOB)
  const posts = () => jobCounts(server, JOB).posts - before.posts
  const failing = Stream.concat(
    Stream.fromIterable(all.slice(0, 200)),
    Stream.fromEffect(Effect.gen(function* () {
      while (posts() < 2) yield* Effect.sleep("5 millis")
      return yield* Effect.fail("disk gone" as const)
    })),
  )
  const options = { id: `${prefix}-write`, pollInterval: "5 millis" } as const
  const [error, report] = await Effect.gen(function* () {
    const error = yield* Effect.flip(bulkWrite(kind, failing, options).pipe(perWrite))
    const report = yield* bulkWrite(kind, all, options).pipe(perWrite, Effect.timeout("20 seconds"))
    return [error, report] as const
  }).pipe(
    Effect.provide(provided === "once for both" ? engine : Layer.empty),
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: server.url, rateLimit: false })),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )
  const after = jobCounts(server, JOB)
  const posted = postedExternalIds(server).filter((id) => id.startsWith(`${prefix}-`))
  return {
    error,
    report: [report.records, report.succeeded, report.failed.length, report.unknown.length, report.jobs],
    server: [after.posts - before.posts, after.jobsCreated - before.jobsCreated],
    postedOnce: posted.length === new Set(posted).size ? posted.length : `${posted.length} with repeats`,
  }
}

describe("bulkWrite started again on the caller's engine after its records failed", () => {
  it("resumes on the caller's WorkflowEngine.layerMemory", async () => {
    expect(await twice("MEM", WorkflowEngine.layerMemory, "once for both")).toEqual({
      error: "disk gone",
      report: [300, 300, 0, 0, 3],
      server: [3, 3],
      postedOnce: 300,
    })
  }, 30_000)

  // The durable engine is provided to each write (a new engine on the same file, as a restarted
  // process has): on one engine for both, effect/cluster 4.1 answers the second run of the
  // interrupted execution with the first's interruption (see src/bulk-write/DURABILITY.md).
  it("resumes on a new durable engine over the same SQLite file, in the same process", async () => {
    const engine = BulkWriteEngine.layerSql({
      pollInterval: "100 millis",
      shardingConfig: { entityTerminationTimeout: "1 second" },
    }).pipe(Layer.provide(layerSqliteFile({ filename: join(dir, "state.sqlite") })), Layer.orDie)
    expect(await twice("SQL", engine, "to each write")).toEqual({
      error: "disk gone",
      report: [300, 300, 0, 0, 3],
      server: [3, 3],
      postedOnce: 300,
    })
  }, 40_000)
})
