// E1: a workflow of activities on WorkflowEngine.layerMemory: runs, replays, overhead per activity.
import { Effect, Layer, Schema } from "effect"
import { Activity, Workflow, WorkflowEngine } from "effect/workflow"

const runs = new Map()
const W = Workflow.make("BulkWriteProbe", {
  payload: { id: Schema.String, n: Schema.Number },
  success: Schema.Number,
  idempotencyKey: (p) => p.id,
})
const layer = W.toLayer(Effect.fn(function* (p) {
  let sum = 0
  for (let i = 0; i < p.n; i++) {
    sum += yield* Activity.make({
      name: `post-${i}`,
      success: Schema.Number,
      execute: Effect.sync(() => { runs.set(`${p.id}/${i}`, (runs.get(`${p.id}/${i}`) ?? 0) + 1); return i }),
    })
  }
  return sum
})).pipe(Layer.provideMerge(WorkflowEngine.layerMemory))

const program = Effect.gen(function* () {
  // 3 activities, then the same id again: completed activities are not run again.
  const a = yield* W.execute({ id: "three", n: 3 })
  const b = yield* W.execute({ id: "three", n: 3 })
  console.log("3 activities:", a, "again:", b, "runs:", [...runs].filter(([k]) => k.startsWith("three")))
  for (const n of [1000, 5000]) {
    const t0 = performance.now()
    yield* W.execute({ id: `bench-${n}`, n })
    const t1 = performance.now()
    const base0 = performance.now()
    let s = 0
    for (let i = 0; i < n; i++) s += yield* Effect.sync(() => i)
    const base1 = performance.now()
    console.log(`n=${n}: ${((t1 - t0) / n * 1000).toFixed(1)} µs per activity (plain Effect.sync: ${((base1 - base0) / n * 1000).toFixed(2)} µs)`)
  }
})
await Effect.runPromise(program.pipe(Effect.provide(layer)))
