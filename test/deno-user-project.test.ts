import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..")
const deno = join(root, "node_modules", ".bin", "deno")

/**
 * A user's own Deno project, its own deno.json (effect mapped to the version the clone's deno.json
 * allows, Deno's default compiler options), importing the clone's mod.ts by path. Offline: the
 * project's node_modules is the clone's, read as `nodeModulesDir: "manual"` (the clone does so too).
 */
const userProject = () => {
  const dir = mkdtempSync(join(tmpdir(), "catalog-jobs-deno-user-"))
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir")
  const version =
    JSON.parse(readFileSync(join(root, "node_modules", "effect", "package.json"), "utf8")).version
  writeFileSync(
    join(dir, "deno.json"),
    JSON.stringify({
      nodeModulesDir: "manual",
      imports: { "effect": `npm:effect@${version}`, "effect/": `npm:/effect@${version}/` },
    }),
  )
  writeFileSync(
    join(dir, "main.ts"),
    `import { Effect } from "effect"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient, KlaviyoSimulator, SIMULATED_API_KEY, SIMULATED_JOB_ID } from ${
      JSON.stringify(join(root, "mod.ts"))
    }

const status: Effect.Effect<string, unknown> = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
  Effect.map((job) => job.status),
  Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
  Effect.provide(KlaviyoSimulator.layer()),
)
console.log(await Effect.runPromise(status))
`,
  )
  return dir
}

describe("Deno, from a clone, in a project with its own import map", () => {
  it(
    "type-checks (with Deno's default compiler options) and runs a file importing mod.ts by path",
    async () => {
      const dir = userProject()
      try {
        const env = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" }
        const checked = await promisify(execFile)(deno, ["check", "main.ts"], { cwd: dir, env })
        expect(checked.stdout).toBe("")
        const ran = await promisify(execFile)(deno, ["run", "--allow-env", "--allow-read", "main.ts"], {
          cwd: dir,
          env,
        })
        expect(ran.stdout).toBe("complete\n")
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    120_000,
  )
})
