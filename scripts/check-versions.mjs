// deno.json and package.json must publish the same name and version.
import { readFileSync } from "node:fs"
import { join } from "node:path"

const read = (file) => JSON.parse(readFileSync(join(import.meta.dirname, "..", file), "utf8"))
const [deno, npm] = [read("deno.json"), read("package.json")]
if (deno.name !== npm.name || deno.version !== npm.version) {
  console.error(`deno.json has ${deno.name}@${deno.version}, package.json ${npm.name}@${npm.version}: keep them equal`)
  process.exit(1)
}
console.log(`versions: ${npm.name}@${npm.version} in both deno.json and package.json`)
