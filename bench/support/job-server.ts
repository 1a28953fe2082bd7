/**
 * A Klaviyo stand-in for the overhead and memory benchmarks, in a process of its own (so that the
 * client's event loop does not slow it): it answers one job, `GET
 * /api/catalog-category-bulk-update-jobs/<BENCH_JOB_ID>?include=categories`, with the same
 * precomputed bytes every time, so that every client is served the same work.
 *
 * Usage: tsx bench/support/job-server.ts <categories>
 * Prints `port <n>` when listening on 127.0.0.1; `GET /__stats` answers the request counts.
 * A request without the bench key or the revision header gets a 401 or 400 (so that a client
 * that sends the wrong headers is noticed, not measured). Stops by itself after 20 minutes.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { BENCH_API_KEY, BENCH_JOB_ID, BENCH_REVISION, jobDocumentText } from "./job-document.ts"

const categories = Number(process.argv[2] ?? "100")
const stats = { ok: 0, rejected: 0 }
let body: Buffer | undefined
const jobPath = `/api/catalog-category-bulk-update-jobs/${BENCH_JOB_ID}`

const reject = (res: http.ServerResponse, status: number, code: string, detail: string) => {
  stats.rejected++
  res.writeHead(status, { "content-type": "application/vnd.api+json" })
  res.end(JSON.stringify({ errors: [{ id: "bench", status, code, title: code, detail, source: {} }] }))
}

const server = http.createServer((req, res) => {
  const url = req.url ?? "/"
  if (url === "/__stats") {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify(stats))
    return
  }
  const [path, query = ""] = url.split("?", 2) as [string, string?]
  if (path !== jobPath && path !== `${jobPath}/`) return reject(res, 404, "not_found", `no route ${path}`)
  if (req.headers["authorization"] !== `Klaviyo-API-Key ${BENCH_API_KEY}`) {
    return reject(res, 401, "not_authenticated", "missing or wrong API key")
  }
  if (req.headers["revision"] !== BENCH_REVISION) return reject(res, 400, "invalid", "revision header")
  if (!new URLSearchParams(query).getAll("include").includes("categories")) {
    return reject(res, 400, "invalid", "the bench serves only include=categories")
  }
  stats.ok++
  res.writeHead(200, {
    "content-type": "application/vnd.api+json",
    "content-length": body!.byteLength,
    "ratelimit-limit": "3500",
    "ratelimit-remaining": "3499",
    "ratelimit-reset": "59",
  })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const port = (server.address() as AddressInfo).port
  body = Buffer.from(jobDocumentText({ categories, origin: `http://127.0.0.1:${port}` }))
  console.log(`port ${port}`)
})
setTimeout(() => process.exit(0), 20 * 60_000).unref()
process.on("SIGTERM", () => process.exit(0))
