/**
 * One process of a fleet: sends `count` requests, 8 at a time, through a client whose budget
 * is shared with the other processes through Redis. Prints one JSON line with what it saw.
 *
 * Usage: tsx fleet-worker.ts <redis url> <server url> <count> <limits json> <account>
 *          [concurrency] [--warmup] [--barrier]
 *
 * - `--warmup`: first sends 300 requests under the server's `/warmup/` path (answered without
 *   limits and not counted by `bench/support/limited-server.ts`), through a budget of its own
 *   (another account's keys, the same Redis), so that the code is compiled and the connections
 *   to the server are open, as in a process that has been running for a while.
 * - `--barrier`: once connected (and warmed up), prints `ready` and waits for a line on its
 *   standard input before it sends anything, so that a benchmark starts every process at once
 *   instead of measuring how long each took to load.
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
import { flag } from "../../bench/support/stats.ts"

const args = process.argv.slice(2)
const warmup = flag("warmup")
const barrier = flag("barrier")
const [redisUrl, serverUrl, countText, limitsJson, account, concurrencyText] = args.filter((arg) =>
  !arg.startsWith("--")
)
const limits = JSON.parse(limitsJson!)
const concurrency = Number(concurrencyText ?? 8)

const redis = NodeRedis.layer({ url: redisUrl! })
const clientFor = (baseUrl: string, budgetAccount: string) =>
  KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl, rateLimit: "shared", retry: false }).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.provide(
      RateLimitBudget.layer({ ...limits, account: budgetAccount, storeTimeout: "2 seconds" }).pipe(
        Layer.provide(RateLimiter.layerStoreRedis()),
      ),
    ),
  )

const send = (count: number) =>
  Effect.forEach(
    Array.from({ length: count }),
    () => Effect.exit(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)),
    { concurrency },
  )

/** Prints `ready` and resolves on the first line read from standard input. */
const awaitGo = () =>
  new Promise<void>((resolve) => {
    process.stdin.once("data", () => {
      process.stdin.destroy()
      resolve()
    })
    console.log("ready")
  })

const program = Effect.gen(function* () {
  if (warmup) {
    yield* send(300).pipe(
      Effect.provide(clientFor(`${serverUrl}/warmup`, `${account}:warmup:${process.pid}`)),
    )
  }
  if (barrier) yield* Effect.promise(awaitGo)
  const start = Date.now()
  const cpuAtStart = process.cpuUsage()
  const exits = yield* send(Number(countText)).pipe(Effect.provide(clientFor(serverUrl!, account!)))
  return { exits, start, end: Date.now(), cpu: process.cpuUsage(cpuAtStart) }
}).pipe(Effect.provide(redis))

const { cpu, end, exits, start } = await Effect.runPromise(program)
const failures = exits.flatMap((exit) =>
  exit._tag === "Failure"
    ? [String(exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : exit.cause)]
    : []
)
console.log(
  JSON.stringify({
    ok: exits.length - failures.length,
    failures,
    elapsed: end - start,
    start,
    end,
    cpuMillis: Math.round((cpu.user + cpu.system) / 1000),
  }),
)
