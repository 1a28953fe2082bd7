/**
 * `npm run bench:decode [-- --count 1000 --seconds 4]`
 *
 * The library's decode and resolve stages (src/internal/jsonapi.ts, exactly as the pipeline runs
 * them) on two job documents, each against `JSON.parse` of the same text, measured in the same
 * run: alternating batches, the median batch of each.
 *
 * - a `catalog-category-bulk-update-job` with `count` included categories (the seed endpoint);
 * - a `catalog-item-bulk-create-job` with `count` included items (the resource with the most
 *   attributes: strings, a number, a list, an object, two timestamps), decoded through the same
 *   generic path, derived from the item Schema (no hand-written twin per resource).
 *
 * Printed: time per document for `JSON.parse` alone, for decode + resolve of the parsed value,
 * and for the whole text-to-job path (parse + decode + resolve), each with its ratio to
 * `JSON.parse`. Targets: text to job at most 5x `JSON.parse` for categories, at most 2.5x for items.
 */
import * as Effect from "effect/Effect"
import type { GetEndpoint } from "../src/internal/pipeline.ts"
import { buildRequest } from "../src/internal/pipeline.ts"
import { decodePrimary, resolveIncluded } from "../src/internal/jsonapi.ts"
import { bulkJobResource, catalogCategoryResource } from "../src/resources.ts"
import { itemResource } from "../src/resources/catalog-item.ts"
import { parseRevision, type Revision } from "../src/revision.ts"
import { BENCH_ITEM_JOB_ID, itemJobDocumentText } from "./support/item-document.ts"
import { BENCH_JOB_ID, jobDocumentText } from "./support/job-document.ts"
import { recordSection } from "./support/results.ts"
import { arg, flag, median, runtimeName, runtimeVersion } from "./support/stats.ts"

const count = arg("count", arg("categories", 1000))
const seconds = arg("seconds", 4)
const revision = parseRevision("2026-07-15") as Revision

interface Subject {
  readonly label: string
  readonly relationship: string
  readonly endpoint: GetEndpoint
  readonly jobId: string
  readonly text: string
  readonly target: number
}

/** The same declarations as the table's rows make. */
const subjects: ReadonlyArray<Subject> = [
  {
    label: "categories",
    relationship: "categories",
    endpoint: {
      operation: "getCatalogCategoryBulkUpdateJob",
      collectionPath: "/api/catalog-category-bulk-update-jobs",
      resource: bulkJobResource("catalog-category-bulk-update-job"),
      includes: { categories: catalogCategoryResource },
    },
    jobId: BENCH_JOB_ID,
    text: jobDocumentText({ categories: count }),
    target: 5,
  },
  {
    label: "items",
    relationship: "items",
    endpoint: {
      operation: "getCatalogItemBulkCreateJob",
      collectionPath: "/api/catalog-item-bulk-create-jobs",
      resource: bulkJobResource("catalog-item-bulk-create-job"),
      includes: { items: itemResource },
    },
    jobId: BENCH_ITEM_JOB_ID,
    text: itemJobDocumentText({ items: count }),
    target: 2.5,
  },
]

const decoderOf = (subject: Subject) => {
  const prepared = Effect.runSync(
    buildRequest(subject.endpoint, subject.jobId, { include: [subject.relationship] }, revision),
  )
  const url = `https://a.klaviyo.com${prepared.request.path}?include=${subject.relationship}`
  return (body: unknown) =>
    Effect.runSync(
      Effect.flatMap(
        decodePrimary(subject.endpoint.resource, prepared, body, url),
        (document) => resolveIncluded(document, prepared.inclusions),
      ),
    )
}

const stages = [
  "JSON.parse",
  "decode + resolve (parsed value)",
  "parse + decode + resolve (text to job)",
] as const
type Stage = typeof stages[number]

let sink: unknown
const cases = subjects.map((subject) => {
  const decode = decoderOf(subject)
  // Check once that the document is what the bench claims.
  const job = decode(JSON.parse(subject.text))
  const resolved = job[subject.relationship]
  const unresolved = job["unresolved"]
  if (
    !Array.isArray(resolved) || !Array.isArray(unresolved) || resolved.length !== count ||
    unresolved.length !== 0
  ) {
    throw new Error(`expected ${count} resolved ${subject.label}`)
  }
  const parsed = JSON.parse(subject.text)
  const run: Record<Stage, () => void> = {
    "JSON.parse": () => {
      sink = JSON.parse(subject.text)
    },
    "decode + resolve (parsed value)": () => {
      sink = decode(parsed)
    },
    "parse + decode + resolve (text to job)": () => {
      sink = decode(JSON.parse(subject.text))
    },
  }
  return { subject, run, samples: new Map<Stage, Array<number>>(stages.map((stage) => [stage, []])) }
})

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

for (const { run } of cases) for (const stage of stages) batch(run[stage], 300) // warm up
const rounds = 10
const slice = (seconds * 1000) / rounds / stages.length / cases.length
for (let round = 0; round < rounds; round++) {
  for (const { run, samples } of cases) {
    for (const stage of stages) samples.get(stage)!.push(batch(run[stage], slice))
  }
}
void sink

const results: Record<string, unknown> = {}
for (const { subject, samples } of cases) {
  const parseMs = median(samples.get("JSON.parse")!)
  console.log(
    `Decode: one job with ${count} included ${subject.label} (${
      (subject.text.length / 1024).toFixed(0)
    } KB of JSON), ${runtimeName} ${runtimeVersion}; median of ${rounds} alternating batches\n`,
  )
  console.log("| stage                                  | per document | vs JSON.parse |")
  console.log("| -------------------------------------- | ------------ | ------------- |")
  for (const stage of stages) {
    const ms = median(samples.get(stage)!)
    console.log(
      `| ${stage.padEnd(38)} | ${`${ms.toFixed(3)} ms`.padEnd(12)} | ${
        `${(ms / parseMs).toFixed(2)}x`.padEnd(13)
      } |`,
    )
  }
  const ratio = median(samples.get("parse + decode + resolve (text to job)")!) / parseMs
  console.log(
    `\nTarget (text to job at most ${subject.target}x JSON.parse): ${
      ratio <= subject.target ? "met" : "MISSED"
    } (${ratio.toFixed(2)}x)\n`,
  )
  results[subject.label] = {
    kilobytes: Math.round(subject.text.length / 1024),
    msPerDocument: Object.fromEntries(stages.map((stage) => [stage, median(samples.get(stage)!)])),
    ratioToJsonParse: ratio,
    target: subject.target,
  }
}

if (!flag("no-write")) {
  recordSection("decode", runtimeName, {
    version: runtimeVersion,
    date: new Date().toISOString(),
    command: `npm run bench:decode (count ${count}, seconds ${seconds})`,
    ...results,
  })
}
