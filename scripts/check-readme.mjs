// Type-checks every ```ts block of README.md and docs/*.md against the library's own source, so that the
// examples people copy keep compiling. The blocks are written under node_modules/.cache (never
// committed), with the package name mapped to ./mod.ts.
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const out = join(root, "node_modules", ".cache", "readme-check")
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const pages = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)]
const blocks = pages.flatMap((page) =>
  [...readFileSync(join(root, page), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
)
blocks.forEach((block, i) => {
  const source = block
    .replaceAll('"jsr:@effect-klaviyo/catalog-jobs"', '"../../../mod.ts"')
    .replaceAll('"@effect-klaviyo/catalog-jobs"', '"../../../mod.ts"')
  const deno = source.includes("Deno.")
    ? "declare const Deno: { args: Array<string>; env: { get(name: string): string | undefined } }\n"
    : ""
  writeFileSync(join(out, `block${i}.ts`), `${deno}${source}\nexport {}\n`)
})
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({
    extends: "../../../tsconfig.json",
    compilerOptions: { isolatedDeclarations: false, noUnusedLocals: false, declaration: false },
    include: ["*.ts"],
  }),
)
try {
  execFileSync(join(root, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", out], { stdio: "inherit" })
} catch {
  console.error(`README.md, docs/: a TypeScript example does not compile (see above; blocks are in ${out})`)
  process.exit(1)
}
console.log(`README.md and docs/ (${pages.length} pages): ${blocks.length} TypeScript examples compile`)
