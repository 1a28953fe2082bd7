/**
 * The transport's transforms on their own, over a scripted `HttpClient.make`: same-origin
 * redirects (hops, headers, bodies let go, why one is not followed) and the body cap.
 */
import { Effect, Exit, Stream } from "effect"
import { FetchHttpClient, type HttpClient, HttpClientRequest } from "effect/http"
import { describe, expect, it } from "vitest"
import { ReadResponse } from "../src/http/read-response.ts"
import { withBodyCap } from "../src/http/body.ts"
import { withTransportErrors } from "../src/http/failure.ts"
import { refusal, withSameOriginRedirects } from "../src/http/redirects.ts"
import { failureOf } from "./support/clock.ts"
import { type Answer, scriptedClient, watchedStream } from "./support/scripted.ts"

const origin = "https://a.example"
const scrub = (text: string) => text.replaceAll("s3cret", "<redacted>")

/** The scripted client with the redirects on top, and what it was sent. */
const redirecting = (answers: ReadonlyArray<Answer>) => {
  const { client, hops } = scriptedClient(answers)
  return { client: client.pipe(withTransportErrors, withSameOriginRedirects(origin, scrub)), hops }
}

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromiseExit(effect)

const get = (path: string) => HttpClientRequest.get(`${origin}${path}`)

const answerOf = async <E>(
  client: HttpClient.HttpClient.With<E>,
  request: HttpClientRequest.HttpClientRequest,
) => {
  const exit = await run(client.execute(request))
  if (Exit.isFailure(exit)) throw new Error(`expected an answer, got ${String(exit.cause)}`)
  return exit.value
}

const redirect = (
  location: string | undefined,
  extra: Partial<Extract<Answer, { status: number }>> = {},
) => ({
  status: 307,
  ...(location === undefined ? {} : { headers: { location } }),
  ...extra,
})

describe("withSameOriginRedirects", () => {
  it("follows a GET's same-origin redirects hop by hop, with the request's headers, and lets each body go", async () => {
    const first = watchedStream(["a redirect body ", "that is never finished"], { end: false })
    const second = watchedStream(["another"], { end: false })
    const { client, hops } = redirecting([
      redirect("/b?x=1", { body: first.stream }),
      { status: 302, headers: { location: `${origin}/c#part` }, body: second.stream },
      { status: 200, body: "{}" },
    ])
    const response = await answerOf(client, get("/a").pipe(HttpClientRequest.setHeader("authorization", "k")))
    expect(response.status).toBe(200)
    expect(response.request.url).toBe(`${origin}/c#part`)
    expect(hops.map((hop) => [hop.method, hop.url, hop.headers["authorization"]])).toEqual([
      ["GET", `${origin}/a`, "k"],
      ["GET", `${origin}/b?x=1`, "k"],
      ["GET", `${origin}/c#part`, "k"],
    ])
    // Each redirect's body was cancelled, not left open (it never ends).
    expect([first.state.cancelled, second.state.cancelled]).toEqual([true, true])
  })

  it("asks fetch not to follow redirects itself, keeping the rest of the application's RequestInit", async () => {
    const { client, hops } = redirecting([redirect("/b"), { status: 200 }])
    const exit = await run(
      client.execute(get("/a")).pipe(Effect.provideService(FetchHttpClient.RequestInit, { keepalive: true })),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(hops.map((hop) => hop.init)).toEqual([
      { keepalive: true, redirect: "manual" },
      { keepalive: true, redirect: "manual" },
    ])
  })

  it("stops after five: six hops, the sixth redirect handed on as the answer, with its note", async () => {
    const { client, hops } = redirecting(Array.from({ length: 7 }, (_, i) => redirect(`/hop${i + 1}`)))
    const response = await answerOf(client, get("/hop0"))
    expect(hops.map((hop) => hop.url)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${origin}/hop${i}`))
    expect(response.status).toBe(307)
    expect(response.request.url).toBe(`${origin}/hop5`)
    expect(refusal(response, origin, scrub)).toBe("more than 5 redirects")
  })

  it("never follows a POST's redirect", async () => {
    const { client, hops } = redirecting([redirect("/b")])
    const response = await answerOf(client, HttpClientRequest.post(`${origin}/a`))
    expect(hops.map((hop) => [hop.method, hop.url])).toEqual([["POST", `${origin}/a`]])
    expect(refusal(response, origin, scrub)).toBe("a redirect of a POST, not followed")
  })

  it.each([
    [
      "https://elsewhere.example/b",
      "a redirect to another origin (https://elsewhere.example), not followed so that the credential is only ever sent to https://a.example",
    ],
    [
      "http://a.example/b",
      "a redirect to another origin (http://a.example), not followed so that the credential is only ever sent to https://a.example",
    ],
    [
      "https://user:s3cret@a.example/b",
      "a redirect to a Location with a user name or password (not followed: fetch refuses such a URL, and a credential does not belong in one)",
    ],
    ["http://[s3cret", 'a redirect to an unusable Location ("http://[<redacted>")'],
    [undefined, "a redirect without a Location header"],
  ])("does not follow a redirect to %s: one hop, the redirect is the answer", async (location, note) => {
    const { client, hops } = redirecting([redirect(location)])
    const response = await answerOf(client, get("/a"))
    expect(hops).toHaveLength(1)
    expect(response.status).toBe(307)
    expect(refusal(response, origin, scrub)).toBe(note)
  })

  it("hands on any other answer as it is (a 304 is not a redirect)", async () => {
    const { client, hops } = redirecting([{ status: 304, headers: { location: "/b" } }])
    const response = await answerOf(client, get("/a"))
    expect([response.status, hops.length, refusal(response, origin, scrub)]).toEqual([304, 1, undefined])
  })
})

/** The scripted client with the body cap on top. */
const capped = (answers: ReadonlyArray<Answer>, max: number) => {
  const { client, hops } = scriptedClient(answers)
  return { client: client.pipe(withTransportErrors, withBodyCap(max)), hops }
}

const bytesOf = async <E>(client: HttpClient.HttpClient.With<E>, request = get("/a")) => {
  const response = await answerOf(client, request)
  expect(response).toBeInstanceOf(ReadResponse)
  return new TextDecoder().decode((response as ReadResponse).bytes)
}

describe("withBodyCap", () => {
  it("reads a body within the cap into memory, whole", async () => {
    const { client } = capped([{ status: 200, headers: { "content-length": "10" }, body: "0123456789" }], 10)
    expect(await bytesOf(client)).toBe("0123456789")
  })

  it("reads a streamed body within the cap chunk by chunk", async () => {
    const body = watchedStream(["01234", "56789"])
    const { client } = capped([{ status: 200, body: body.stream }], 10)
    expect(await bytesOf(client)).toBe("0123456789")
    expect(body.state).toEqual({ pulled: 2, cancelled: false })
  })

  it("fails a 2xx that declares more than the cap as oversized, without reading it", async () => {
    const body = watchedStream(["0123456789", "0123456789"], { end: false })
    const { client } = capped([{ status: 200, headers: { "content-length": "20" }, body: body.stream }], 10)
    const error = failureOf(await run(client.execute(get("/a"))))
    expect(error).toMatchObject({
      _tag: "TransportError",
      kind: "oversized",
      method: "GET",
      url: `${origin}/a`,
      detail: "the body declares 20 bytes past the cap of 10 bytes (maxBodyBytes); reading stopped there",
    })
    expect(body.state.cancelled).toBe(true)
  })

  it("stops reading a streamed 2xx at the cap: oversized, and a POST's job may exist", async () => {
    const body = watchedStream(["012345", "678901", "never read"], { end: false })
    const { client } = capped([{ status: 201, body: body.stream }], 10)
    const error = failureOf(await run(client.execute(HttpClientRequest.post(`${origin}/jobs`))))
    expect(error).toMatchObject({
      _tag: "TransportError",
      kind: "oversized",
      method: "POST",
      jobMayExist: true,
      detail: "the body kept going past the cap of 10 bytes (maxBodyBytes); reading stopped there",
    })
    // Cancelled at the cap: the third chunk is never asked for (a stream may fetch one ahead).
    expect(body.state.cancelled).toBe(true)
    expect(body.state.pulled).toBeLessThanOrEqual(3)
  })

  it("cuts an error's body at the cap, declared or streamed, and keeps the answer", async () => {
    const page = "<html>".repeat(10)
    const streamed = watchedStream(["<html><html>", "<html>"], { end: false })
    const { client } = capped([
      { status: 503, headers: { "content-length": String(page.length) }, body: page },
      { status: 502, body: streamed.stream },
    ], 10)
    expect(await bytesOf(client)).toBe("<html><htm")
    expect(await bytesOf(client)).toBe("<html><htm")
    expect(streamed.state.cancelled).toBe(true)
  })

  it("reads an answer with no body as empty", async () => {
    const { client } = capped([{ status: 204 }], 10)
    expect(await bytesOf(client)).toBe("")
  })

  it("hands on the bytes through every accessor of the response", async () => {
    const { client } = capped([{ status: 400, headers: { "x-a": "1" }, body: '{"errors":[]}' }], 100)
    const response = await answerOf(client, get("/a"))
    const [text, buffer, json, chunks] = await Effect.runPromise(
      Effect.all([response.text, response.arrayBuffer, response.json, Stream.runCollect(response.stream)]),
    )
    expect([text, buffer.byteLength, json, chunks.map((chunk) => chunk.byteLength)]).toEqual([
      '{"errors":[]}',
      13,
      { errors: [] },
      [13],
    ])
    expect([response.status, response.headers["x-a"], response.request.url]).toEqual([
      400,
      "1",
      `${origin}/a`,
    ])
  })
})
