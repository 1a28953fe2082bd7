/**
 * A Klaviyo stand-in that enforces each limit class in fixed windows of its own, in a process of
 * its own (so that the client's event loop does not delay its answers). It classifies requests
 * as revision 2026-07-15's `x-klaviyo-ratelimit` does, by itself (not from the library's table,
 * so that a wrong class in the table shows as 429s): every POST, and the GETs of item and variant
 * create and update jobs, are `jobs-write`; the other GETs `jobs-read`. POSTs are answered 202
 * with the job `queued`, GETs 200 with the job `complete`; a 429 carries `Retry-After` (whole
 * seconds) and no `RateLimit-*`, other answers the steady window's `RateLimit-Limit`,
 * `-Remaining` and `-Reset` (whole seconds).
 *
 * Usage: tsx bench/support/class-limited-server.ts '<json of ClassLimits>'
 * Prints `port <n>` when listening on 127.0.0.1; `GET /__stats` answers the counts per class.
 * Paths under `/warmup/` are answered without limits and not counted, so that a client can warm
 * up (compile its code, open its connections) on the same origin first.
 * Stops by itself after 15 minutes (every load test here is bounded). Import only its types.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** One fixed window. */
export interface FixedWindowLimit {
  readonly limit: number
  readonly windowMillis: number
}

/** A class's windows and where they start (milliseconds since the epoch, any phase). */
export interface ClassLimit {
  readonly burst: FixedWindowLimit
  readonly steady: FixedWindowLimit
  readonly phaseMillis: number
}

export type ClassName = "jobs-read" | "jobs-write"

export type ClassLimits = Readonly<Record<ClassName, ClassLimit>>

/** What the server counted for one class; `first` and `last` are arrival times (epoch ms). */
export interface ClassStats {
  requests: number
  throttled: number
  throttledBy: { burst: number; steady: number }
  first: number | undefined
  last: number | undefined
  /** Every arrival (epoch ms), in order. */
  arrivals: Array<number>
}

/** The class of a request, as the spec of revision 2026-07-15 says. */
const classOf = (method: string, path: string): ClassName =>
  method === "POST" || /^\/api\/catalog-(item|variant)-bulk-(create|update)-jobs(\/|$)/.test(path)
    ? "jobs-write"
    : "jobs-read"

interface Counter {
  readonly limit: FixedWindowLimit
  readonly steady: boolean
  index: number
  count: number
}

const makeClass = (limits: ClassLimit) => {
  const counters: Array<Counter> = [
    { limit: limits.burst, steady: false, index: Number.NaN, count: 0 },
    { limit: limits.steady, steady: true, index: Number.NaN, count: 0 },
  ]
  const stats: ClassStats = {
    requests: 0,
    throttled: 0,
    throttledBy: { burst: 0, steady: 0 },
    first: undefined,
    last: undefined,
    arrivals: [],
  }
  /** Counts a request at `now`: the headers of its answer, or the seconds of a 429's Retry-After. */
  const count = (now: number): Record<string, string> | number => {
    stats.requests++
    stats.first ??= now
    stats.last = now
    stats.arrivals.push(now)
    let blockedFor = 0
    for (const counter of counters) {
      const index = Math.floor((now - limits.phaseMillis) / counter.limit.windowMillis)
      if (index !== counter.index) {
        counter.index = index
        counter.count = 0
      }
      if (counter.count >= counter.limit.limit) {
        blockedFor = Math.max(blockedFor, limits.phaseMillis + (index + 1) * counter.limit.windowMillis - now)
        stats.throttledBy[counter.steady ? "steady" : "burst"]++
      }
    }
    if (blockedFor > 0) {
      stats.throttled++
      return Math.max(1, Math.ceil(blockedFor / 1000))
    }
    const headers: Record<string, string> = {}
    for (const counter of counters) {
      counter.count++
      if (!counter.steady) continue
      const resetMillis = limits.phaseMillis + (counter.index + 1) * counter.limit.windowMillis - now
      headers["ratelimit-limit"] = String(counter.limit.limit)
      headers["ratelimit-remaining"] = String(counter.limit.limit - counter.count)
      headers["ratelimit-reset"] = String(Math.max(0, Math.ceil(resetMillis / 1000)))
    }
    return headers
  }
  return { count, stats }
}

const jobBody = (method: string, path: string, n: number): string => {
  const type = /^\/api\/(catalog-[a-z]+-bulk-[a-z]+-job)s/.exec(path)?.[1] ??
    "catalog-category-bulk-update-job"
  const post = method === "POST"
  const id = post ? `01CLASSJOB${n}` : decodeURIComponent(path.replace(/\/$/, "").split("/").pop() ?? "")
  return JSON.stringify({
    data: {
      type,
      id,
      attributes: {
        status: post ? "queued" : "complete",
        created_at: "2026-11-27T14:00:00+00:00",
        total_count: 1,
      },
      links: { self: `https://a.klaviyo.com${path}` },
    },
  })
}

// Only types are imported from here by the tests (erased): the server starts when run.
{
  const limits = JSON.parse(process.argv[2] ?? "{}") as ClassLimits
  const classes = {
    "jobs-read": makeClass(limits["jobs-read"]),
    "jobs-write": makeClass(limits["jobs-write"]),
  }
  let served = 0
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!
    if (path === "/__stats") {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(
        JSON.stringify({
          "jobs-read": classes["jobs-read"].stats,
          "jobs-write": classes["jobs-write"].stats,
        }),
      )
      return
    }
    const method = req.method ?? "GET"
    // Paths under /warmup/ are answered without limits and not counted (a client warms up there).
    const warming = path.startsWith("/warmup/")
    const apiPath = warming ? path.slice("/warmup".length) : path
    // Counted on arrival, as the server's windows would; the body is read before answering.
    const counted = warming ? {} : classes[classOf(method, apiPath)].count(Date.now())
    req.resume()
    req.on("end", () => {
      if (typeof counted === "number") {
        res.writeHead(429, { "content-type": "application/vnd.api+json", "retry-after": String(counted) })
        res.end(
          JSON.stringify({ errors: [{ status: 429, code: "throttled", title: "Request was throttled." }] }),
        )
        return
      }
      res.writeHead(method === "POST" ? 202 : 200, { "content-type": "application/vnd.api+json", ...counted })
      res.end(jobBody(method, apiPath, ++served))
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, "127.0.0.1", () => {
    console.log(`port ${(server.address() as AddressInfo).port}`)
  })
  setTimeout(() => process.exit(0), 15 * 60_000).unref()
  process.on("SIGTERM", () => process.exit(0))
}
