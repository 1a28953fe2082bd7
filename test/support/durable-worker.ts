/**
 * One process of a crash test: runs a bulk write of `count` generated categories (`D-0000`,
 * `D-0001`, ...; the same records on every run) on the durable engine over a SQLite file, against
 * a server. Prints `outcomes <n>` every 100 outcomes, then one JSON line with the report.
 *
 * Usage: tsx durable-worker.ts <server url> <sqlite file> <write id> <count> <maxInFlight>
 * (GROUP_JOBS in the environment: the jobs of a group of the write, 100 by default; FAIL_AT: the
 * records throw after yielding that many, and the worker prints `{"error":...}` and exits 2)
 */
import { Cause, Effect, Exit, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { layerSqliteFile } from "../../cli/sqlite.ts"
import { bulkWrite, BulkWriteEngine, KlaviyoClient, SIMULATED_API_KEY } from "../../mod.ts"
import { groups } from "../../src/bulk-write/group.ts"

const [serverUrl, filename, id, countText, maxInFlightText] = process.argv.slice(2)
const count = Number(countText)
// Jobs a group of the write (100 by default): fewer, to cross groups with few records.
if (process.env.GROUP_JOBS !== undefined) groups.jobs = Number(process.env.GROUP_JOBS)
const failAt = process.env.FAIL_AT === undefined ? undefined : Number(process.env.FAIL_AT)

function* records() {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error(`the records ended at ${i}`)
    yield { external_id: `D-${String(i).padStart(4, "0")}`, name: `Category ${i}` }
  }
}

let outcomes = 0
const program = bulkWrite({ resource: "catalog-category", operation: "create" }, records(), {
  id: id!,
  maxInFlight: Number(maxInFlightText),
  pollInterval: "100 millis",
  onOutcome: () => {
    outcomes++
    if (outcomes % 100 === 0) console.log(`outcomes ${outcomes}`)
  },
}).pipe(
  Effect.provide(BulkWriteEngine.layerSql({
    pollInterval: "200 millis",
    shardingConfig: JSON.parse(process.env.SHARDING ?? "{}"),
  })),
  Effect.provide(layerSqliteFile({ filename: filename! })),
  Effect.provide(
    KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: serverUrl!, rateLimit: false }).pipe(
      Layer.provide(FetchHttpClient.layer),
    ),
  ),
)

const exit = await Effect.runPromiseExit(program)
if (Exit.isFailure(exit)) {
  const error = Cause.squash(exit.cause)
  const tag = typeof error === "object" && error !== null && "_tag" in error ? error._tag : undefined
  console.log(
    JSON.stringify({ error: { tag, message: error instanceof Error ? error.message : String(error) } }),
  )
  process.exit(2)
}
const report = exit.value
console.log(JSON.stringify({
  records: report.records,
  succeeded: report.succeeded,
  jobs: report.jobs,
  failed: report.failed.map((f) => [f.index, f.key, f.reason]),
  unknown: report.unknown.map((u) => [u.index, u.key, u.reason]),
  outcomes,
}))
process.exit(0)
