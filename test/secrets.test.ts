import { inspect } from "node:util"
import { Cause, Effect, Exit, Layer, Logger, Redacted, References, Tracer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  awaitCatalogCategoryBulkUpdateJob,
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  makeKlaviyoClient,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { FetchHttpClient } from "effect/http"
import { clientLayer } from "./support/run.ts"
import { type Scripted, startServer, type TestServer } from "./support/server.ts"

const SECRET = "pk_SECRET_e2b9c7d4f1a8"

let server: TestServer
beforeAll(async () => {
  server = await startServer({ apiKey: SECRET })
})
afterAll(() => server.close())

/** Everything a run leaves behind: spans (names, attributes, events, exits) and log lines. */
const observe = async <A, E>(
  effect: Effect.Effect<A, E, KlaviyoClient>,
  layer: Layer.Layer<KlaviyoClient, unknown>,
  settings: {
    /**
     * The answers' data holds the key on purpose: a span that succeeded holds that data as its
     * value (what the caller asked for, not an error), so its value is left out of the check.
     */
    readonly dataHoldsKey?: boolean
  } = {},
) => {
  const seen: Array<unknown> = []
  const tracer = Tracer.make({
    span(options) {
      const span = Tracer.nativeTracer.span(options)
      const record: { name: string; attributes: unknown; events: Array<unknown>; exit?: unknown } = {
        name: span.name,
        attributes: span.attributes,
        events: [],
      }
      seen.push(record)
      return new Proxy(span, {
        get(target, key, receiver) {
          if (key === "event") {
            return (name: string, time: bigint, attributes?: Record<string, unknown>) => {
              record.events.push([name, attributes])
              target.event(name, time, attributes)
            }
          }
          if (key === "end") {
            return (time: bigint, exit: Exit.Exit<unknown, unknown>) => {
              record.exit = settings.dataHoldsKey === true && Exit.isSuccess(exit) ? "success" : exit
              target.end(time, exit)
            }
          }
          if (key === "attribute") {
            return (name: string, value: unknown) => {
              seen.push([span.name, name, value])
              target.attribute(name, value)
            }
          }
          return Reflect.get(target, key, receiver)
        },
      })
    },
  })
  const logger = Logger.make((options) => {
    seen.push(options.message, options.cause)
  })
  const exit = await Effect.runPromiseExit(
    effect.pipe(
      Effect.tap((value) => settings.dataHoldsKey === true ? Effect.void : Effect.logDebug("result", value)),
      Effect.tapError((error) => Effect.logError("failed", error)),
      Effect.provide(layer),
      Effect.withTracer(tracer),
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "All"),
    ),
  )
  seen.push(exit)
  // Every printed form of a failure: String, message, JSON, Cause.pretty (inspection and the
  // JSON of everything seen are below).
  const printed: Array<string> = []
  if (Exit.isFailure(exit)) {
    printed.push(Cause.pretty(exit.cause))
    for (const reason of exit.cause.reasons) {
      if (reason._tag !== "Fail") continue
      const error = reason.error as { message?: unknown }
      printed.push(String(error), String(error.message), safeStringify(error))
    }
  }
  return {
    exit,
    seen,
    text: inspect(seen, { depth: 12, showHidden: true }) + safeStringify(seen) + printed.join("\n"),
  }
}

/** The error a failed run ended with. */
const failureOf = (
  exit: Exit.Exit<unknown, unknown>,
): { readonly _tag: string } & Record<string, unknown> => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (reason === undefined) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return reason.error as { readonly _tag: string } & Record<string, unknown>
}

const safeStringify = (value: unknown) => {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v))
  } catch {
    return ""
  }
}

/** The key's forms a server or the platform may give back: JSON-escaped, percent-encoded, lower-cased. */
const jsonEscaped = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")
const percentEncoded = (text: string) =>
  [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join("")

/** Every run of 8 characters of the key, in each of its forms: none may appear. */
const fragments: ReadonlyArray<string> = (() => {
  const out = new Set<string>()
  for (let i = 0; i + 8 <= SECRET.length; i++) {
    const run = SECRET.slice(i, i + 8)
    out.add(run)
    out.add(run.toLowerCase())
    out.add(jsonEscaped(run))
    out.add(percentEncoded(run))
  }
  return [...out]
})()

const expectNoSecret = (text: string) => {
  expect(text.length).toBeGreaterThan(100)
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain("SECRET_e2b9")
  const folded = text.toLowerCase()
  expect(fragments.filter((fragment) => folded.includes(fragment.toLowerCase()))).toEqual([])
}

describe("the API key never appears", () => {
  it("in spans, span events, logs or the result of a successful call", async () => {
    const { exit, seen, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] }),
      clientLayer(server, { apiKey: SECRET }),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    // The observation saw the pipeline's spans, so the absence below means something.
    const names = seen.flatMap((entry) =>
      typeof entry === "object" && entry !== null && "name" in entry ? [(entry as { name: string }).name] : []
    )
    expect(names).toEqual(
      expect.arrayContaining(["klaviyo.buildRequest", "klaviyo.send", "klaviyo.decode", "klaviyo.resolve"]),
    )
    expectNoSecret(text)
  })

  it("in a KlaviyoApiError, its message, JSON, inspection, spans and logs", async () => {
    const { exit, text } = await observe(
      getCatalogCategoryBulkUpdateJob("01NOSUCHJOB"),
      clientLayer(server, { apiKey: SECRET }),
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(text).toContain("KlaviyoApiError")
    expectNoSecret(text)
  })

  it("in a TransportError with the platform's cause", async () => {
    const gone = await startServer()
    await gone.close()
    const { exit, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(gone, { apiKey: SECRET }),
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(text).toContain("TransportError")
    expectNoSecret(text)
  })

  it("in an InvalidRequest about the key itself", async () => {
    const badKey = `${SECRET}\n`
    const { exit, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(server, { apiKey: badKey }),
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(text).toContain("control characters")
    expectNoSecret(text)
  })

  it("in an error body that echoes the request's Authorization header", async () => {
    server.script({
      status: 400,
      headers: { "content-type": "text/plain" },
      body: `Bad header Authorization: Klaviyo-API-Key ${SECRET}`,
    })
    const { exit, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(server, { apiKey: SECRET }),
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(text).toContain("Bad header Authorization: Klaviyo-API-Key <redacted>")
    expectNoSecret(text)
  })

  it("in a DecodeError for a 2xx body that echoes it (not JSON, or the wrong content type)", async () => {
    for (
      const [contentType, body] of [
        ["text/plain", `echo: Klaviyo-API-Key ${SECRET}`],
        ["application/json", `Klaviyo-API-Key ${SECRET} is not JSON`],
      ]
    ) {
      server.script({ status: 200, headers: { "content-type": contentType! }, body: body! })
      const { exit, text } = await observe(
        getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
        clientLayer(server, { apiKey: SECRET }),
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(text).toContain("DecodeError")
      expect(text).toContain("Klaviyo-API-Key <redacted>")
      expectNoSecret(text)
    }
  })

  it("in the KlaviyoClient service when inspected", async () => {
    const service = await Effect.runPromise(
      Effect.gen(function* () {
        return yield* KlaviyoClient
      }).pipe(Effect.provide(clientLayer(server, { apiKey: SECRET }))),
    )
    expectNoSecret(
      inspect(service, { depth: 8, showHidden: true }) + safeStringify(service) + String(service),
    )
  })

  it("in a Redacted key passed to the Promise facade, nor in what it rejects with", async () => {
    const client = makeKlaviyoClient({ apiKey: Redacted.make(SECRET), baseUrl: server.url })
    try {
      const error: unknown = await client.getCatalogCategoryBulkUpdateJob("01NOSUCHJOB").then(
        () => undefined,
        (e: unknown) => e,
      )
      expect((error as { _tag: string })._tag).toBe("KlaviyoApiError")
      expectNoSecret(inspect(error, { depth: 12, showHidden: true }) + safeStringify(error) + String(error))
      expect(server.requests.at(-1)!.headers["authorization"]).toBe(`Klaviyo-API-Key ${SECRET}`)
    } finally {
      await client.close()
    }
  })
})

/** A job document as the server serves it, with `change` applied to its attributes. */
const jobDocument = async (change: (attributes: Record<string, unknown>) => void): Promise<string> => {
  const answer = await fetch(`${server.url}/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`, {
    headers: {
      authorization: `Klaviyo-API-Key ${SECRET}`,
      revision: "2026-07-15",
      accept: "application/vnd.api+json",
    },
  })
  const document = (await answer.json()) as { data: { attributes: Record<string, unknown> } }
  change(document.data.attributes)
  return JSON.stringify(document)
}

const json = { "content-type": "application/vnd.api+json" }
const once = { retry: false as const }
/** A connection reset as the answer. */
const reset: Scripted = { raw: (_req, res) => res.socket?.destroy() }
const resets: ReadonlyArray<Scripted> = Array.from({ length: 6 }, () => reset)

describe("the API key never appears, whatever form an answer gives it back in", () => {
  it("DecodeError: a 2xx field that holds the key (the reason quotes the value), every span's exit, success or failure", async () => {
    server.script({ status: 200, headers: json, body: await jobDocument((a) => (a["status"] = SECRET)) })
    // Every exit is checked, successes included: the send span's ends without the body it read.
    const { exit, seen, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(server, { apiKey: SECRET, ...once }),
    )
    const error = failureOf(exit)
    expect(error._tag).toBe("DecodeError")
    expect(error["path"]).toBe("data.attributes.status")
    expect(error["reason"]).toContain('"<redacted>"')
    // The decode span's own exit recorded the scrubbed error.
    const decode = seen.find((entry) => (entry as { name?: string }).name === "klaviyo.decode") as {
      exit: Exit.Exit<unknown, unknown>
    }
    expect(failureOf(decode.exit)["reason"]).toBe(error["reason"])
    // The send span succeeded, and its exit holds no value (the body went on past it).
    const send = seen.find((entry) => (entry as { name?: string }).name === "klaviyo.send") as {
      exit: Exit.Exit<unknown, unknown>
    }
    expect(Exit.isSuccess(send.exit) && send.exit.value).toBeUndefined()
    expectNoSecret(text)
  })

  it("DecodeError: V8's JSON.parse snippet of a body that holds the key", async () => {
    server.script({
      status: 200,
      headers: json,
      body: `{"data":{"type":"catalog-category-bulk-update-job","id": ${SECRET}}}`,
    })
    const { exit, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(server, { apiKey: SECRET, ...once }),
    )
    expect(failureOf(exit)._tag).toBe("DecodeError")
    // The parser's own words: V8's (Node, Deno) quote a snippet of the body, JavaScriptCore's (Bun) do not.
    expect(failureOf(exit)["reason"]).toContain(
      process.env["EXPECT_RUNTIME"] === "bun" ? "JSON Parse error" : "is not valid JSON",
    )
    expectNoSecret(text)
  })

  it("TransportError and DecodeError: the URL of a same-origin redirect whose Location holds the key", async () => {
    const path = `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`
    for (
      const [location, then, tag] of [
        [`${path}?token=${SECRET}`, reset, "TransportError"],
        [`${path}?token=${percentEncoded(SECRET)}`, reset, "TransportError"],
        [`${path}?token=${SECRET}`, {
          status: 200,
          headers: { "content-type": "text/html" },
          body: "<p>hi</p>",
        }, "DecodeError"],
      ] as const
    ) {
      // Deno and Bun resend a request by themselves when a reused connection is reset before any
      // byte of the answer (see faults.test.ts): enough resets for the resends.
      server.script() // what the resends did not use of the last round
      server.script({ status: 302, headers: { location } }, ...(then === reset ? resets : [then]))
      const { exit, text } = await observe(
        getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
        clientLayer(server, { apiKey: SECRET, ...once }),
      )
      const error = failureOf(exit)
      expect(error._tag).toBe(tag)
      expect(error["url"]).toBe(`${server.url}${path}?token=<redacted>`)
      expectNoSecret(text)
    }
    server.script()
  })

  it("TransportError: retried, its retry logs and span events hold no key", async () => {
    const path = `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`
    server.script({ status: 302, headers: { location: `${path}?k=${SECRET}` } }, ...resets)
    const { exit, seen, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(server, { apiKey: SECRET, retry: { times: 1, base: "1 millis" } }),
    )
    expect(failureOf(exit)._tag).toBe("TransportError")
    expect(text).toContain("Retrying getCatalogCategoryBulkUpdateJob (attempt 2)")
    const send = seen.find((entry) => (entry as { name?: string }).name === "klaviyo.send") as {
      events: Array<unknown>
    }
    expect(send.events.map((event) => (event as [string])[0])).toEqual(["klaviyo.retry"])
    expectNoSecret(text)
    server.script()
  })

  it("KlaviyoApiError: the key JSON-escaped in an error body, decoded or kept as text", async () => {
    for (
      const [headers, body] of [
        [
          json,
          `{"errors":[{"code":"invalid","title":"Bad key","detail":"key ${jsonEscaped(SECRET)} refused"}]}`,
        ],
        [{ "content-type": "text/plain" }, `refused: "${jsonEscaped(SECRET)}"`],
        [
          { "content-type": "text/html" },
          `<p>refused: ${[...SECRET].map((c) => `&#${c.charCodeAt(0)};`).join("")}</p>`,
        ],
      ] as const
    ) {
      server.script({ status: 400, headers, body })
      const { exit, text } = await observe(
        getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
        clientLayer(server, { apiKey: SECRET, ...once }),
      )
      const error = failureOf(exit)
      expect(error._tag).toBe("KlaviyoApiError")
      expect(error["status"]).toBe(400)
      expect(String(error["message"])).toContain("<redacted>")
      expectNoSecret(text)
    }
  })

  it("KlaviyoApiError: a cross-origin Location whose host name is the key, lower-cased by URL", async () => {
    server.script({ status: 302, headers: { location: `https://${SECRET}.example.com/steal` } })
    const { exit, text } = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      clientLayer(server, { apiKey: SECRET, ...once }),
    )
    const error = failureOf(exit)
    expect(error._tag).toBe("KlaviyoApiError")
    expect(error["note"]).toBe(
      `a redirect to another origin (https://<redacted>.example.com), not followed so that the credential is only ever sent to ${server.url}`,
    )
    expectNoSecret(text)
  })

  it("InvalidRequest: an option that quotes the key by mistake (the key given as the base URL)", async () => {
    const byBaseUrl = await observe(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID),
      KlaviyoClient.layer({ apiKey: SECRET, baseUrl: SECRET }).pipe(Layer.provide(FetchHttpClient.layer)),
    )
    expect(failureOf(byBaseUrl.exit)).toMatchObject({ _tag: "InvalidRequest", input: "baseUrl" })
    expect(failureOf(byBaseUrl.exit)["reason"]).toBe('"<redacted>" is not an absolute URL')
    expectNoSecret(byBaseUrl.text)
  })

  it("JobWatchError: the last snapshot (Klaviyo's data) and the 404 it ended on", async () => {
    const processing = await jobDocument((a) => {
      a["status"] = "processing"
      a["errors"] = [{ id: "e1", code: "invalid", title: "Invalid", detail: `no category ${SECRET}` }]
    })
    server.script({ status: 200, headers: json, body: processing }, {
      status: 404,
      headers: json,
      body: `{"errors":[{"code":"not_found","title":"Not found","detail":"no job for ${SECRET}"}]}`,
    })
    const { exit, text } = await observe(
      awaitCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { interval: { min: "1 millis", max: "5 millis" } }),
      clientLayer(server, { apiKey: SECRET, ...once }),
      { dataHoldsKey: true },
    )
    const error = failureOf(exit)
    expect(error).toMatchObject({ _tag: "JobWatchError", reason: "gone" })
    const last = error["last"] as { job: { errors: ReadonlyArray<{ detail: string }> } }
    expect(last.job.errors[0]!.detail).toBe("no category <redacted>")
    expectNoSecret(text)
  })
})
