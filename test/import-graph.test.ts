/**
 * What importing the library loads: the static import graph from mod.ts (its `import` and
 * `export … from` statements, relative ones followed, `import type` and `export type` left out)
 * reaches none of effect/workflow, effect/cluster or effect/persistence/Redis. `bulkWrite`,
 * `BulkWriteEngine.layerSql` and `InFlightCap.layerRedis` load them with `import()` when they run
 * (a dynamic import is not an edge of this graph).
 *
 * An `import { type A } from "m"` whose every name is a type still counts: under
 * `verbatimModuleSyntax` it is emitted as `import {} from "m"`, which loads `m`.
 */
import { readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..")

/** `import … from "m"`, `export … from "m"` and `import "m"`, each at the start of a line. */
const STATEMENT =
  /^(import|export)\s+(type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\}|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s+from\s+["']([^"']+)["']|^import\s+["']([^"']+)["']/gm

/** `import("m")`. */
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g

/** The modules a source file loads when it is imported. */
const staticImports = (source: string): Array<string> => {
  const specifiers: Array<string> = []
  for (const match of source.matchAll(STATEMENT)) {
    if (match[4] !== undefined) specifiers.push(match[4])
    else if (match[2] === undefined) specifiers.push(match[3]!)
  }
  return specifiers
}

/**
 * Every bare specifier reached from `entry`, with the file (relative to the root) that imports it,
 * and the dynamic imports of the files reached.
 */
const walk = (entry: string): {
  readonly files: Set<string>
  readonly bare: Array<readonly [string, string]>
  readonly dynamic: Array<readonly [string, string]>
} => {
  const files = new Set<string>()
  const bare: Array<readonly [string, string]> = []
  const dynamic: Array<readonly [string, string]> = []
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const source = readFileSync(file, "utf8")
    for (const match of source.matchAll(DYNAMIC)) dynamic.push([relative(root, file), match[1]!])
    for (const specifier of staticImports(source)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier))
      else bare.push([relative(root, file), specifier])
    }
  }
  visit(join(root, entry))
  return { files: new Set([...files].map((file) => relative(root, file))), bare, dynamic }
}

const FORBIDDEN = /^effect\/(workflow|cluster)(\/|$)|^effect\/persistence\/Redis$/

describe("the static import graph", () => {
  it("reads the forms of import and export the sources use", () => {
    const source = [
      `import * as Effect from "effect/Effect"`,
      `import type * as Scope from "effect/Scope"`,
      `import { type A, b } from "./a.ts"`,
      `import { type C } from "./c.ts"`,
      `import type { D } from "./d.ts"`,
      `import {\n  e,\n  f,\n} from "./e.ts"`,
      `import g, { h } from "./g.ts"`,
      `export { i } from "./i.ts"`,
      `export type { J } from "./j.ts"`,
      `export * from "./k.ts"`,
      `import "./l.ts"`,
      ` * import { m } from "./in-a-comment.ts"`,
      `const n = import("./dynamic.ts")`,
    ].join("\n")
    expect(staticImports(source)).toEqual([
      "effect/Effect",
      "./a.ts",
      "./c.ts",
      "./e.ts",
      "./g.ts",
      "./i.ts",
      "./k.ts",
      "./l.ts",
    ])
  })

  it("from mod.ts reaches no module of effect/workflow, effect/cluster or effect/persistence/Redis", () => {
    const graph = walk("mod.ts")
    // The walk follows the library: bulkWrite's module and the budget's store are in it.
    expect(graph.files.has("src/bulk-write/write.ts")).toBe(true)
    expect(graph.bare).toContainEqual(["src/internal/budget-store.ts", "effect/persistence/RateLimiter"])
    expect(graph.bare.filter(([, specifier]) => FORBIDDEN.test(specifier))).toEqual([])
  })

  it("loads effect/workflow, effect/cluster and effect/persistence/Redis with import() only", () => {
    // (mod.ts's `type Job = import("./src/…")` is a type.)
    const dynamic = walk("mod.ts").dynamic.filter(([, specifier]) => !specifier.startsWith("."))
    expect(dynamic.sort()).toEqual([
      ["src/bulk-write/engine.ts", "effect/cluster/ClusterWorkflowEngine"],
      ["src/bulk-write/engine.ts", "effect/cluster/SingleRunner"],
      ["src/bulk-write/in-flight.ts", "effect/persistence/Redis"],
      ["src/bulk-write/workflow-modules.ts", "effect/workflow/Activity"],
      ["src/bulk-write/workflow-modules.ts", "effect/workflow/Workflow"],
      ["src/bulk-write/workflow-modules.ts", "effect/workflow/WorkflowEngine"],
    ])
  })
})
