/**
 * One process of a fleet: sends `count` requests, 8 at a time, through a client whose budget
 * is shared with the other processes through Redis. Prints one JSON line with what it saw.
 *
 * Usage: tsx fleet-worker.ts <redis url> <server url> <count> <limits json> <account> [concurrency]
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  RateLimitBudget,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../../mod.ts"

const [redisUrl, serverUrl, countText, limitsJson, account] = process.argv.slice(2)
const limits = JSON.parse(limitsJson!)

const budget = RateLimitBudget.layer({ ...limits, account, storeTimeout: "2 seconds" }).pipe(
  Layer.provide(RateLimiter.layerStoreRedis()),
  Layer.provide(NodeRedis.layer({ url: redisUrl! })),
)
const client = KlaviyoClient.layer({
  apiKey: SIMULATED_API_KEY,
  baseUrl: serverUrl!,
  rateLimit: "shared",
  retry: false,
})
  .pipe(Layer.provide(FetchHttpClient.layer))

const start = Date.now()
const exits = await Effect.forEach(
  Array.from({ length: Number(countText) }),
  () => Effect.exit(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)),
  { concurrency: Number(process.argv[7] ?? 8) },
).pipe(Effect.provide(client), Effect.provide(budget), Effect.runPromise)
const failures = exits.flatMap((exit) =>
  exit._tag === "Failure"
    ? [String(exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : exit.cause)]
    : []
)
const end = Date.now()
console.log(
  JSON.stringify({ ok: exits.length - failures.length, failures, elapsed: end - start, start, end }),
)
