/**
 * `npm run bench:size` (after `npm run build`): the size of the library alone (effect
 * external) and of a program that uses it with effect bundled in, minified and gzipped; and the
 * cold import time of the built module on Node and of mod.ts on Deno and Bun. Each figure has a
 * baseline measured in the same run: effect's own modules that the library uses, alone.
 */
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, writeFileSync } from "node:fs"
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
const library = await bundle("library", `export * from "${join(root, "dist", "mod.js")}"\n`, ["effect", "effect/*"])
const baseline = await bundle("effect-only", effectOnly, [])
const program = await bundle("with-library", withLibrary, [])
console.log("Bundle sizes (esbuild --minify, gzip -9)")
console.table([
  { bundle: "library alone (effect external)", minified: kb(library.bytes), gzipped: kb(library.gzip) },
  { bundle: "baseline: effect modules the library uses", minified: kb(baseline.bytes), gzipped: kb(baseline.gzip) },
  {
    bundle: "program with the library, effect bundled",
    minified: kb(program.bytes),
    gzipped: kb(program.gzip),
    "vs baseline": `${(program.gzip / baseline.gzip).toFixed(2)}x`,
  },
])

/** Median of `runs` in-process import times, each in a fresh process (after one warm-up). */
const importTime = (command: string, args: (file: string) => Array<string>, file: string, runs = 7) => {
  const times: Array<number> = []
  for (let i = 0; i <= runs; i++) {
    const out = execFileSync(command, args(file), { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
    if (i > 0) times.push(Number(out.trim().split("\n").at(-1)))
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}
const timer = (target: string) =>
  `const t = performance.now(); await import(${JSON.stringify(target)}); console.log((performance.now() - t).toFixed(1))`
const baselineModule = join(work, "effect-only.ts")
const baselineJs = join(work, "effect-only.mjs")
writeFileSync(baselineJs, effectOnly)
const probe = (name: string, target: string, ext: string) => {
  const file = join(work, `${name}.${ext}`)
  writeFileSync(file, `${timer(target)}\n`)
  return file
}
const bin = (name: string) => join(root, "node_modules", ".bin", name)
const rows = [
  {
    runtime: `node ${process.version}`,
    module: "dist/mod.js",
    library: importTime(process.execPath, (f) => [f], probe("node-lib", join(root, "dist", "mod.js"), "mjs")),
    baseline: importTime(process.execPath, (f) => [f], probe("node-base", baselineJs, "mjs")),
  },
  {
    runtime: `deno ${execFileSync(bin("deno"), ["--version"], { encoding: "utf8" }).split("\n")[0]!.split(" ")[1]}`,
    module: "mod.ts",
    library: importTime(bin("deno"), (f) => ["run", "-A", f], probe("deno-lib", join(root, "mod.ts"), "ts")),
    baseline: importTime(bin("deno"), (f) => ["run", "-A", f], probe("deno-base", baselineModule, "ts")),
  },
  {
    runtime: `bun ${execFileSync(bin("bun"), ["--version"], { encoding: "utf8" }).trim()}`,
    module: "mod.ts",
    library: importTime(bin("bun"), (f) => [f], probe("bun-lib", join(root, "mod.ts"), "ts")),
    baseline: importTime(bin("bun"), (f) => [f], probe("bun-base", baselineModule, "ts")),
  },
]
console.log("Cold import time (median of 7 fresh processes, after one warm-up), milliseconds")
console.table(rows.map((row) => ({
  runtime: row.runtime,
  module: row.module,
  "import (ms)": row.library,
  "baseline: effect modules (ms)": row.baseline,
  ratio: `${(row.library / row.baseline).toFixed(2)}x`,
})))
