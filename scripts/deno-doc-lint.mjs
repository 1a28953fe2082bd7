// Runs `deno doc --lint mod.ts` and fails on any finding except `private-type-ref` for
//  - types from npm packages (Effect's Duration, Layer, ...): a known Deno false positive, and
//  - the private base constants behind the public error and service classes (`...Base`), which
//    exist only to give those classes explicit types (no slow types).
import { spawnSync } from "node:child_process"
import { join } from "node:path"

const deno = join(import.meta.dirname, "..", "node_modules", ".bin", "deno")
const result = spawnSync(deno, ["doc", "--lint", "mod.ts"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } })
const output = `${result.stdout}\n${result.stderr}`
const findings = [...output.matchAll(/^(?:error|warning)\[([\w-]+)\]: (.*)$/gm)].map(([, code, text]) => ({ code, text }))
const npmTypes = new Set([
  "Config", "Context", "Duration", "Effect", "HttpClient", "Input", "Layer", "RateLimiterError",
  "RateLimiterStore", "Redacted", "YieldableError", "ConfigError", "Schema", "Cause",
])
const accepted = (finding) => {
  if (finding.code !== "private-type-ref") return false
  const referenced = /references private type '([^']+)'/.exec(finding.text)?.[1] ?? ""
  return npmTypes.has(referenced) || referenced.endsWith("Base")
}
const rejected = findings.filter((finding) => !accepted(finding))
for (const finding of rejected) console.error(`deno doc --lint: ${finding.code}: ${finding.text}`)
console.log(
  `deno doc --lint: ${findings.length} findings, ${findings.length - rejected.length} accepted (private-type-ref to npm types or class bases), ${rejected.length} rejected`,
)
process.exit(rejected.length === 0 ? 0 : 1)
