/**
 * The transport's transforms on their own, over a scripted `HttpClient.make`: the credential's
 * headers, the platform's failures, the budget (a permit per hop, what answers tell it), the
 * classification of answers, and the composed transport handing the limit class to the permit.
 */
import { Duration, Effect, Exit, Redacted, Tracer } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { RateLimiter } from "effect/persistence"
import { describe, expect, it } from "vitest"
import {
  type ApiRequest,
  type LimitClass,
  parseRevision,
  type RateLimitBudgetShape,
  type Revision,
} from "../mod.ts"
import { decodeDocument, withBodyCap } from "../src/http/body.ts"
import { withBudgetFeedback, withPermit } from "../src/http/budget.ts"
import { toApiResponse, withStatusErrors } from "../src/http/classify.ts"
import { withCredentials } from "../src/http/credentials.ts"
import { withTransportErrors } from "../src/http/failure.ts"
import { withSameOriginRedirects } from "../src/http/redirects.ts"
import { makeTransport } from "../src/http/transport.ts"
import { unlimitedBudget } from "../src/rate-limit.ts"
import { failureOf } from "./support/clock.ts"
import { type Answer, json, recordingBudget, scriptedClient } from "./support/scripted.ts"

const origin = "https://a.example"
const key = Redacted.make("Klaviyo-API-Key pk_test_0123456789")
const revisionOf = (value: string): Revision => {
  const revision = parseRevision(value)
  if (!("legacyPath" in revision)) throw new Error(`bad revision ${value}`)
  return revision
}
const current = revisionOf("2026-07-15")
// The platform's span and trace headers left out, as the transport does: the hops show only ours.
const run = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.runPromiseExit(Effect.provideService(effect, HttpClient.TracerDisabledWhen, () => true))
const get = (path = "/a") => HttpClientRequest.get(`${origin}${path}`)
const post = (path = "/jobs") => HttpClientRequest.post(`${origin}${path}`)
const answer = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await run(effect)
  if (Exit.isFailure(exit)) throw new Error(`expected success, got ${String(exit.cause)}`)
  return exit.value
}
const execute = <E>(client: HttpClient.HttpClient.With<E>, request: HttpClientRequest.HttpClientRequest) =>
  client.execute(request)

describe("withCredentials", () => {
  it("sends the credential, the revision and its media type on every request", async () => {
    const { client, hops } = scriptedClient([])
    await answer(execute(client.pipe(withCredentials(key, current)), get()))
    expect(hops[0]!.headers).toEqual({
      authorization: "Klaviyo-API-Key pk_test_0123456789",
      revision: "2026-07-15",
      accept: "application/vnd.api+json",
    })
  })

  it("asks for application/json before revision 2024-10-15, and keeps the request's own headers", async () => {
    const { client, hops } = scriptedClient([])
    const request = post().pipe(HttpClientRequest.bodyText('{"a":1}', "application/json"))
    await answer(execute(client.pipe(withCredentials(key, revisionOf("2024-07-15"))), request))
    expect(hops[0]).toMatchObject({
      method: "POST",
      body: '{"a":1}',
      headers: {
        authorization: "Klaviyo-API-Key pk_test_0123456789",
        revision: "2024-07-15",
        accept: "application/json",
        "content-type": "application/json",
        "content-length": "7",
      },
    })
  })
})

describe("withTransportErrors", () => {
  it.each(
    [
      ["GET", "reset", undefined],
      ["POST", "reset", true],
      ["POST", "refused", false],
    ] as const,
  )(
    "a %s that meets a %s connection is a TransportError of kind network (job may exist: %s)",
    async (method, fail, mayExist) => {
      const { client } = scriptedClient([{ fail }])
      const request = method === "GET" ? get() : post()
      const error = failureOf(await run(execute(client.pipe(withTransportErrors), request)))
      expect(error).toMatchObject({
        _tag: "TransportError",
        kind: "network",
        method,
        url: request.url,
        detail: fail === "refused" ? "fetch failed: (ECONNREFUSED)" : "fetch failed: other side closed",
      })
      expect((error as { jobMayExist?: boolean }).jobMayExist).toBe(mayExist)
    },
  )
})

describe("withPermit", () => {
  it("takes a permit of the request's limit class for every hop on the wire", async () => {
    const { client, hops } = scriptedClient([{ status: 307, headers: { location: "/b" } }, { status: 200 }])
    const { budget, record } = recordingBudget()
    const stack = client.pipe(
      withTransportErrors,
      withPermit(budget, "jobs-write"),
      withSameOriginRedirects(origin, String),
    )
    await answer(execute(stack, get()))
    expect(hops).toHaveLength(2)
    expect(record.permits).toEqual(["jobs-write", "jobs-write"])
  })

  it("turns a failure of the budget's store into a TransportError: nothing sent, a POST's job does not exist", async () => {
    const { client, hops } = scriptedClient([])
    const failing: RateLimitBudgetShape = {
      ...recordingBudget().budget,
      withPermit: () =>
        Effect.fail(
          new RateLimiter.RateLimiterError({
            reason: new RateLimiter.RateLimitStoreError({ message: "gone" }),
          }),
        ),
    }
    const error = failureOf(
      await run(execute(client.pipe(withTransportErrors, withPermit(failing, "jobs-write")), post())),
    )
    expect(hops).toHaveLength(0)
    expect(error).toMatchObject({
      _tag: "TransportError",
      kind: "network",
      method: "POST",
      jobMayExist: false,
    })
    expect((error as { detail: string }).detail).toMatch(/^the rate-limit store failed: /)
  })

  it("adds nothing to the stack when client-side limiting is off", () => {
    const { client } = scriptedClient([])
    const base = client.pipe(withTransportErrors)
    expect(withPermit(unlimitedBudget, "jobs-read")(base)).toBe(base)
    expect(withBudgetFeedback(unlimitedBudget, "jobs-read")(base)).toBe(base)
  })
})

describe("withBudgetFeedback", () => {
  const fed = async (answers: ReadonlyArray<Answer>, limitClass: LimitClass = "jobs-read") => {
    const { client } = scriptedClient(answers)
    const { budget, record } = recordingBudget()
    await answer(execute(client.pipe(withTransportErrors, withBudgetFeedback(budget, limitClass)), get()))
    return record
  }

  it("tells the budget the request's limit class with a 429's pause and with the headers it reads", async () => {
    expect((await fed([{ status: 429, headers: { "retry-after": "3" } }], "jobs-write")).classes).toEqual([
      "jobs-write",
    ])
    expect((await fed([{ status: 200, headers: { "ratelimit-remaining": "5" } }], "jobs-write")).classes)
      .toEqual(["jobs-write"])
    expect((await fed([{ status: 200 }])).classes).toEqual(["jobs-read"])
  })

  it("pauses the budget for a 429's Retry-After, or one second without one", async () => {
    expect(await fed([{ status: 429, headers: { "retry-after": "2" } }])).toEqual({
      permits: [],
      pauses: [2000],
      observed: [],
      classes: ["jobs-read"],
    })
    expect((await fed([{ status: 429 }])).pauses).toEqual([1000])
  })

  it("hands any other answer's RateLimit headers to the budget", async () => {
    const headers = { "ratelimit-limit": "3500", "ratelimit-remaining": "5", "ratelimit-reset": "12" }
    expect(await fed([{ status: 200, headers }])).toEqual({
      permits: [],
      pauses: [],
      observed: [headers],
      classes: ["jobs-read"],
    })
  })
})

describe("withStatusErrors", () => {
  const classified = (answers: ReadonlyArray<Answer>) =>
    scriptedClient(answers).client.pipe(
      withTransportErrors,
      withSameOriginRedirects(origin, String),
      withBodyCap(1000),
      withStatusErrors({ revision: "2026-07-15", origin, scrub: String }),
    )

  it("fails a non-2xx answer with its status, its JSON:API errors and Retry-After", async () => {
    const body = JSON.stringify({
      errors: [{ id: "e1", status: 429, code: "throttled", title: "Throttled", detail: "slow down" }],
    })
    const error = failureOf(
      await run(execute(classified([{ status: 429, headers: { "retry-after": "3" }, body }]), get())),
    )
    expect(error).toMatchObject({
      _tag: "KlaviyoApiError",
      status: 429,
      method: "GET",
      url: `${origin}/a`,
      revision: "2026-07-15",
      errors: [{ id: "e1", status: 429, code: "throttled", title: "Throttled", detail: "slow down" }],
    })
    expect(Duration.toMillis((error as { retryAfter: Duration.Duration }).retryAfter)).toBe(3000)
  })

  it("says whether a POST's job may exist: after a 5xx it may, after a 4xx it does not", async () => {
    const statuses = [503, 400]
    const errors = await Promise.all(
      statuses.map(async (status) => failureOf(await run(execute(classified([{ status }]), post())))),
    )
    expect(errors.map((error) => (error as { jobMayExist?: boolean }).jobMayExist)).toEqual([true, false])
  })

  it("names the request that started the call and says why a redirect was not followed", async () => {
    const error = failureOf(
      await run(execute(
        classified([
          { status: 307, headers: { location: "/b" } },
          { status: 302, headers: { location: "https://elsewhere.example/c" }, body: "<p>moved</p>" },
        ]),
        get(),
      )),
    )
    expect(error).toMatchObject({
      status: 302,
      url: `${origin}/a`,
      body: "<p>moved</p>",
      note:
        "a redirect to another origin (https://elsewhere.example), not followed so that the credential is only ever sent to https://a.example",
    })
  })

  it("lets a 2xx through", async () => {
    expect((await answer(execute(classified([{ status: 202 }]), post()))).status).toBe(202)
  })
})

describe("toApiResponse", () => {
  const converted = (answers: ReadonlyArray<Answer>, path = "/a") =>
    run(
      Effect.flatMap(
        execute(scriptedClient(answers).client.pipe(withTransportErrors, withBodyCap(1000)), get(path)),
        (response) => toApiResponse(response, String),
      ),
    )

  it("parses a 2xx body as JSON, with its headers as a plain record and the URL that answered", async () => {
    const exit = await converted([{
      status: 200,
      headers: { "content-type": "application/vnd.api+json" },
      body: '{"data":1}',
    }])
    expect(exit).toEqual(Exit.succeed({
      status: 200,
      headers: { "content-type": "application/vnd.api+json" },
      body: { data: 1 },
      url: `${origin}/a`,
    }))
  })

  it.each([
    [
      { "content-type": "text/html" },
      "<p>hi</p>",
      'Expected a JSON:API document (application/vnd.api+json), found content-type text/html: "<p>hi</p>"',
    ],
    [
      { "content-type": "application/json" },
      " ",
      "Expected a JSON:API document, found an empty body (application/json)",
    ],
  ])(
    "fails a 2xx that is not a document with a DecodeError that says what it was (%o)",
    async (headers, body, reason) => {
      const error = failureOf(await converted([{ status: 200, headers, body }]))
      expect(error).toMatchObject({ _tag: "DecodeError", reason, url: `${origin}/a` })
    },
  )

  it("reads a body as UTF-8 whichever decoder answers: U+FFFD sent as such is kept, a byte that is not UTF-8 refused", () => {
    const utf8 = (text: string) => new TextEncoder().encode(text)
    // The character itself, sent in UTF-8 (EF BF BD): the lenient decoder's U+FFFD, checked again.
    expect(decodeDocument(utf8('{"detail":"bad \uFFFD byte"}'))).toBe('{"detail":"bad \uFFFD byte"}')
    expect(decodeDocument(utf8('{"name":"Caf\u00e9 \u2615"}'))).toBe('{"name":"Caf\u00e9 \u2615"}')
    // A byte order mark is dropped, as the strict decoder drops it.
    expect(decodeDocument(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe("{}")
    expect(decodeDocument(new Uint8Array([0x7b, 0xff, 0x7d]))).toBeUndefined()
    expect(decodeDocument(new Uint8Array([0x7b, 0xc3, 0x7d]))).toBeUndefined()
    expect(decodeDocument(new Uint8Array([0x7b, 0xef, 0xbf, 0xbd, 0xc3]))).toBeUndefined()
  })

  it("fails a 2xx body that is not valid UTF-8", async () => {
    const exit = await converted([{ status: 200, headers: json, body: new Uint8Array([0x7b, 0xff, 0x7d]) }])
    expect(failureOf(exit)).toMatchObject({
      _tag: "DecodeError",
      reason: "Expected a JSON:API document in UTF-8, found a body that is not valid UTF-8",
    })
  })
})

describe("makeTransport", () => {
  const settings = {
    authorization: key,
    baseUrl: new URL(origin),
    revision: current,
    timeout: Duration.seconds(30),
    maxBodyBytes: 1000,
    scrub: String,
  }
  const request = (more: Partial<ApiRequest> = {}): ApiRequest => ({
    operation: "test",
    path: "/api/x",
    urlParams: [["fields[x]", "a,b"]],
    ...more,
  })

  it("hands the request's limit class to the permit (jobs-read when it names none)", async () => {
    const { client, hops } = scriptedClient([{ status: 200, headers: json, body: "{}" }, {
      status: 202,
      headers: json,
      body: "{}",
    }])
    const { budget, record } = recordingBudget()
    const attempt = makeTransport(client, settings, budget)
    await answer(attempt(request()))
    await answer(attempt(request({ method: "POST", body: { data: {} }, limitClass: "jobs-write" })))
    expect(record.permits).toEqual(["jobs-read", "jobs-write"])
    expect(hops.map((hop) => [hop.method, hop.url, hop.body, hop.headers["content-type"]])).toEqual([
      ["GET", `${origin}/api/x?fields[x]=a,b`, "", undefined],
      ["POST", `${origin}/api/x?fields[x]=a,b`, '{"data":{}}', "application/vnd.api+json"],
    ])
    expect(record.observed).toHaveLength(2)
  })

  it("sends no trace headers and leaves the platform's span out, whatever the tracer", async () => {
    const { client, hops } = scriptedClient([])
    const spans: Array<string> = []
    const tracer = Tracer.make({
      span(options) {
        spans.push(options.name)
        return Tracer.nativeTracer.span(options)
      },
    })
    const exit = await Effect.runPromiseExit(
      makeTransport(client, settings, unlimitedBudget)(request()).pipe(Effect.withTracer(tracer)),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(Object.keys(hops[0]!.headers).sort()).toEqual(["accept", "authorization", "revision"])
    expect(spans).toEqual([])
  })

  it("runs one attempt each time its effect runs, the request built once", async () => {
    const { client, hops } = scriptedClient([{ status: 503 }, { status: 200, headers: json, body: "{}" }])
    const once = makeTransport(client, settings, unlimitedBudget)(request())
    const first = await run(once)
    const second = await run(once)
    expect([failureOf(first)?._tag, Exit.isSuccess(second)]).toEqual(["KlaviyoApiError", true])
    expect(hops.map((hop) => hop.headers["authorization"])).toEqual([
      Redacted.value(key),
      Redacted.value(key),
    ])
  })
})
