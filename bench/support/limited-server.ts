/**
 * A Klaviyo stand-in for benchmarks, in a process of its own (so that the client's event loop
 * does not delay its answers): the library's simulator model enforcing fixed windows.
 *
 * Usage: tsx bench/support/limited-server.ts '<json of SimulatedRateLimit>'
 * Prints `port <n>` when listening on 127.0.0.1; `GET /__stats` answers the model's counts.
 * Paths under `/warmup/` are answered by a second model without limits and are not counted, so
 * that a client can warm up (compile its code, open its connections) on the same origin.
 * Stops by itself after 15 minutes (every load test here is bounded).
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { makeKlaviyoModel, type SimulatedRateLimit } from "../../mod.ts"

const rateLimit = JSON.parse(process.argv[2] ?? "{}") as SimulatedRateLimit
const model = makeKlaviyoModel({ rateLimit })
const warmup = makeKlaviyoModel()

const server = http.createServer((req, res) => {
  if (req.url === "/__stats") {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify(model.stats))
    return
  }
  const path = req.url ?? "/"
  const warming = path.startsWith("/warmup/")
  const answer = (warming ? warmup : model).handle({
    method: req.method ?? "GET",
    url: `http://127.0.0.1${warming ? path.slice("/warmup".length) : path}`,
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  })
  res.writeHead(answer.status, answer.headers)
  res.end(answer.body)
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  console.log(`port ${(server.address() as AddressInfo).port}`)
})
setTimeout(() => process.exit(0), 15 * 60_000).unref()
process.on("SIGTERM", () => process.exit(0))
