/**
 * One process of a fleet of writers: runs its own `bulkWrite` of `count` category creates (ids
 * `<prefix>-<i>`), its POSTs and polls within a budget and its jobs in progress within an
 * in-flight cap, both shared with the other processes through Redis. Prints one JSON line.
 *
 * Usage: tsx fleet-write-worker.ts <redis url> <server url> <prefix> <count> <maxInFlight> <limits json>
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { RateLimiter } from "effect/persistence"
import { bulkWrite, InFlightCap, KlaviyoClient, RateLimitBudget, SIMULATED_API_KEY } from "../../mod.ts"

const [redisUrl, serverUrl, prefix, countText, maxInFlightText, limitsJson] = process.argv.slice(2)
const account = "fleet-write-test"
const redis = NodeRedis.layer({ url: redisUrl! })
const client = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: serverUrl!, rateLimit: "shared" })
  .pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.provide(
      RateLimitBudget.layer({ ...JSON.parse(limitsJson!), account, storeTimeout: "2 seconds" }).pipe(
        Layer.provide(RateLimiter.layerStoreRedis()),
      ),
    ),
  )
const cap = InFlightCap.layerRedis({ account, lease: "10 seconds", pollInterval: "100 millis" })

const records = Array.from({ length: Number(countText) }, (_, i) => ({
  external_id: `${prefix}-${i}`,
  name: `Category ${prefix} ${i}`,
}))

const seen: Array<number> = []
const report = await bulkWrite({ resource: "catalog-category", operation: "create" }, records, {
  maxInFlight: Number(maxInFlightText),
  pollInterval: "100 millis",
  onOutcome: (outcome) => seen.push(outcome.index),
}).pipe(Effect.provide(Layer.mergeAll(client, cap)), Effect.provide(redis), Effect.runPromise)

console.log(JSON.stringify({
  records: report.records,
  succeeded: report.succeeded,
  jobs: report.jobs,
  outcomeIndexes: seen.sort((a, b) => a - b),
  failed: report.failed.map((o) => ({ index: o.index, key: o.key, details: o.errors.map((e) => e.detail) })),
  unknown: report.unknown.length,
}))
