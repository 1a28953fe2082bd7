/**
 * `node --import tsx --trace-gc bench/decode-gc.ts` (or `--cpu-prof`)
 *
 * A short loop of decode + resolve (as the pipeline runs them, inclusions given to the decoder)
 * of the 100-category job document, parsed once: what the decode stage alone allocates. It
 * prints `START` and `END` on stderr around the measured loop (N documents, 20,000 unless `N`
 * is set), so that the scavenges of `--trace-gc` between them can be counted.
 */
import * as Effect from "effect/Effect"
import { buildRequest, type GetEndpoint } from "../src/internal/pipeline.ts"
import { decodePrimary, resolveIncluded } from "../src/internal/jsonapi.ts"
import { bulkJobResource, catalogCategoryResource } from "../src/resources.ts"
import { parseRevision, type Revision } from "../src/revision.ts"
import { BENCH_JOB_ID, jobDocumentText } from "./support/job-document.ts"

const n = Number(process.env["N"] ?? 20000)
const endpoint: GetEndpoint = {
  operation: "getCatalogCategoryBulkUpdateJob",
  collectionPath: "/api/catalog-category-bulk-update-jobs",
  resource: bulkJobResource("catalog-category-bulk-update-job"),
  includes: { categories: catalogCategoryResource },
}
const revision = parseRevision("2026-07-15") as Revision
const prepared = Effect.runSync(buildRequest(endpoint, BENCH_JOB_ID, { include: ["categories"] }, revision))
const body: unknown = JSON.parse(jobDocumentText({ categories: 100 }))
const run = (): unknown =>
  Effect.runSync(
    Effect.flatMap(
      decodePrimary(endpoint.resource, prepared, body, "u"),
      (document) => resolveIncluded(document, prepared.inclusions),
    ),
  )
let sink: unknown
for (let i = 0; i < 2000; i++) sink = run()
console.error("START")
const start = performance.now()
for (let i = 0; i < n; i++) sink = run()
console.error(`END ${((performance.now() - start) / n * 1000).toFixed(2)} us per document`)
void sink
