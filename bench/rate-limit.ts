/**
 * `npm run bench:rate-limit [-- --requests 7000 --trials 1 --margin 100 --steady-ms 3000]`
 *
 * A local server on 127.0.0.1 enforces Klaviyo's fixed windows, scaled down in time (burst 35
 * per 100 ms, steady 350 per 3 s), at a random phase. The client sends the requests as fast as
 * its rate-limit budget allows (16 at a time; `--concurrency N`) and the script prints the 429 count, the elapsed
 * time, the theoretical minimum (a client that knew the server's phase), the phase-agnostic
 * minimum (the best any client that does not know it can do: `limit` per `window` from its
 * first send) and the utilisation (theoretical minimum over elapsed).
 *
 * Target: zero 429s and at least 95% utilisation.
 */
import { monitorEventLoopDelay } from "node:perf_hooks"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { getCatalogCategoryBulkUpdateJob, KlaviyoClient, SIMULATED_API_KEY, SIMULATED_JOB_ID } from "../mod.ts"
import { minimumTime } from "../test/support/fixed-windows.ts"
import { spawnLimitedServer } from "./support/spawn-server.ts"
import { arg } from "./support/stats.ts"

const requests = arg("requests", 7000)
const trials = arg("trials", 1)
const burst = { limit: 35, windowMillis: 100 }
const steady = { limit: 350, windowMillis: arg("steady-ms", 3000) }
const margin = arg("margin", 100)

const trial = async (index: number) => {
  const phase = Date.now() + Math.floor(Math.random() * steady.windowMillis)
  const server = await spawnLimitedServer({ burst, steady, phaseMillis: phase })
  const client = KlaviyoClient.layer({
    apiKey: SIMULATED_API_KEY,
    baseUrl: server.url,
    retry: false,
    rateLimit: {
      burst: { limit: burst.limit, window: `${burst.windowMillis} millis` },
      steady: { limit: steady.limit, window: `${steady.windowMillis} millis` },
      margin: `${margin} millis`,
    },
  }).pipe(Layer.provide(FetchHttpClient.layer))
  const lag = monitorEventLoopDelay({ resolution: 5 })
  lag.enable()
  const start = Date.now()
  const failures = await Effect.forEach(
    Array.from({ length: requests }),
    () => Effect.exit(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)),
    { concurrency: arg("concurrency", 16) },
  ).pipe(
    Effect.map((exits) => exits.filter((exit) => exit._tag === "Failure").length),
    Effect.provide(client),
    Effect.runPromise,
  )
  const elapsed = Date.now() - start
  lag.disable()
  const stats = await server.stats()
  server.stop()
  const theoretical = minimumTime(requests, [burst, steady], phase, start)
  const agnostic = minimumTime(requests, [burst, steady], start, start)
  return {
    trial: index + 1,
    requests,
    "429s": stats.throttled,
    "429s (burst/steady)": `${stats.throttledBy.burst}/${stats.throttledBy.steady}`,
    failures,
    "elapsed (s)": (elapsed / 1000).toFixed(2),
    "theoretical min (s)": (theoretical / 1000).toFixed(2),
    "phase-agnostic min (s)": (agnostic / 1000).toFixed(2),
    utilisation: `${((100 * theoretical) / elapsed).toFixed(1)}%`,
    "vs phase-agnostic": `${((100 * agnostic) / elapsed).toFixed(1)}%`,
    "client loop lag p99/max (ms)": `${(lag.percentile(99) / 1e6).toFixed(0)}/${(lag.max / 1e6).toFixed(0)}`,
  }
}

console.log(
  `rate-limit bench: ${requests} requests, burst ${burst.limit}/${burst.windowMillis} ms, steady ${steady.limit}/${steady.windowMillis} ms, margin ${margin} ms, ${process.release.name} ${process.version}`,
)
const rows = []
for (let i = 0; i < trials; i++) rows.push(await trial(i))
console.table(rows)
