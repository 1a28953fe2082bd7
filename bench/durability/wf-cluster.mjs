// E2/E3: the same workflow on effect/cluster's engine (SingleRunner, SqlMessageStorage) over a SQL client.
// usage: node wf-cluster.mjs <sql: pg|sqlite-wasm> <id> <n> <pauseBetweenMs> <insideMs> <log file>
import { appendFileSync } from "node:fs"
import { Effect, Layer, Schema } from "effect"
import { Activity, DurableClock, Workflow } from "effect/workflow"
import { ClusterWorkflowEngine, SingleRunner } from "effect/cluster"
import * as Digest from "effect/crypto/Digest"

const [sqlKind, id, n, pauseMs, insideMs, logFile] = process.argv.slice(2)
const log = (line) => appendFileSync(logFile, `${line} pid=${process.pid} t=${Date.now()}\n`)

const sqlLayer = async () => {
  if (sqlKind === "pg") {
    const { PgClient } = await import("@effect/sql-pg")
    return PgClient.layer({ host: "127.0.0.1", port: 55432, username: "bw", database: "bw" })
  }
  const { layer } = await import("./sqlite-wasm-client.mjs")
  return layer({ filename: process.env.SQLITE_FILE ?? "/work/scratch-bw/exp/wf.sqlite" })
}

const W = Workflow.make("BulkWriteProbe", {
  payload: { id: Schema.String, n: Schema.Number },
  success: Schema.Number,
  idempotencyKey: (p) => p.id,
})
const workflowLayer = W.toLayer(Effect.fn(function* (p) {
  let sum = 0
  if (process.env.CLOCK) log(`body ${p.id}`)
  for (let i = 0; i < p.n; i++) {
    sum += yield* Activity.make({
      name: `post-${i}`,
      success: Schema.Number,
      execute: Effect.gen(function* () {
        if (Number(insideMs) > 0) log(`start ${p.id} ${i}`)
        if (Number(insideMs) > 0) yield* Effect.sleep(Number(insideMs))
        if (process.env.QUIET !== "1") log(`ran ${p.id} ${i}`)
        return i
      }),
    })
    if (Number(pauseMs) > 0) yield* Effect.sleep(Number(pauseMs))
    if (process.env.CLOCK && (process.env.CLOCK_AT === undefined || Number(process.env.CLOCK_AT) === i)) {
      log(`clock ${p.id} ${i}`)
      yield* DurableClock.sleep({ name: `wait-${i}`, duration: Number(process.env.CLOCK), inMemoryThreshold: 0 })
      log(`woke ${p.id} ${i}`)
    }
  }
  return sum
}))

const main = Effect.gen(function* () {
  const t0 = performance.now()
  const result = yield* W.execute({ id, n: Number(n) })
  const t1 = performance.now()
  log(`result ${id} ${result} ms=${(t1 - t0).toFixed(1)}`)
  console.log(JSON.stringify({ id, result, ms: t1 - t0, perActivityMs: (t1 - t0) / Number(n) }))
})

const t = performance.now()
const layer = workflowLayer.pipe(
  Layer.provideMerge(ClusterWorkflowEngine.layer),
  Layer.provideMerge(SingleRunner.layer({ runnerStorage: process.env.RUNNER_STORAGE ?? "memory" })),
  Layer.provide(await sqlLayer()),
  Layer.provide(Digest.layerWebCrypto),
)
await Effect.runPromise(Effect.scoped(Effect.gen(function* () {
  const ctx = yield* Layer.build(layer)
  log(`ready ms=${(performance.now() - t).toFixed(0)}`)
  yield* Effect.provideContext(main, ctx)
})))
process.exit(0)
