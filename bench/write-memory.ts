/**
 * `npm run bench:write-memory [-- --records 1000000 --baseline 100000 --max-in-flight 100]`
 *
 * Does `bulkWrite` keep memory flat in the number of records? 1,000,000 generated category
 * create records (a generator: never an array) through `bulkWrite` against the in-process
 * simulator (`KlaviyoSimulator.layer`: jobs processed at once, no rate limits, the real clock,
 * polls 1 to 10 ms apart), then 100,000 the same way as the baseline, each in a fresh process of
 * its own (`--child`, Node with `--expose-gc`). Printed: the peak RSS (sampled every 50 ms), the
 * heap after a full GC every 10% of the records, the heap's slope over the run, and the ratio of
 * the two peaks: flat memory is a 1M peak within a small factor of the 100k one.
 *
 * The simulator keeps every job it created and every category created; so that what is measured
 * is the write's memory, not the simulator's catalog, the bench removes from the model each job
 * (and its categories) as soon as the write has reported its outcomes. What it cannot remove is
 * the model's record of each processed record's outcome (one array slot per record, inside the
 * model): a few MB at 1M records, counted in the figures. It takes about 1 to 3 minutes for 1M
 * records on this machine (2 shared cores); each child is killed after 15 minutes.
 */
import { spawn } from "node:child_process"
import { Effect, Layer } from "effect"
import {
  bulkWrite,
  type BulkWriteOutcome,
  type CatalogCategoryCreateRecord,
  KlaviyoClient,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
} from "../mod.ts"
import { arg, flag, runtimeName, runtimeVersion, slope } from "./support/stats.ts"

const MiB = 1024 * 1024

interface RunResult {
  readonly records: number
  readonly succeeded: number
  readonly jobs: number
  readonly seconds: number
  readonly peakRssMiB: number
  readonly samples: ReadonlyArray<
    { readonly records: number; readonly rssMiB: number; readonly heapMiB: number }
  >
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

/** `n` category create records, generated one by one as the write reads them. */
function* categories(n: number): Generator<CatalogCategoryCreateRecord> {
  for (let i = 0; i < n; i++) yield { external_id: `MEM-${i}`, name: `Category ${i}` }
}

/** One run, in this process. */
const child = async (records: number, maxInFlight: number): Promise<RunResult> => {
  const model = KlaviyoSimulator.model({ jobs: [], processing: { queuedMillis: 0, perSecond: 1_000_000 } })
  const layer = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: false, retry: false }).pipe(
    Layer.provide(KlaviyoSimulator.layer(model)),
  )
  let peak = process.memoryUsage().rss
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  const samples: Array<RunResult["samples"][number]> = []
  const every = Math.max(1, Math.floor(records / 10))
  let done = 0
  let lastJob: string | undefined
  const onOutcome = (outcome: BulkWriteOutcome) => {
    // The write is done with this job: the simulator forgets it and the category it created.
    if (outcome.job !== undefined && outcome.job !== lastJob) {
      model.jobs.delete(outcome.job)
      lastJob = outcome.job
    }
    if (outcome.key !== undefined) model.categories.delete(`$custom:::$default:::${outcome.key}`)
    if (++done % every === 0) {
      gc()
      const usage = process.memoryUsage()
      peak = Math.max(peak, usage.rss)
      samples.push({ records: done, rssMiB: usage.rss / MiB, heapMiB: usage.heapUsed / MiB })
    }
  }
  const start = performance.now()
  const report = await Effect.runPromise(
    bulkWrite({ resource: "catalog-category", operation: "create" }, categories(records), {
      maxInFlight,
      interval: { min: "1 millis", max: "10 millis" },
      onOutcome,
    }).pipe(Effect.provide(layer)),
  )
  const seconds = (performance.now() - start) / 1000
  clearInterval(sampler)
  return { records, succeeded: report.succeeded, jobs: report.jobs, seconds, peakRssMiB: peak / MiB, samples }
}

/** Runs `child` in a fresh Node process, reading its result from stdout; killed after 15 minutes. */
const inFreshProcess = (records: number, maxInFlight: number): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const script = new URL(import.meta.url).pathname
    const args = ["--child", "--records", String(records), "--max-in-flight", String(maxInFlight)]
    const proc = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    })
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15 * 60_000)
    let out = ""
    proc.stdout.setEncoding("utf8").on("data", (text: string) => (out += text))
    proc.once("error", reject)
    proc.once("exit", (code) => {
      clearTimeout(timer)
      const line = out.split("\n").find((l) => l.startsWith("RESULT "))
      if (code !== 0 || line === undefined) reject(new Error(`the child run exited with ${code}: ${out}`))
      else resolve(JSON.parse(line.slice("RESULT ".length)) as RunResult)
    })
  })

const records = arg("records", 1_000_000)
const maxInFlight = arg("max-in-flight", 100)

if (flag("child")) {
  console.log(`RESULT ${JSON.stringify(await child(records, maxInFlight))}`)
  process.exit(0)
}

const baseline = arg("baseline", 100_000)
const long = await inFreshProcess(records, maxInFlight)
const short = await inFreshProcess(baseline, maxInFlight)
const fmt = (n: number, digits = 1) => n.toFixed(digits)
console.log(
  `bench:write-memory: category create records through bulkWrite on the in-process simulator, maxInFlight ${maxInFlight}, ${runtimeName} ${runtimeVersion}\n`,
)
console.log("| run      | records   | succeeded | jobs   | seconds | RSS after GC | heap after GC |")
console.log("| -------- | --------- | --------- | ------ | ------- | ------------ | ------------- |")
for (const [name, run] of [["long", long], ["baseline", short]] as const) {
  for (const sample of run.samples) {
    console.log(
      `| ${name.padEnd(8)} | ${String(sample.records).padEnd(9)} | ${"".padEnd(9)} | ${"".padEnd(6)} | ${
        "".padEnd(7)
      } | ${`${fmt(sample.rssMiB)} MiB`.padEnd(12)} | ${`${fmt(sample.heapMiB)} MiB`.padEnd(13)} |`,
    )
  }
  console.log(
    `| ${name.padEnd(8)} | ${String(run.records).padEnd(9)} | ${String(run.succeeded).padEnd(9)} | ${
      String(run.jobs).padEnd(6)
    } | ${fmt(run.seconds).padEnd(7)} | ${"(end)".padEnd(12)} | ${"".padEnd(13)} |`,
  )
}
const heapSlope = slope(long.samples.map((s) => s.records / 100_000), long.samples.map((s) => s.heapMiB))
console.log(
  `\nPeak RSS: ${fmt(long.peakRssMiB)} MiB for ${records} records, ${
    fmt(short.peakRssMiB)
  } MiB for ${baseline} (ratio ${fmt(long.peakRssMiB / short.peakRssMiB, 2)}); heap after GC at the end ${
    fmt(long.samples.at(-1)?.heapMiB ?? Number.NaN)
  } vs ${fmt(short.samples.at(-1)?.heapMiB ?? Number.NaN)} MiB; heap slope over the long run ${
    fmt(heapSlope, 2)
  } MiB per 100,000 records`,
)
