/**
 * `npx tsx bench/transport.ts [-- --baseline /path/to/other/checkout --rounds 3 --calls 10000]`
 *
 * The CPU time one call costs in this library with no network: `getCatalogCategoryBulkUpdateJob`
 * over an in-process `HttpClient.make` that answers a small job document at once, 32 calls at a
 * time, with client-side limiting off and on (a budget too large to wait). What it measures is
 * the transport, the pipeline and the decode of a small job, not the network: it is steadier than
 * the wall-clock overhead bench on a busy machine (CPU time per call, not requests per second).
 *
 * With `--baseline`, the same measurement runs for the other checkout (its `mod.ts`) too, in
 * child processes that alternate with this one's; the table gives each one's median and the
 * ratio. Nothing is written.
 */
import { execFileSync } from "node:child_process"
import { Effect, Layer, ManagedRuntime } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { arg, median } from "./support/stats.ts"

const childIndex = process.argv.indexOf("--child")

/** Measures one tree in this process: CPU microseconds per call, one figure per round. */
const measure = async (root: string, limited: boolean, calls: number): Promise<ReadonlyArray<number>> => {
  const mod = await import(`${root}/mod.ts`)
  const id = "01GSQPBF74KQ5YTDEPP41T1BZH"
  const bytes = new TextEncoder().encode(JSON.stringify({
    data: {
      type: "catalog-category-bulk-update-job",
      id,
      attributes: { status: "complete", created_at: "2026-11-27T14:00:00+00:00", total_count: 1 },
      links: { self: "https://a.klaviyo.com/x" },
    },
  }))
  const headers = { "content-type": "application/vnd.api+json", "content-length": String(bytes.byteLength) }
  const http = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request) =>
      Effect.succeed(HttpClientResponse.fromWeb(request, new Response(bytes, { status: 200, headers })))
    ),
  )
  const huge = { limit: 100_000, window: "1 second" }
  const runtime = ManagedRuntime.make(
    mod.KlaviyoClient.layer({
      apiKey: "pk_bench_0123456789",
      rateLimit: limited ? { burst: huge, steady: { ...huge, window: "1 minute" } } : false,
    }).pipe(Layer.provide(http)),
  )
  const call: Effect.Effect<unknown, unknown> = mod.getCatalogCategoryBulkUpdateJob(id)
  const round = (n: number) =>
    runtime.runPromise(Effect.suspend(() => {
      let started = 0
      const worker = Effect.whileLoop({
        while: () => started < n,
        body: () => Effect.suspend(() => (started++, call)),
        step: () => undefined,
      })
      return Effect.all(Array.from({ length: 32 }, () => worker), { concurrency: "unbounded", discard: true })
    }))
  await round(calls / 2)
  const perCall: Array<number> = []
  for (let i = 0; i < 5; i++) {
    const cpu = process.cpuUsage()
    await round(calls)
    const used = process.cpuUsage(cpu)
    perCall.push((used.user + used.system) / calls)
  }
  await runtime.dispose()
  return perCall
}

if (childIndex !== -1) {
  const [root, mode, calls] = process.argv.slice(childIndex + 1)
  console.log(JSON.stringify(await measure(root!, mode === "limited", Number(calls))))
} else {
  const here = new URL("..", import.meta.url).pathname.replace(/\/$/, "")
  const baselineIndex = process.argv.indexOf("--baseline")
  const trees = baselineIndex === -1 ? [here] : [process.argv[baselineIndex + 1]!, here]
  const rounds = arg("rounds", 3)
  const calls = arg("calls", 10_000)
  const tsx = new URL("../node_modules/.bin/tsx", import.meta.url).pathname
  const figures = new Map<string, Array<number>>()
  for (let round = 0; round < rounds; round++) {
    for (const mode of ["off", "limited"]) {
      for (const tree of round % 2 === 0 ? trees : [...trees].reverse()) {
        const out = execFileSync(tsx, [new URL(import.meta.url).pathname, "--child", tree, mode, String(calls)])
        const key = `${mode}\t${tree}`
        figures.set(key, [...(figures.get(key) ?? []), ...JSON.parse(String(out)) as Array<number>])
      }
    }
  }
  console.log(`CPU time per call, in-process HttpClient, concurrency 32 (${rounds} rounds of 5 x ${calls} calls)\n`)
  console.log("| rate limit | tree | median µs/call | vs first |")
  console.log("| ---------- | ---- | -------------- | -------- |")
  for (const mode of ["off", "limited"]) {
    const first = median(figures.get(`${mode}\t${trees[0]}`)!)
    for (const tree of trees) {
      const value = median(figures.get(`${mode}\t${tree}`)!)
      console.log(`| ${mode} | ${tree} | ${value.toFixed(1)} | ${(value / first).toFixed(2)}x |`)
    }
  }
}
