/**
 * A Klaviyo stand-in for the overhead and memory benchmarks, in a process of its own (so that the
 * client's event loop does not slow it). It answers three calls, each with the same precomputed
 * bytes every time, so that every client is served the same work:
 *
 * - `GET /api/catalog-category-bulk-update-jobs/<BENCH_JOB_ID>?include=categories`: the job with
 *   `<categories>` included categories;
 * - `POST /api/catalog-category-bulk-create-jobs` (a body naming the job type): 202 and the queued
 *   job of `<records>` records (the body is read to its end, not parsed);
 * - `GET /api/catalog-category-bulk-create-jobs`: one page of `<jobs>` jobs, no next page.
 *
 * Usage: tsx bench/support/job-server.ts <categories> [<records> <jobs>]
 * Prints `port <n>` when listening on 127.0.0.1; `GET /__stats` answers the request counts.
 * A request without the bench key or the revision header gets a 401 or 400 (so that a client
 * that sends the wrong headers is noticed, not measured). Stops by itself after 20 minutes.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { CREATE_JOBS_PATH, createAnswerText, listPageText } from "./family-documents.ts"
import { BENCH_API_KEY, BENCH_JOB_ID, BENCH_REVISION, jobDocumentText } from "./job-document.ts"

const categories = Number(process.argv[2] ?? "100")
const records = Number(process.argv[3] ?? "100")
const jobs = Number(process.argv[4] ?? "100")
const stats = { ok: 0, rejected: 0 }
let body: Buffer | undefined
let createAnswer: Buffer | undefined
let listPage: Buffer | undefined
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
  if (req.headers["authorization"] !== `Klaviyo-API-Key ${BENCH_API_KEY}`) {
    return reject(res, 401, "not_authenticated", "missing or wrong API key")
  }
  if (req.headers["revision"] !== BENCH_REVISION) return reject(res, 400, "invalid", "revision header")
  if (path === CREATE_JOBS_PATH || path === `${CREATE_JOBS_PATH}/`) {
    return req.method === "POST" ? create(req, res) : answer(res, 200, listPage!)
  }
  if (path !== jobPath && path !== `${jobPath}/`) return reject(res, 404, "not_found", `no route ${path}`)
  if (!new URLSearchParams(query).getAll("include").includes("categories")) {
    return reject(res, 400, "invalid", "the bench serves only include=categories")
  }
  answer(res, 200, body!)
})

function answer(res: http.ServerResponse, status: number, bytes: Buffer): void {
  stats.ok++
  res.writeHead(status, {
    "content-type": "application/vnd.api+json",
    "content-length": bytes.byteLength,
    "ratelimit-limit": "3500",
    "ratelimit-remaining": "3499",
    "ratelimit-reset": "59",
  })
  res.end(bytes)
}

/** The POST: its body read to the end, checked to name the job type, then the queued job. */
function create(req: http.IncomingMessage, res: http.ServerResponse): void {
  const chunks: Array<Buffer> = []
  req.on("data", (chunk: Buffer) => chunks.push(chunk))
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8")
    if (!text.includes('"catalog-category-bulk-create-job"') || !text.includes("BENCH-NEW-00000")) {
      return reject(res, 400, "invalid", "the body is not the bench's create job")
    }
    answer(res, 202, createAnswer!)
  })
}
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  body = Buffer.from(jobDocumentText({ categories, origin }))
  createAnswer = Buffer.from(createAnswerText({ records, origin }))
  listPage = Buffer.from(listPageText({ jobs, origin }))
  console.log(`port ${port}`)
})
setTimeout(() => process.exit(0), 20 * 60_000).unref()
process.on("SIGTERM", () => process.exit(0))
