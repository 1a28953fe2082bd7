// Runs `deno doc --lint mod.ts` and fails on any finding except `private-type-ref` for
//  - types from npm packages (Effect's Duration, Layer, ...): a known Deno false positive, and
//  - the private base constants behind the public error and service classes (`...Base`), which
//    exist only to give those classes explicit types (no slow types).
import { spawnSync } from "node:child_process"
import { join } from "node:path"

const deno = join(import.meta.dirname, "..", "node_modules", ".bin", "deno")
const result = spawnSync(deno, ["doc", "--lint", "mod.ts"], {
  encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1" },
})
const output = `${result.stdout}\n${result.stderr}`
const findings = [...output.matchAll(/^(?:error|warning)\[([\w-]+)\]: (.*)$/gm)].map(([, code, text]) => ({
  code,
  text,
}))
const npmTypes = new Set([
  "Config",
  "Context",
  "Duration",
  "Effect",
  "Schedule",
  "Stream",
  "HttpClient",
  "Input",
  "Layer",
  "RateLimiterError",
  "RateLimiterStore",
  "Redacted",
  "YieldableError",
  "ConfigError",
  "Schema",
  // effect/Schema's types, which the resources' schema fields are written in.
  "Struct",
  "Struct.Type",
  "optionalKey",
  "NullOr",
  "String",
  "Number",
  "Boolean",
  "Unknown",
  "Literals",
  "$Array",
  "$Record",
  "decodeTo",
  "Date",
  "Codec",
  "Cause",
  // effect's services the bulk write's engine and in-flight cap are written in.
  "Scope",
  "ShardingConfig",
  "WorkflowEngine",
  "SqlClient",
])
const accepted = (finding) => {
  if (finding.code !== "private-type-ref") return false
  const referenced = /references private type '([^']+)'/.exec(finding.text)?.[1] ?? ""
  return npmTypes.has(referenced) || referenced.endsWith("Base")
}
const rejected = findings.filter((finding) => !accepted(finding))
for (const finding of rejected) console.error(`deno doc --lint: ${finding.code}: ${finding.text}`)
console.log(
  `deno doc --lint: ${findings.length} findings, ${
    findings.length - rejected.length
  } accepted (private-type-ref to npm types or class bases), ${rejected.length} rejected`,
)

// Every exported symbol has JSDoc with an example (the examples are type-checked by
// `deno check --doc`, run by `npm run check:deno`).
const json = spawnSync(deno, ["doc", "--json", "mod.ts"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
const symbols = Object.values(JSON.parse(json.stdout).nodes)[0].symbols
const withoutExample = symbols
  .filter((symbol) =>
    !(symbol.declarations ?? []).some((declaration) => {
      const doc = declaration.jsDoc ?? {}
      return (doc.tags ?? []).some((tag) => tag.kind === "example") || (doc.doc ?? "").includes("```")
    })
  )
  .map((symbol) => symbol.name)
for (const name of withoutExample) console.error(`deno doc: ${name} has no example`)
console.log(
  `deno doc: ${symbols.length} exported symbols, ${symbols.length - withoutExample.length} with an example`,
)
process.exit(rejected.length === 0 && withoutExample.length === 0 ? 0 : 1)
