/** Small helpers the benchmarks share: arguments, order statistics, the runtime and the machine. */
import * as os from "node:os"

/** `--name N` from the command line, or `fallback`. */
export const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`)
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1])
  return Number.isFinite(value) ? value : fallback
}

/** Whether `--name` is on the command line. */
export const flag = (name: string): boolean => process.argv.includes(`--${name}`)

/** The `q` quantile (0..1) of `values`, nearest rank. */
export const quantile = (values: ReadonlyArray<number>, q: number): number => {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

export const median = (values: ReadonlyArray<number>): number => quantile(values, 0.5)

const globals = globalThis as {
  readonly Deno?: { readonly version: { readonly deno: string; readonly v8: string } }
  readonly Bun?: { readonly version: string }
}

/** Which runtime runs this script. */
export const runtimeName: "node" | "deno" | "bun" = globals.Deno !== undefined
  ? "deno"
  : globals.Bun !== undefined
  ? "bun"
  : "node"

/** Its version. */
export const runtimeVersion: string = globals.Deno !== undefined
  ? globals.Deno.version.deno
  : globals.Bun !== undefined
  ? globals.Bun.version
  : process.versions.node

/** The machine, for the record. */
export const machine = (): { os: string; cpus: number; cpuModel: string; memoryGiB: number } => ({
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
})

/** Least-squares slope of `y` over `x`. */
export const slope = (x: ReadonlyArray<number>, y: ReadonlyArray<number>): number => {
  const n = x.length
  const mx = x.reduce((a, b) => a + b, 0) / n
  const my = y.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (x[i]! - mx) * (y[i]! - my)
    den += (x[i]! - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}
