/**
 * `npm run bench:size` (after `npm run build`): the size of the library alone (effect
 * external) and of a program that uses it with effect bundled in, minified and gzipped; and the
 * cold import time of the built module on Node, Deno and Bun and of mod.ts on Deno and Bun. Each figure has a
 * baseline measured in the same run: effect's own modules that the library uses, alone.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { build } from "esbuild"

const root = join(import.meta.dirname, "..")
const work = join(root, ".cache", "bench-size")
mkdirSync(work, { recursive: true })
if (!existsSync(join(root, "dist", "mod.js"))) throw new Error("run `npm run build` first")

/** The effect modules the library imports: the baseline the library adds to. */
const effectOnly = `import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as RateLimiter from "effect/persistence/RateLimiter"
export const program = HttpClient.get("https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/x").pipe(
  Effect.flatMap((response) => response.json),
  Effect.flatMap(Schema.decodeUnknownEffect(Schema.Struct({ data: Schema.Unknown }))),
  Effect.retry(Schedule.exponential("100 millis")),
  Effect.provide(Layer.mergeAll(FetchHttpClient.layer, RateLimiter.layerStoreMemory)),
)
`
const withLibrary = `import { Effect } from "effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient } from "${join(root, "dist", "mod.js")}"
export const program = getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { include: ["categories"] }).pipe(
  Effect.provide(KlaviyoClient.layer({ apiKey: "pk_example" })),
  Effect.provide(FetchHttpClient.layer),
)
`

const bundle = async (name: string, source: string, external: Array<string>) => {
  const entry = join(work, `${name}.ts`)
  writeFileSync(entry, source)
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    external,
    write: false,
    logLevel: "silent",
  })
  const code = result.outputFiles[0]!.contents
  return { bytes: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const library = await bundle("library", `export * from "${join(root, "dist", "mod.js")}"\n`, [
  "effect",
  "effect/*",
])
const baseline = await bundle("effect-only", effectOnly, [])
const program = await bundle("with-library", withLibrary, [])
console.log("Bundle sizes (esbuild --minify, gzip -9)")
console.table([
  { bundle: "library alone (effect external)", minified: kb(library.bytes), gzipped: kb(library.gzip) },
  {
    bundle: "baseline: effect modules the library uses",
    minified: kb(baseline.bytes),
    gzipped: kb(baseline.gzip),
  },
  {
    bundle: "program with the library, effect bundled",
    minified: kb(program.bytes),
    gzipped: kb(program.gzip),
    "vs baseline": `${(program.gzip / baseline.gzip).toFixed(2)}x`,
  },
])

/** One in-process import time, in a fresh process. */
const importOnce = (command: string, args: (file: string) => Array<string>, file: string): number => {
  const out = execFileSync(command, args(file), {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  })
  return Number(out.trim().split("\n").at(-1))
}

/**
 * Medians of `runs` import times of the library and of the baseline, each in a fresh process,
 * alternating (library, baseline, baseline, library, ...) so that the machine's load weighs on both
 * alike; one warm-up of each first.
 */
const importTimes = (
  command: string,
  args: (file: string) => Array<string>,
  libraryFile: string,
  baselineFile: string,
  runs = 7,
): { readonly library: number; readonly baseline: number } => {
  const library: Array<number> = []
  const baseline: Array<number> = []
  importOnce(command, args, libraryFile)
  importOnce(command, args, baselineFile)
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      library.push(importOnce(command, args, libraryFile))
      baseline.push(importOnce(command, args, baselineFile))
    } else {
      baseline.push(importOnce(command, args, baselineFile))
      library.push(importOnce(command, args, libraryFile))
    }
  }
  const median = (times: Array<number>) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
  return { library: median(library), baseline: median(baseline) }
}
const timer = (target: string) =>
  `const t = performance.now(); await import(${
    JSON.stringify(target)
  }); console.log((performance.now() - t).toFixed(1))`
const baselineModule = join(work, "effect-only.ts")
const baselineJs = join(work, "effect-only.mjs")
writeFileSync(baselineJs, effectOnly)
const probe = (name: string, target: string, ext: string) => {
  const file = join(work, `${name}.${ext}`)
  writeFileSync(file, `${timer(target)}\n`)
  return file
}
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const denoVersion =
  execFileSync(bin("deno"), ["--version"], { encoding: "utf8" }).split("\n")[0]!.split(" ")[1]
const bunVersion = execFileSync(bin("bun"), ["--version"], { encoding: "utf8" }).trim()
const distModule = join(root, "dist", "mod.js")
const denoArgs = (f: string) => ["run", "-A", f]
// What each runtime's users import: the package's dist/mod.js from npm (Node, Bun, Deno's npm:),
// the sources from JSR or a clone (Deno, Bun).
const rows = [
  {
    runtime: `node ${process.version}`,
    module: "dist/mod.js",
    ...importTimes(
      process.execPath,
      (f) => [f],
      probe("node-lib", distModule, "mjs"),
      probe("node-base", baselineJs, "mjs"),
    ),
  },
  {
    runtime: `deno ${denoVersion}`,
    module: "mod.ts",
    ...importTimes(
      bin("deno"),
      denoArgs,
      probe("deno-lib", join(root, "mod.ts"), "ts"),
      probe("deno-base", baselineModule, "ts"),
    ),
  },
  {
    runtime: `deno ${denoVersion}`,
    module: "dist/mod.js",
    ...importTimes(
      bin("deno"),
      denoArgs,
      probe("deno-dist", distModule, "ts"),
      probe("deno-base", baselineModule, "ts"),
    ),
  },
  {
    runtime: `bun ${bunVersion}`,
    module: "mod.ts",
    ...importTimes(
      bin("bun"),
      (f) => [f],
      probe("bun-lib", join(root, "mod.ts"), "ts"),
      probe("bun-base", baselineModule, "ts"),
    ),
  },
  {
    runtime: `bun ${bunVersion}`,
    module: "dist/mod.js",
    ...importTimes(
      bin("bun"),
      (f) => [f],
      probe("bun-dist", distModule, "ts"),
      probe("bun-base", baselineModule, "ts"),
    ),
  },
]
console.log(
  "Cold import time (median of 7 fresh processes each, the library and the baseline alternating, after one warm-up), milliseconds",
)
console.table(rows.map((row) => ({
  runtime: row.runtime,
  module: row.module,
  "import (ms)": row.library,
  "baseline: effect modules (ms)": row.baseline,
  ratio: `${(row.library / row.baseline).toFixed(2)}x`,
})))

/**
 * The library's own share of its import, measured in one process, which the machine's load
 * moves far less than two fresh processes: every effect module dist/mod.js imports (read from
 * its import statements) loaded first, then dist/mod.js; the median over `runs` processes of the
 * second time over the first.
 */
const effectImports = [...new Set([...readFileSync(distModule, "utf8").matchAll(/from "(effect(?:\/[^"]*)?)"/g)]
  .map((match) => match[1]!))]
const allEffect = join(work, "all-effect.mjs")
writeFileSync(
  allEffect,
  `${effectImports.map((name, index) => `import * as m${index} from ${JSON.stringify(name)}`).join("\n")}\n`,
)
const increment = (name: string, target: string) => {
  const file = join(work, `${name}-increment.mjs`)
  writeFileSync(
    file,
    `const t0 = performance.now(); await import(${JSON.stringify(allEffect)}); const t1 = performance.now()
await import(${JSON.stringify(target)}); const t2 = performance.now()
console.log((t1 - t0).toFixed(2), (t2 - t1).toFixed(2))\n`,
  )
  return file
}
const shareOf = (command: string, args: (file: string) => Array<string>, file: string, runs = 11) => {
  const times = (): readonly [number, number] => {
    const out = execFileSync(command, args(file), { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
    const [effect, library] = out.trim().split("\n").at(-1)!.split(" ").map(Number)
    return [effect!, library!]
  }
  times()
  const samples = Array.from({ length: runs }, times)
  const median = (values: Array<number>) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  const effect = median(samples.map(([e]) => e))
  const library = median(samples.map(([, l]) => l))
  return { effect, library, share: median(samples.map(([e, l]) => l / e)) }
}
const distIncrement = increment("dist", distModule)
const shares = [
  { runtime: `node ${process.version}`, ...shareOf(process.execPath, (f) => [f], distIncrement) },
  { runtime: `deno ${denoVersion}`, ...shareOf(bin("deno"), denoArgs, distIncrement) },
  { runtime: `bun ${bunVersion}`, ...shareOf(bin("bun"), (f) => [f], distIncrement) },
]
console.log(
  `dist/mod.js imported after the ${effectImports.length} effect modules it imports, in the same process (median of 11 processes after one warm-up), milliseconds`,
)
console.table(shares.map((row) => ({
  runtime: row.runtime,
  "effect modules (ms)": row.effect,
  "then dist/mod.js (ms)": row.library,
  "library's share": `+${(100 * row.share).toFixed(1)}%`,
})))
