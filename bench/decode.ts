/**
 * `npm run bench:decode [-- --categories 1000 --seconds 2]`
 *
 * The library's decode and resolve stages (src/internal/jsonapi.ts, exactly as the pipeline runs
 * them) on one job document with 1,000 included categories, against `JSON.parse` of the same
 * text, measured in the same run: alternating batches, the median batch of each.
 *
 * Printed: time per document for `JSON.parse` alone, for decode + resolve of the parsed value,
 * and for the whole text-to-job path (parse + decode + resolve), each with its ratio to
 * `JSON.parse`. Target: the text-to-job path at most 5x `JSON.parse`.
 */
import * as Effect from "effect/Effect"
import type { GetEndpoint } from "../src/internal/pipeline.ts"
import { buildRequest } from "../src/internal/pipeline.ts"
import { decodePrimary, resolveIncluded } from "../src/internal/jsonapi.ts"
import { bulkJobResource, catalogCategoryResource } from "../src/resources.ts"
import { parseRevision, type Revision } from "../src/revision.ts"
import { BENCH_JOB_ID, jobDocumentText } from "./support/job-document.ts"
import { recordSection } from "./support/results.ts"
import { arg, flag, median, runtimeName, runtimeVersion } from "./support/stats.ts"

const categories = arg("categories", 1000)
const seconds = arg("seconds", 2)

/** The same declaration as src/catalog-category-bulk-update-job.ts makes. */
const endpoint: GetEndpoint = {
  operation: "getCatalogCategoryBulkUpdateJob",
  collectionPath: "/api/catalog-category-bulk-update-jobs",
  resource: bulkJobResource("catalog-category-bulk-update-job"),
  includes: { categories: catalogCategoryResource },
}
const revision = parseRevision("2026-07-15") as Revision
const prepared = Effect.runSync(buildRequest(endpoint, BENCH_JOB_ID, { include: ["categories"] }, revision))
const text = jobDocumentText({ categories })
const url = `https://a.klaviyo.com${prepared.request.path}?include=categories`

const decodeAndResolve = (body: unknown) =>
  Effect.runSync(
    Effect.flatMap(
      decodePrimary(endpoint.resource, prepared, body, url),
      (document) => resolveIncluded(document, prepared.inclusions),
    ),
  )

// Check once that the document is what the bench claims.
const job = decodeAndResolve(JSON.parse(text))
const resolved = job["categories"]
const unresolved = job["unresolved"]
if (!Array.isArray(resolved) || !Array.isArray(unresolved)) throw new Error("the job has no categories")
if (resolved.length !== categories || unresolved.length !== 0) {
  throw new Error(`expected ${categories} resolved categories, got ${resolved.length}`)
}

let sink: unknown
const parsed = JSON.parse(text)
const cases = {
  "JSON.parse": () => {
    sink = JSON.parse(text)
  },
  "decode + resolve (parsed value)": () => {
    sink = decodeAndResolve(parsed)
  },
  "parse + decode + resolve (text to job)": () => {
    sink = decodeAndResolve(JSON.parse(text))
  },
} as const
type Case = keyof typeof cases
const names = Object.keys(cases) as Array<Case>

/** Runs `fn` for about `millis`, returns milliseconds per call. */
const batch = (fn: () => void, millis: number): number => {
  let calls = 0
  const start = performance.now()
  let now = start
  while (now - start < millis) {
    fn()
    calls++
    now = performance.now()
  }
  return (now - start) / calls
}

for (const name of names) batch(cases[name], 300) // warm up
const samples = new Map<Case, Array<number>>(names.map((name) => [name, []]))
const rounds = 10
for (let round = 0; round < rounds; round++) {
  for (const name of names) {
    samples.get(name)!.push(batch(cases[name], (seconds * 1000) / rounds / names.length))
  }
}
void sink

const parseMs = median(samples.get("JSON.parse")!)
console.log(
  `Decode: one job with ${categories} included categories (${
    (text.length / 1024).toFixed(0)
  } KB of JSON), ${runtimeName} ${runtimeVersion}; median of ${rounds} alternating batches\n`,
)
console.log("| stage                                  | per document | vs JSON.parse |")
console.log("| -------------------------------------- | ------------ | ------------- |")
for (const name of names) {
  const ms = median(samples.get(name)!)
  console.log(
    `| ${name.padEnd(38)} | ${`${ms.toFixed(3)} ms`.padEnd(12)} | ${
      `${(ms / parseMs).toFixed(2)}x`.padEnd(13)
    } |`,
  )
}
const ratio = median(samples.get("parse + decode + resolve (text to job)")!) / parseMs
console.log(
  `\nTarget (text to job at most 5x JSON.parse): ${ratio <= 5 ? "met" : "MISSED"} (${ratio.toFixed(2)}x)`,
)

if (!flag("no-write")) {
  recordSection("decode", runtimeName, {
    version: runtimeVersion,
    date: new Date().toISOString(),
    command: `npm run bench:decode (categories ${categories}, seconds ${seconds})`,
    kilobytes: Math.round(text.length / 1024),
    msPerDocument: Object.fromEntries(names.map((name) => [name, median(samples.get(name)!)])),
    ratioToJsonParse: ratio,
  })
}
