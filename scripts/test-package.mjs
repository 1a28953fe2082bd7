// The packed artifact works where users run it: packs the tarball, installs it into a fresh
// project (from the tarball and, where it has them, the npm cache; the registry for the rest), and runs one program with it on Node
// and on Bun; Deno runs the same program against mod.ts through deno.json's exports. The
// program fetches a job from the simulator through the Effect API and the Promise facade.
// examples/promise.mjs runs in that project on Node, its stdout compared exactly.
// Then the installed bin, klaviyo-catalog-jobs, runs against the simulator (no key) on Node (as
// npx runs it: the file itself, through its #! line), Bun and Deno: `get --json` and `watch`.
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const root = join(import.meta.dirname, "..")
const bin = (name) => join(root, "node_modules", ".bin", name)
const run = (command, args, cwd, env = process.env) =>
  execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })

const program = `import { Effect } from "effect"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  KlaviyoSimulator,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "@effect-klaviyo/catalog-jobs"

const viaEffect = await getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] }).pipe(
  Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
  Effect.provide(KlaviyoSimulator.layer()),
  Effect.runPromise,
)
const client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, httpClient: KlaviyoSimulator.layer() })
const viaPromise = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
  fields: { "catalog-category-bulk-update-job": ["status"] },
})
await client.close()
const rejected = await makeKlaviyoClient({ apiKey: "pk_wrong", httpClient: KlaviyoSimulator.layer() })
  .getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
  .then(() => "resolved", (error) => error._tag + " " + error.status)
console.log(JSON.stringify({
  effect: [viaEffect.status, viaEffect.created_at instanceof Date, viaEffect.categories.map((c) => c.name)],
  promise: viaPromise,
  rejected,
}))
`
const expected = JSON.stringify({
  effect: ["complete", true, ["Apparel", "Footwear", "Accessories"]],
  promise: { type: "catalog-category-bulk-update-job", id: "01JDEM0CATEG0RYUPDATEJ0B01", status: "complete" },
  rejected: "KlaviyoApiError 401",
})

const cliExpected = JSON.stringify({
  status: "complete",
  watched: ["Job demo-complete complete … its creation: 240 of 240 completed, 0 failed.", "No errors."],
})

/** What examples/promise.mjs prints, exactly. */
const PROMISE_EXAMPLE_STDOUT = [
  "01JDEM0CATEG0RYUPDATEJ0B01: complete, 2 of 3 completed",
  "categories: Apparel, Footwear, Accessories",
  "KlaviyoApiError 404",
  "",
].join("\n")

const work = mkdtempSync(join(tmpdir(), "catalog-jobs-package-"))
let failed = false
const check = (runtime, output) => {
  const line = output.trim().split("\n").at(-1)
  const ok = line === expected
  failed ||= !ok
  console.log(`${ok ? "ok  " : "FAIL"} ${runtime}: ${line}`)
}
// The shipped declarations' JSDoc cites no file the package does not ship (DESIGN.md, a test, a
// source file's path): editors show it to users who have only dist/. The bundler's own
// `//#region src/...` markers are not JSDoc and are left alone.
const citesMissingFile = (declarations) =>
  declarations.split("\n").filter((line) => /^\s*(\/\*\*|\*)/.test(line))
    .filter((line) => /\b[\w./-]+\.(md|ts|mjs)\b|\b(bench|test|src|scripts|docs)\//.test(line))
const cited = citesMissingFile(readFileSync(join(root, "dist", "mod.d.ts"), "utf8"))
failed ||= cited.length > 0
console.log(`${cited.length === 0 ? "ok  " : "FAIL"} dist/mod.d.ts cites ${cited.length} unshipped files${cited.map((line) => `\n  ${line.trim()}`).join("")}`)
try {
  const tarball = run("npm", ["pack", "--silent", "--pack-destination", work], root).trim().split("\n").at(-1)
  const version = JSON.parse(readFileSync(join(root, "node_modules", "effect", "package.json"), "utf8")).version
  const project = join(work, "project")
  mkdirSync(project)
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }))
  // @effect/platform-node-shared (the bin's) depends on @types/ws, which wants any @types/node:
  // the one in this repository's lock (in the npm cache) is named, or npm asks the
  // registry for the newest.
  const typesNode = JSON.parse(readFileSync(join(root, "node_modules", "@types", "node", "package.json"), "utf8")).version
  run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", "--silent", join(work, tarball), `effect@${version}`, `@types/node@${typesNode}`],
    project,
  )
  writeFileSync(join(project, "program.mjs"), program)
  check("node (packed)", run(process.execPath, ["program.mjs"], project))
  check("bun (packed)", run(bin("bun"), ["program.mjs"], project))
  // examples/promise.mjs, as a user copies it: plain JavaScript on Node, the installed package.
  writeFileSync(join(project, "promise.mjs"), readFileSync(join(root, "examples", "promise.mjs")))
  const example = run(process.execPath, ["promise.mjs"], project)
  const exampleOk = example === PROMISE_EXAMPLE_STDOUT
  failed ||= !exampleOk
  console.log(`${exampleOk ? "ok  " : "FAIL"} node examples/promise.mjs (packed): ${JSON.stringify(example)}`)
  // Deno: the same program, importing the package by name through deno.json's exports.
  const denoDir = join(root, ".cache", "package-test") // git-ignored; Deno does not strip types under node_modules
  mkdirSync(denoDir, { recursive: true })
  writeFileSync(join(denoDir, "program.ts"), program)
  check("deno (mod.ts)", run(bin("deno"), ["run", "--allow-env", "--allow-read", join(denoDir, "program.ts")], root))

  // The bin, with no key: the simulator; a watch of a demo job that ends complete with no failures.
  const env = { ...process.env, KLAVIYO_SIMULATOR_SPEED: "8" }
  for (const name of Object.keys(env)) if (name.startsWith("KLAVIYO_API") || name === "KLAVIYO_ACCESS_TOKEN") delete env[name]
  const installed = join(project, "node_modules", ".bin", "klaviyo-catalog-jobs")
  const cliFile = join(project, "node_modules", "@effect-klaviyo", "catalog-jobs", "dist", "cli.js")
  const runtimes = [
    ["node (packed bin)", installed, []],
    ["bun (packed bin)", bin("bun"), [installed]],
    ["deno (packed bin)", bin("deno"), ["run", "--allow-all", "--quiet", cliFile]],
  ]
  for (const [runtime, command, prefix] of runtimes) {
    let line
    try {
      const job = JSON.parse(run(command, [...prefix, "get", "01JDEM0CATEG0RYUPDATEJ0B01", "--json", "--fields", "status"], project, env))
      const watched = run(command, [...prefix, "watch", "demo-complete"], project, env).trim().split("\n").slice(-2)
        .map((text) => text.replace(/ (\d+s after|within a second of) its creation/, " … its creation"))
      line = JSON.stringify({ status: job.status, watched })
    } catch (error) {
      line = String(error.message ?? error).split("\n")[0]
    }
    const ok = line === cliExpected
    failed ||= !ok
    console.log(`${ok ? "ok  " : "FAIL"} ${runtime}: ${line}`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
