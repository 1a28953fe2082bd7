/**
 * `npm run bench:memory [-- --calls 10000 --concurrency 64 --compare 2000]`
 *
 * Does the library hold on to anything per call? 10,000 calls through the Effect API (64 at a
 * time, `rateLimit: false`) against the bench job server (100 included categories, in a child
 * process); the resident set size (RSS) and the heap after a full GC are sampled after every
 * 1,000 calls, the peak RSS every 50 ms. Printed: the samples, the least-squares slope of each
 * over the calls after the first 1,000 (warm-up), and the same run with 2,000 calls in a fresh
 * process for comparison: a flat library has the same peak for both and a slope near zero.
 *
 * Each run is a child process of its own (`--child`), started with `--expose-gc` on Node (Deno
 * and Bun: `--v8-flags=--expose-gc`, and Bun's own `Bun.gc`).
 */
import { spawn } from "node:child_process"
import { Effect, Layer, ManagedRuntime } from "effect"
import { FetchHttpClient } from "effect/http"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient } from "../mod.ts"
import { BENCH_API_KEY, BENCH_JOB_ID } from "./support/job-document.ts"
import { recordSection } from "./support/results.ts"
import { spawnServer } from "./support/spawn-server.ts"
import { arg, flag, runtimeName, runtimeVersion, slope } from "./support/stats.ts"

const MiB = 1024 * 1024

interface RunResult {
  readonly calls: number
  readonly concurrency: number
  readonly failures: number
  readonly seconds: number
  readonly peakRssMiB: number
  readonly samples: ReadonlyArray<
    { readonly calls: number; readonly rssMiB: number; readonly heapMiB: number }
  >
}

const gc = (): void => {
  const globals = globalThis as { gc?: () => void; Bun?: { gc: (force: boolean) => void } }
  if (globals.Bun !== undefined) globals.Bun.gc(true)
  else globals.gc?.()
}

/** One run, in this process: `calls` calls, `concurrency` at a time. */
const child = async (calls: number, concurrency: number): Promise<RunResult> => {
  const server = await spawnServer<{ ok: number }>("./job-server.ts", ["100"])
  const runtime = ManagedRuntime.make(
    KlaviyoClient.layer({ apiKey: BENCH_API_KEY, baseUrl: server.url, rateLimit: false }).pipe(
      Layer.provide(FetchHttpClient.layer),
    ),
  )
  const getJob = getCatalogCategoryBulkUpdateJob(BENCH_JOB_ID, { include: ["categories"] })
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  const samples: Array<RunResult["samples"][number]> = []
  let done = 0
  let failures = 0
  const start = performance.now()
  // Calls go out in blocks of 1,000 (64 at a time within a block) so that each sample is
  // taken at a known count; the heap is measured after a full GC, the RSS as it stands.
  while (done < calls) {
    const block = Math.min(1000, calls - done)
    await runtime.runPromise(
      Effect.forEach(
        Array.from({ length: block }),
        () => Effect.exit(getJob).pipe(Effect.map((exit) => exit._tag === "Failure" && failures++)),
        { concurrency, discard: true },
      ),
    )
    done += block
    gc()
    const usage = process.memoryUsage()
    peak = Math.max(peak, usage.rss)
    samples.push({ calls: done, rssMiB: usage.rss / MiB, heapMiB: usage.heapUsed / MiB })
  }
  const seconds = (performance.now() - start) / 1000
  clearInterval(sampler)
  await runtime.dispose()
  server.stop()
  return { calls, concurrency, failures, seconds, peakRssMiB: peak / MiB, samples }
}

/** Runs `child` in a fresh process of the same runtime, reading its result from stdout. */
const inFreshProcess = (calls: number, concurrency: number): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const script = new URL(import.meta.url).pathname
    const args = ["--child", "--calls", String(calls), "--concurrency", String(concurrency)]
    const [command, argv] = runtimeName === "deno"
      ? [process.execPath, ["run", "-A", "--v8-flags=--expose-gc", script, ...args]]
      : runtimeName === "bun"
      ? [process.execPath, [script, ...args]]
      : [process.execPath, ["--expose-gc", "--import", "tsx", script, ...args]]
    const proc = spawn(command, argv, { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    proc.stdout.setEncoding("utf8").on("data", (text: string) => (out += text))
    proc.once("error", reject)
    proc.once("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "))
      if (code !== 0 || line === undefined) reject(new Error(`the child run exited with ${code}: ${out}`))
      else resolve(JSON.parse(line.slice("RESULT ".length)) as RunResult)
    })
  })

const calls = arg("calls", 10_000)
const concurrency = arg("concurrency", 64)

if (flag("child")) {
  console.log(`RESULT ${JSON.stringify(await child(calls, concurrency))}`)
  process.exit(0)
}

const compare = arg("compare", 2000)
const long = await inFreshProcess(calls, concurrency)
const short = await inFreshProcess(compare, concurrency)

const fmt = (n: number, digits = 1) => n.toFixed(digits)
const steady = long.samples.filter((sample) => sample.calls > 1000)
const rssSlope = slope(steady.map((s) => s.calls / 1000), steady.map((s) => s.rssMiB))
const heapSlope = slope(steady.map((s) => s.calls / 1000), steady.map((s) => s.heapMiB))
console.log(
  `Memory: ${calls} calls, ${concurrency} at a time, through the Effect API against the local job server ` +
    `(100 included categories), ${runtimeName} ${runtimeVersion}; ${long.failures} failures, ${
      fmt(long.seconds)
    } s\n`,
)
console.log("| calls  | RSS       | heap after GC |")
console.log("| ------ | --------- | ------------- |")
for (const sample of long.samples) {
  console.log(
    `| ${String(sample.calls).padEnd(6)} | ${`${fmt(sample.rssMiB)} MiB`.padEnd(9)} | ${
      `${fmt(sample.heapMiB)} MiB`.padEnd(13)
    } |`,
  )
}
console.log(
  `\nSlope after the first 1,000 calls: RSS ${fmt(rssSlope, 2)} MiB per 1,000 calls, heap ${
    fmt(heapSlope, 2)
  } MiB per 1,000 calls`,
)
console.log(
  `Peak RSS: ${fmt(long.peakRssMiB)} MiB for ${calls} calls, ${
    fmt(short.peakRssMiB)
  } MiB for ${compare} calls (fresh process; ${short.failures} failures); heap after GC at the end: ${
    fmt(long.samples.at(-1)!.heapMiB)
  } vs ${fmt(short.samples.at(-1)!.heapMiB)} MiB`,
)

if (!flag("no-write")) {
  recordSection("memory", runtimeName, {
    version: runtimeVersion,
    date: new Date().toISOString(),
    command: `npm run bench:memory (calls ${calls}, concurrency ${concurrency}, compare ${compare})`,
    long,
    short,
    rssSlopeMiBPer1000: rssSlope,
    heapSlopeMiBPer1000: heapSlope,
  })
}
