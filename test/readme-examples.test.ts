/**
 * The examples of README.md and docs/*.md marked `<!-- runnable -->` run, as they are, against
 * the built-in simulator: each block is written under test/.examples/ (git-ignored), with the
 * package's name mapped to ./mod.ts, imported, and what it prints with `console.log` compared,
 * line for line, with the ```text block that follows it on the page.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, afterEach, describe, expect, it, vi } from "vitest"

const root = join(import.meta.dirname, "..")
const out = join(root, "test", ".examples")
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`),
]

interface Example {
  readonly page: string
  readonly n: number
  readonly source: string
  readonly prints: ReadonlyArray<string>
}

const examples: ReadonlyArray<Example> = pages.flatMap((page) =>
  [
    ...readFileSync(join(root, page), "utf8").matchAll(
      /<!-- runnable -->\s*```ts\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/g,
    ),
  ].map((match, n) => ({
    page,
    n,
    source: match[1]!.replaceAll('"@effect-klaviyo/catalog-jobs"', '"../../mod.ts"'),
    prints: match[2]!.trimEnd().split("\n"),
  }))
)

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
afterAll(() => rmSync(out, { recursive: true, force: true }))
afterEach(() => vi.restoreAllMocks())

describe("the runnable examples of README.md and docs/", () => {
  it("are the README's five tasks, at least", () => {
    expect(examples.filter((e) => e.page === "README.md").length).toBe(5)
  })

  for (const example of examples) {
    it(`${example.page} #${example.n + 1} prints what the page says`, async () => {
      const file = join(out, `${example.page.replace(/[/.]/g, "-")}-${example.n + 1}.ts`)
      writeFileSync(file, example.source)
      const printed: Array<string> = []
      vi.spyOn(console, "log").mockImplementation((...args: ReadonlyArray<unknown>) => {
        printed.push(args.map(String).join(" "))
      })
      await import(file)
      expect(printed).toEqual(example.prints)
    }, 30_000)
  }
})
