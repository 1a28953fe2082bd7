/**
 * bench/results.json: the measured record, one entry per runtime for the overhead benchmark
 * (and the decode and memory benchmarks' latest figures), merged run by run; bench/results.svg
 * is drawn from it each time the overhead figures change.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { drawChart } from "./chart.ts"

/** One client for one call at one concurrency. */
export interface OverheadRow {
  /** The call: `get` (a job with its categories), `post` (a job of 100 records), `list` (a page). */
  readonly scenario: string
  readonly concurrency: number
  readonly client: string
  readonly requests: number
  readonly medianMs: number
  readonly p99Ms: number
  readonly rps: number
  /** This client's wall time over the floor's (all rounds). */
  readonly ratio: number
  /** This client's median latency over the floor's. */
  readonly medianRatio: number
  /** The least and the greatest of the per-round ratios (elapsed time over the floor's). */
  readonly roundRatioMin: number
  readonly roundRatioMax: number
  /** CPU time of the client's process per call (user + system). */
  readonly cpuMsPerCall: number
  /** This client's CPU time over the floor's. */
  readonly cpuRatio: number
  /** Wall time per call (all calls of the rounds, over their count). */
  readonly wallMsPerCall: number
}

export interface Machine {
  readonly os: string
  readonly cpus: number
  readonly cpuModel: string
  readonly memoryGiB: number
}

/** One runtime's overhead run. */
export interface OverheadRun {
  readonly runtime: string
  readonly version: string
  readonly date: string
  readonly machine: Machine
  readonly command: string
  readonly rows: ReadonlyArray<OverheadRow>
}

export interface Results {
  readonly note: string
  readonly overhead: Readonly<Record<string, OverheadRun>>
  readonly decode?: Readonly<Record<string, unknown>>
  readonly memory?: Readonly<Record<string, unknown>>
}

const jsonPath = new URL("../results.json", import.meta.url)
const svgPath = new URL("../results.svg", import.meta.url)

const note = "Measured by bench/overhead.ts, bench/decode.ts and bench/memory.ts (see README, Benchmarks); " +
  "each runtime's entry is replaced when that runtime's benchmark runs again."

const read = (): Results =>
  existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, "utf8")) as Results : { note, overhead: {} }

const write = (results: Results) => writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`)

/** Replaces this runtime's overhead entry, then draws the chart again. */
export const recordOverhead = (run: OverheadRun): Promise<void> => {
  const results = read()
  const overhead = { ...results.overhead, [run.runtime]: run }
  write({ ...results, note, overhead })
  writeFileSync(svgPath, drawChart(Object.values(overhead)))
  return Promise.resolve()
}

/** Replaces one section (`decode`, `memory`) entry for a runtime. */
export const recordSection = (section: "decode" | "memory", runtime: string, value: unknown): void => {
  const results = read()
  write({ ...results, note, [section]: { ...results[section], [runtime]: value } })
}
