/**
 * The fault matrix: each fault against the real local server, with the tag it must end in and
 * the number of requests it must take.
 */
import { Effect, Exit, Fiber, Logger } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  type KlaviyoClientBaseOptions,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { clientLayer, run, runError } from "./support/run.ts"
import { type TestServer, useServer } from "./support/server.ts"
import { failureOf } from "./support/clock.ts"

let server: TestServer
useServer((started) => {
  server = started
})

const fast: KlaviyoClientBaseOptions = { retry: { times: 2, base: "10 millis" }, timeout: "500 millis" }
const get = () => getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe("retried faults end in success on the next attempt", () => {
  it("429 with Retry-After: waits it out, then succeeds (2 requests)", async () => {
    server.script({ status: 429, headers: { "retry-after": "1" }, body: "" })
    const started = Date.now()
    const job = await run(get(), server, fast)
    expect(job.id).toBe(SIMULATED_JOB_ID)
    expect(server.requests).toHaveLength(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
  })
  for (const status of [500, 502, 503, 504, 524]) {
    it(`${status}: retried once, then succeeds (2 requests)`, async () => {
      server.script({ status, body: "upstream trouble" })
      const job = await run(get(), server, fast)
      expect(job.id).toBe(SIMULATED_JOB_ID)
      expect(server.requests).toHaveLength(2)
    })
  }
  it("a connection reset: retried, then succeeds (2 requests)", async () => {
    server.script({ raw: (_req, res) => res.socket?.destroy() })
    const job = await run(get(), server, fast)
    expect(job.id).toBe(SIMULATED_JOB_ID)
    expect(server.requests).toHaveLength(2)
  })
  it("a body cut off halfway: retried, then succeeds (2 requests)", async () => {
    server.script({
      raw: (_req, res) => {
        res.writeHead(200, { "content-type": "application/vnd.api+json", "content-length": "500" })
        res.write('{"data":{"type":"catalog-category-bulk-update-job"')
        setTimeout(() => res.socket?.destroy(), 20)
      },
    })
    const job = await run(get(), server, fast)
    expect(job.id).toBe(SIMULATED_JOB_ID)
    expect(server.requests).toHaveLength(2)
  })
})

describe("faults that persist end in the right tag after the right number of requests", () => {
  for (const status of [500, 502, 503, 504, 524]) {
    it(`${status} every time: KlaviyoApiError ${status} after 3 requests`, async () => {
      server.script(...Array.from({ length: 3 }, () => ({ status, body: "" })))
      const error = await runError(get(), server, fast)
      expect(error).toMatchObject({ _tag: "KlaviyoApiError", status })
      expect(server.requests).toHaveLength(3)
    })
  }
  for (const status of [400, 401, 403, 404, 405, 409, 410, 415, 422]) {
    it(`${status}: KlaviyoApiError ${status} after exactly 1 request`, async () => {
      server.script({
        status,
        headers: { "content-type": "application/vnd.api+json" },
        body: '{"errors":[]}',
      })
      const error = await runError(get(), server, fast)
      expect(error).toMatchObject({ _tag: "KlaviyoApiError", status })
      expect(server.requests).toHaveLength(1)
    })
  }
  it("connection resets every time: TransportError network after 3 attempts", async () => {
    // Some runtimes (Deno) resend a request by themselves when a reused connection is reset
    // before any byte of the answer: the server may see more requests than the client made
    // attempts, so the attempts are counted from the client's own retry log.
    const reset = {
      raw: (_req: unknown, res: { socket: { destroy(): void } | null }) => res.socket?.destroy(),
    }
    server.script(...Array.from({ length: 12 }, () => reset))
    const logs: Array<string> = []
    const exit = await Effect.runPromiseExit(
      get().pipe(
        Effect.provide(clientLayer(server, fast)),
        Effect.provide(Logger.layer([Logger.make((entry) => void logs.push(String(entry.message)))])),
      ),
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "TransportError", kind: "network" })
    expect(logs.filter((line) => line.startsWith("Retrying"))).toHaveLength(2)
    expect(server.requests.length).toBeGreaterThanOrEqual(3)
    server.script() // leave no scripted reset for the next test
    server.requests.length = 0
  })
  it("a server that never answers: TransportError timeout after 3 attempts, no connection left open", async () => {
    server.script("hang", "hang", "hang")
    const error = await runError(get(), server, { ...fast, timeout: "150 millis" })
    expect(error).toMatchObject({ _tag: "TransportError", kind: "timeout" })
    expect(server.requests).toHaveLength(3)
    await waitFor(() => server.hanging() === 0)
    expect(server.hanging()).toBe(0)
  })
  it("a slow body: TransportError timeout (the timeout covers the body too)", async () => {
    const slow = {
      raw: (_req: unknown, res: import("node:http").ServerResponse) => {
        res.writeHead(200, { "content-type": "application/vnd.api+json" })
        res.write("{")
        const timer = setInterval(() => res.write(" "), 50)
        res.on("close", () => clearInterval(timer))
      },
    }
    server.script(slow, slow, slow)
    const error = await runError(get(), server, { ...fast, timeout: "300 millis" })
    expect(error).toMatchObject({ _tag: "TransportError", kind: "timeout" })
    expect(server.requests).toHaveLength(3)
    await waitFor(() => server.hanging() === 0)
    expect(server.hanging()).toBe(0)
  })
  it("truncated JSON in a complete answer: DecodeError after 1 request", async () => {
    server.script({
      status: 200,
      headers: { "content-type": "application/vnd.api+json" },
      body: '{"data":{"type":"catal',
    })
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({ _tag: "DecodeError", path: "" })
    expect(server.requests).toHaveLength(1)
  })
  it("an HTML page with status 200: DecodeError after 1 request", async () => {
    server.script({
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: "<!doctype html><p>Login</p>",
    })
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({ _tag: "DecodeError" })
    expect(server.requests).toHaveLength(1)
  })
  it("an empty 200 body: DecodeError after 1 request", async () => {
    server.script({ status: 200, headers: { "content-type": "application/vnd.api+json" }, body: "" })
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({ _tag: "DecodeError" })
    expect(server.requests).toHaveLength(1)
  })
  it("a JSON body under a wrong content type: DecodeError after 1 request", async () => {
    server.script({ status: 200, headers: { "content-type": "text/plain" }, body: '{"data":{}}' })
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({ _tag: "DecodeError" })
    expect((error as { reason: string }).reason).toContain("found content-type text/plain")
    expect(server.requests).toHaveLength(1)
  })
  it("a body far larger than any job: TransportError oversized, reading stopped at the cap", async () => {
    let written = 0
    let closedEarly = false
    server.script({
      raw: (_req, res) => {
        res.writeHead(200, { "content-type": "application/vnd.api+json" })
        const chunk = Buffer.alloc(64 * 1024, 32)
        const pump = () => {
          while (written < 200 * 1024 * 1024) {
            written += chunk.length
            if (!res.write(chunk)) return void res.once("drain", pump)
          }
          res.end()
        }
        res.on("close", () => (closedEarly = written < 200 * 1024 * 1024))
        pump()
      },
    })
    const error = await runError(get(), server, { ...fast, maxBodyBytes: 1024 * 1024 })
    expect(error).toMatchObject({ _tag: "TransportError", kind: "oversized" })
    expect((error as { detail: string }).detail).toContain("cap of 1048576 bytes")
    expect(server.requests).toHaveLength(1)
    await waitFor(() => closedEarly)
    expect(closedEarly).toBe(true)
    expect(written).toBeLessThan(64 * 1024 * 1024)
  })
  it("a body that declares a size past the cap: refused before reading", async () => {
    server.script({
      status: 200,
      headers: { "content-type": "application/vnd.api+json", "content-length": "2000000" },
      body: "x".repeat(2_000_000),
    })
    const error = await runError(get(), server, { ...fast, maxBodyBytes: 1_000_000 })
    expect(error).toMatchObject({ _tag: "TransportError", kind: "oversized" })
    expect((error as { detail: string }).detail).toContain("declares 2000000 bytes")
    // The body was not read, and its connection was let go rather than left to the garbage collector.
    await waitFor(() => server.hanging() === 0)
    expect(server.hanging()).toBe(0)
  })
})

describe("redirects", () => {
  it("lets go of the body of every redirect it follows", async () => {
    const redirect = {
      raw: (_req: unknown, res: import("node:http").ServerResponse) => {
        res.writeHead(307, { location: `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}` })
        res.write("a redirect body that is never finished")
      },
    }
    server.script(redirect, redirect)
    const job = await run(get(), server, fast)
    expect(job.id).toBe(SIMULATED_JOB_ID)
    expect(server.requests).toHaveLength(3)
    await waitFor(() => server.hanging() === 0)
    expect(server.hanging()).toBe(0)
  })

  it("refuses a same-origin Location with a user name or password: not followed, not retried, the key scrubbed", async () => {
    const origin = new URL(server.url)
    const withUser = `${origin.protocol}//${SIMULATED_API_KEY}:${SIMULATED_API_KEY}@${origin.host}/api/x`
    server.script({ status: 302, headers: { location: withUser } })
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({
      _tag: "KlaviyoApiError",
      status: 302,
      note:
        "a redirect to a Location with a user name or password (not followed: fetch refuses such a URL, and a credential does not belong in one)",
    })
    expect(server.requests).toHaveLength(1)
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(SIMULATED_API_KEY.slice(0, 8))
  })
})

describe("interruption", () => {
  it("cancels the request in flight and leaves no timer and no connection behind", async () => {
    const timers = () =>
      typeof process.getActiveResourcesInfo === "function"
        ? process.getActiveResourcesInfo().filter((name) => name === "Timeout").length
        : 0
    const before = timers()
    server.script("hang")
    const fiber = Effect.runFork(
      get().pipe(
        Effect.provide(clientLayer(server, { ...fast, timeout: "30 seconds", deadline: "60 seconds" })),
      ),
    )
    await waitFor(() => server.hanging() === 1)
    expect(server.hanging()).toBe(1)
    const exit = await Effect.runPromise(Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber))))
    expect(Exit.isFailure(exit) && Exit.hasInterrupts(exit)).toBe(true)
    await waitFor(() => server.hanging() === 0)
    expect(server.hanging()).toBe(0)
    // The per-attempt timeout (30 s) and the deadline (60 s) were cleared with the fiber.
    expect(timers()).toBeLessThanOrEqual(before)
    expect(server.requests).toHaveLength(1)
  })
})

describe("error bodies past the cap, and bodies that are not UTF-8", () => {
  // A test that fails early leaves the rest of its script behind: clear it for the next one.
  beforeEach(() => server.script())
  /** A 503 whose body (an HTML page of `size` bytes) is streamed, with or without its length declared. */
  const bigError = (size: number, declared: boolean) => ({
    raw: (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(503, {
        "content-type": "text/html",
        ...(declared ? { "content-length": String(size) } : {}),
      })
      res.end(`<html>${"x".repeat(size - 6)}`)
    },
  })
  for (const declared of [true, false]) {
    it(`a 503 with a body past the cap (length ${declared ? "declared" : "not declared"}): KlaviyoApiError 503, retried, the body cut`, async () => {
      server.script(
        bigError(2_000_000, declared),
        bigError(2_000_000, declared),
        bigError(2_000_000, declared),
      )
      const error = await runError(get(), server, { ...fast, maxBodyBytes: 1_000_000 })
      expect(error).toMatchObject({ _tag: "KlaviyoApiError", status: 503 })
      expect((error as unknown as { body: string }).body).toBe(`<html>${"x".repeat(494)}`)
      // Retried as a 5xx: 3 requests with `times: 2`.
      expect(server.requests).toHaveLength(3)
      await waitFor(() => server.hanging() === 0)
      expect(server.hanging()).toBe(0)
    })
  }
  it("a 503 with a body past the cap, then a 200: the retry succeeds", async () => {
    server.script(bigError(2_000_000, false))
    const job = await run(get(), server, { ...fast, maxBodyBytes: 1_000_000 })
    expect(job.id).toBe(SIMULATED_JOB_ID)
    expect(server.requests).toHaveLength(2)
  })

  /** A JSON body whose `detail`/`status` string holds the byte 0xFF, which is never UTF-8. */
  const invalidUtf8 = (status: number, json: string) => ({
    raw: (_req: unknown, res: import("node:http").ServerResponse) => {
      const [before, after] = json.split("\u0000")
      res.writeHead(status, { "content-type": "application/vnd.api+json" })
      res.end(Buffer.concat([Buffer.from(before!), Buffer.from([0xff]), Buffer.from(after!)]))
    },
  })
  it("a 200 with invalid UTF-8 inside a JSON string: DecodeError after 1 request, not U+FFFD", async () => {
    // The simulator's own job, one of its error details holding the byte: valid but for it.
    const answer = await fetch(`${server.url}/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`, {
      headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15" },
    })
    const document = (await answer.json()) as { data: { attributes: { errors: Array<{ detail: string }> } } }
    document.data.attributes.errors[0]!.detail = "bad \u0000 byte"
    server.requests.length = 0
    server.script(invalidUtf8(200, JSON.stringify(document).replace("\\u0000", "\u0000")))
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({
      _tag: "DecodeError",
      path: "",
      reason: "Expected a JSON:API document in UTF-8, found a body that is not valid UTF-8",
    })
    expect(server.requests).toHaveLength(1)
  })
  it("a 400 with invalid UTF-8 in its errors: still a KlaviyoApiError 400, read leniently", async () => {
    server.script(
      invalidUtf8(400, '{"errors":[{"code":"invalid","title":"Bad","detail":"bad \u0000 byte"}]}'),
    )
    const error = await runError(get(), server, fast)
    expect(error).toMatchObject({
      _tag: "KlaviyoApiError",
      status: 400,
      errors: [{ code: "invalid", title: "Bad", detail: "bad \uFFFD byte" }],
    })
    expect(server.requests).toHaveLength(1)
  })
})
