/**
 * `npm run bench:write-memory [-- --records 1000000 --baseline 100000 --max-in-flight 100 --cap-heap 96]`
 *
 * Does `bulkWrite` keep memory flat in the number of records? 1,000,000 generated category
 * create records (a generator: never an array) through `bulkWrite` against the in-process
 * simulator (`KlaviyoSimulator.layer`: jobs processed at once, no rate limits, the real clock,
 * polls 1 to 10 ms apart), then 100,000 the same way as the baseline, then the 1,000,000 again
 * with V8's old space capped (`--max-old-space-size`, 96 MiB), each in a fresh process of its own
 * (`--child`, Node with `--expose-gc`). Printed: the peak RSS (sampled every 50 ms), every 10%
 * of the records the RSS, the heap used after a full GC, the heap V8 holds (`heapTotal`) and the
 * memory outside it (`external`: the duplicate fingerprints' table), the heap's slope over the
 * run, and the ratios of the peaks to the baseline's.
 *
 * The simulator keeps every job it created and every category created; so that what is measured
 * is the write's memory, not the simulator's catalog, the bench removes from the model each job
 * (and with it its records' outcomes) and its categories as soon as the write has reported its
 * outcomes.
 *
 * Measured 2026-12-02 (2 shared cores, Node 20.20.2, other benches and tests running): before the
 * write ran its jobs by groups (src/bulk-write/group.ts), peak RSS 438.9 MiB for 1M against
 * 222.0 MiB for 100k (ratio 1.98), heap after GC 71.5 against 41.2 MiB, slope +3.26 MiB per
 * 100,000 records (3.3 KB a job): the memory engine's activity results (3 exits a job) with the
 * POST guard's key set (a string a job), 2.1 KB a job, and the simulator's record outcomes (an
 * array of 100 slots, 1.1 KB a job); counted from heap snapshots at 100k and 400k. After:
 * see README.md (the heap after GC is flat, 40 MiB at 100k and at 1M; the RSS that remains above
 * the baseline is heap V8 holds unused and the fingerprint table, 24 MiB at 1M records: with the
 * old space capped the 1M run's peak is within 10% of the 100k one). It takes about 3 minutes
 * on this machine; each child is killed after 15 minutes.
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
    {
      readonly records: number
      readonly rssMiB: number
      readonly heapMiB: number
      readonly heapTotalMiB: number
      readonly externalMiB: number
    }
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
      samples.push({
        records: done,
        rssMiB: usage.rss / MiB,
        heapMiB: usage.heapUsed / MiB,
        heapTotalMiB: usage.heapTotal / MiB,
        externalMiB: usage.external / MiB,
      })
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
const inFreshProcess = (
  records: number,
  maxInFlight: number,
  flags: ReadonlyArray<string> = [],
): Promise<RunResult> =>
  new Promise((resolve, reject) => {
    const script = new URL(import.meta.url).pathname
    const args = ["--child", "--records", String(records), "--max-in-flight", String(maxInFlight)]
    const proc = spawn(process.execPath, ["--expose-gc", ...flags, "--import", "tsx", script, ...args], {
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
// The long run again with V8's old space capped near the live heap: what the write needs, without
// the room V8 reserves on its own when a long run allocates fast.
const capMiB = arg("cap-heap", 96)
const capped = await inFreshProcess(records, maxInFlight, [`--max-old-space-size=${capMiB}`])
const fmt = (n: number, digits = 1) => n.toFixed(digits)
console.log(
  `bench:write-memory: category create records through bulkWrite on the in-process simulator, maxInFlight ${maxInFlight}, ${runtimeName} ${runtimeVersion}\n`,
)
console.log(
  "| run      | records   | succeeded | jobs   | seconds | RSS after GC | heap after GC | heap reserved | external  |",
)
console.log(
  "| -------- | --------- | --------- | ------ | ------- | ------------ | ------------- | ------------- | --------- |",
)
for (const [name, run] of [["long", long], ["baseline", short]] as const) {
  for (const sample of run.samples) {
    console.log(
      `| ${name.padEnd(8)} | ${String(sample.records).padEnd(9)} | ${"".padEnd(9)} | ${"".padEnd(6)} | ${
        "".padEnd(7)
      } | ${`${fmt(sample.rssMiB)} MiB`.padEnd(12)} | ${`${fmt(sample.heapMiB)} MiB`.padEnd(13)} | ${
        `${fmt(sample.heapTotalMiB)} MiB`.padEnd(13)
      } | ${`${fmt(sample.externalMiB)} MiB`.padEnd(9)} |`,
    )
  }
  console.log(
    `| ${name.padEnd(8)} | ${String(run.records).padEnd(9)} | ${String(run.succeeded).padEnd(9)} | ${
      String(run.jobs).padEnd(6)
    } | ${fmt(run.seconds).padEnd(7)} | ${"(end)".padEnd(12)} | ${"".padEnd(13)} | ${"".padEnd(13)} | ${
      "".padEnd(9)
    } |`,
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
  } MiB per 100,000 records; with --max-old-space-size=${capMiB}: ${
    fmt(capped.peakRssMiB)
  } MiB for ${records} records (ratio ${
    fmt(capped.peakRssMiB / short.peakRssMiB, 2)
  }, ${capped.succeeded} written in ${fmt(capped.seconds)} s)`,
)
