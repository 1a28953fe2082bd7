/**
 * A real HTTP server on 127.0.0.1 that behaves like Klaviyo: it mounts the library's own
 * simulator model (one model of Klaviyo, not two fakes), records every request, and can be told
 * to answer the next requests differently (a status, a body, a redirect, silence).
 */
import * as http from "node:http"
import { afterAll, beforeAll, beforeEach } from "vitest"
import type { AddressInfo } from "node:net"
import { type KlaviyoModel, type KlaviyoSimulatorOptions, makeKlaviyoModel } from "../../mod.ts"

/** A request as the server saw it. */
export interface RecordedRequest {
  readonly method: string
  /** Path and query exactly as sent. */
  readonly target: string
  readonly url: URL
  readonly headers: Readonly<Record<string, string | undefined>>
  /** The body as sent (empty for a GET), as text. */
  readonly body: string
}

/** A scripted answer: a plain response, `"hang"` to never answer, or a raw handler. */
export type Scripted =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | "hang"
  | { readonly raw: (req: http.IncomingMessage, res: http.ServerResponse) => void }

export interface TestServer {
  readonly url: string
  readonly model: KlaviyoModel
  readonly requests: Array<RecordedRequest>
  /** Answers the next requests with these, in order, before falling back to the model. */
  readonly script: (...answers: ReadonlyArray<Scripted>) => void
  /** How many requests are being held open by a `"hang"` script right now. */
  readonly hanging: () => number
  readonly close: () => Promise<void>
}

const flatHeaders = (headers: http.IncomingHttpHeaders): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]))

export const startServer = async (options: KlaviyoSimulatorOptions = {}): Promise<TestServer> => {
  const model = makeKlaviyoModel(options)
  const requests: Array<RecordedRequest> = []
  const queue: Array<Scripted> = []
  const hanging = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const scripted = queue[0]
    // A raw handler reads the request itself; every other answer waits for the whole body.
    if (scripted !== undefined && scripted !== "hang" && "raw" in scripted) return handle(req, res, "")
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => handle(req, res, Buffer.concat(chunks).toString("utf8")))
  })
  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const target = req.url ?? "/"
    const url = new URL(target, `http://${req.headers.host ?? "127.0.0.1"}`)
    const headers = flatHeaders(req.headers)
    requests.push({ method: req.method ?? "GET", target, url, headers, body })
    const scripted = queue.shift()
    if (scripted === "hang") {
      hanging.add(res)
      res.on("close", () => hanging.delete(res))
      return
    }
    if (scripted !== undefined && "raw" in scripted) {
      hanging.add(res)
      res.on("close", () => hanging.delete(res))
      scripted.raw(req, res)
      return
    }
    const answer = scripted ?? model.handle({ method: req.method ?? "GET", url: url.href, headers, body })
    // The model's faults, as a real server would meet them: a reset connection, a late answer.
    if ("reset" in answer && answer.reset === true) {
      req.socket.destroy()
      return
    }
    const send = () => {
      res.writeHead(answer.status, { ...answer.headers })
      res.end(answer.body ?? "")
    }
    const delay = "delayMillis" in answer && typeof answer.delayMillis === "number" ? answer.delayMillis : 0
    if (delay > 0) {
      hanging.add(res)
      const timer = setTimeout(send, delay)
      res.on("close", () => {
        clearTimeout(timer)
        hanging.delete(res)
      })
    } else send()
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    model,
    requests,
    script: (...answers) => {
      // Called with no answers, it clears what is left of the script.
      if (answers.length === 0) queue.length = 0
      queue.push(...answers)
    },
    hanging: () => hanging.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Starts a server for the tests of a file (before all), closes it (after all) and clears its
 * record of requests before each test; `use` receives it.
 */
export const useServer = (use: (server: TestServer) => void, options: KlaviyoSimulatorOptions = {}): void => {
  let server: TestServer | undefined
  beforeAll(async () => {
    server = await startServer(options)
    use(server)
  })
  afterAll(() => server?.close())
  beforeEach(() => {
    if (server !== undefined) server.requests.length = 0
  })
}

/** The `external_id` of every category in the POSTs the server received, sorted. */
export const postedExternalIds = (server: TestServer): Array<string> =>
  server.requests.filter((r) => r.method === "POST").flatMap((r) =>
    (JSON.parse(r.body) as {
      data: { attributes: { categories: { data: Array<{ attributes: { external_id: string } }> } } }
    }).data.attributes.categories.data.map((record) => record.attributes.external_id)
  ).sort()

/** The POSTs and the jobs created the server's model counted for job type `job`. */
export const jobCounts = (
  server: TestServer,
  job: keyof KlaviyoModel["stats"]["posts"] & keyof KlaviyoModel["stats"]["jobsCreated"],
): { posts: number; jobsCreated: number } => ({
  posts: server.model.stats.posts[job],
  jobsCreated: server.model.stats.jobsCreated[job],
})
