/**
 * `npm start [-- <job_id>]`: fetches a catalog category bulk update job with its categories
 * and prints it. Against the real API when `KLAVIYO_API_KEY` (or `KLAVIYO_ACCESS_TOKEN`) is
 * set, against the built-in simulated Klaviyo otherwise; it says which.
 *
 * Exit codes: 0 fetched, 2 usage or invalid input, 3 API, network or decoding error.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import {
  type CatalogCategoryBulkUpdateJob,
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  type KlaviyoError,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "./mod.ts"

type FullJob = CatalogCategoryBulkUpdateJob<{ include: ["categories"] }>

const env = (name: string): string | undefined => {
  const value = process.env[name]
  return value === undefined || value === "" ? undefined : value
}

const when = (date: Date | null | undefined): string =>
  date === null || date === undefined
    ? "-"
    : `${date.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "")} UTC`

/** Renders a job for a person: a table of its attributes, then its errors and categories. */
export const renderJob = (job: FullJob): string => {
  const lines = [
    `Job ${job.id} (${job.type})`,
    `  status      ${job.status}`,
    `  progress    ${job.completed_count ?? 0} of ${job.total_count} completed, ${
      job.failed_count ?? 0
    } failed`,
    `  created     ${when(job.created_at)}`,
    `  completed   ${when(job.completed_at)}`,
    `  expires     ${when(job.expires_at)}`,
  ]
  const errors = job.errors ?? []
  lines.push(`  errors      ${errors.length === 0 ? "none" : errors.length}`)
  for (const error of errors) {
    const where = error.source?.pointer ? ` (at ${error.source.pointer})` : ""
    lines.push(`    - ${error.code}: ${error.title}: ${error.detail}${where}`)
  }
  lines.push(`  categories  ${job.categories.length}`)
  const width = Math.max(0, ...job.categories.map((category) => category.id.length))
  for (const category of job.categories) {
    lines.push(
      `    ${category.id.padEnd(width)}  ${category.name ?? "-"}  (updated ${when(category.updated)})`,
    )
  }
  for (const missing of job.unresolved) {
    lines.push(`    ${missing.id.padEnd(width)}  (not in the response's included resources)`)
  }
  return lines.join("\n")
}

const main = Effect.gen(function* () {
  const apiKey = env("KLAVIYO_API_KEY") !== undefined
  const live = apiKey || env("KLAVIYO_ACCESS_TOKEN") !== undefined
  const jobId = process.argv[2] ?? (live ? undefined : SIMULATED_JOB_ID)
  if (jobId === undefined) {
    console.error("usage: npm start -- <job_id>   (a job id is needed against the real API)")
    return 2
  }
  console.log(
    live
      ? `Asking Klaviyo at ${env("KLAVIYO_BASE_URL") ?? "https://a.klaviyo.com"} (${
        apiKey ? "KLAVIYO_API_KEY" : "KLAVIYO_ACCESS_TOKEN"
      } is set).`
      : "No KLAVIYO_API_KEY set: asking the built-in simulated Klaviyo.",
  )
  const layer = live
    ? KlaviyoClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
    : KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY }).pipe(Layer.provide(KlaviyoSimulator.layer()))
  return yield* getCatalogCategoryBulkUpdateJob(jobId, { include: ["categories"] }).pipe(
    Effect.map((job) => {
      console.log(renderJob(job))
      return 0
    }),
    // Provided before the errors are handled, so that a bad option (KLAVIYO_REVISION=bad) is handled too.
    Effect.provide(layer),
    Effect.catchTags({
      InvalidRequest: (error) => report(error, 2),
      KlaviyoApiError: (error) => report(error, 3),
      TransportError: (error) => report(error, 3),
      DecodeError: (error) => report(error, 3),
      ConfigError: (error) => report(error, 2),
    }),
  )
})

const report = (error: KlaviyoError | { readonly _tag: string; readonly message: string }, code: number) =>
  Effect.sync(() => {
    console.error(`${error._tag}: ${error.message}`)
    return code
  })

Effect.runPromise(main).then(
  (code) => {
    process.exitCode = code
  },
  (defect: unknown) => {
    console.error(defect)
    process.exitCode = 3
  },
)
