/**
 * A Klaviyo stand-in for `bench:write`, in a process of its own (so that the client's event loop
 * does not delay its answers): the library's simulator model behind `node:http`, enforcing the
 * limit classes' fixed windows (`rateLimits`), Klaviyo's validation (100 records, 5 MB, jobs in
 * progress) and processing every job it creates at `processing.perSecond` records a second
 * after `processing.queuedMillis`.
 *
 * Usage: tsx bench/support/write-server.ts '<json of WriteServerOptions>'
 * Prints `port <n>` when listening on 127.0.0.1; `GET /__stats` answers the model's counts
 * (`SimulatorStats`: 429s per class, jobs created, the peak of jobs in progress). Paths under
 * `/warmup/` are answered by a second model without limits and are not counted, so that a client
 * can warm up (compile its code, open its connections) on the same origin first.
 * Stops by itself after 15 minutes (every load test here is bounded). Import only its types.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import type { SimulatedProcessing, SimulatedRateLimits } from "../../mod.ts"

/** What the server enforces and how its jobs move. */
export interface WriteServerOptions {
  readonly rateLimits: SimulatedRateLimits
  readonly processing: SimulatedProcessing
  readonly jobsInProgress: number
}

// Only types are imported from here by the bench (erased): the server starts when run.
if (process.argv[1]?.endsWith("write-server.ts")) {
  const { makeKlaviyoModel } = await import("../../mod.ts")
  const options = JSON.parse(process.argv[2] ?? "{}") as WriteServerOptions
  const model = makeKlaviyoModel({
    jobs: [],
    rateLimits: options.rateLimits,
    processing: options.processing,
    limits: { jobsInProgress: options.jobsInProgress },
  })
  const warmup = makeKlaviyoModel({ jobs: [], processing: { queuedMillis: 0, perSecond: 1_000_000 } })
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/"
    if (path === "/__stats") {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify(model.stats))
      return
    }
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const warming = path.startsWith("/warmup/")
      const answer = (warming ? warmup : model).handle({
        method: req.method ?? "GET",
        url: `http://127.0.0.1${warming ? path.slice("/warmup".length) : path}`,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        ),
        body: chunks.length === 0 ? undefined : Buffer.concat(chunks).toString("utf8"),
      })
      res.writeHead(answer.status, answer.headers)
      res.end(answer.body)
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, "127.0.0.1", () => {
    console.log(`port ${(server.address() as AddressInfo).port}`)
  })
  setTimeout(() => process.exit(0), 15 * 60_000).unref()
  process.on("SIGTERM", () => process.exit(0))
}
