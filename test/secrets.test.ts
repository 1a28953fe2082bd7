import { inspect } from "node:util"
import { Effect, Exit, Layer, Logger, Redacted, References, Tracer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoClient,
  makeKlaviyoClient,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { clientLayer } from "./support/run.ts"
import { startServer, type TestServer } from "./support/server.ts"

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
              record.exit = exit
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
      Effect.tap((value) => Effect.logDebug("result", value)),
      Effect.tapError((error) => Effect.logError("failed", error)),
      Effect.provide(layer),
      Effect.withTracer(tracer),
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "All"),
    ),
  )
  seen.push(exit)
  return { exit, seen, text: inspect(seen, { depth: 12, showHidden: true }) + safeStringify(seen) }
}

const safeStringify = (value: unknown) => {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v))
  } catch {
    return ""
  }
}

const expectNoSecret = (text: string) => {
  expect(text.length).toBeGreaterThan(100)
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain("SECRET_e2b9")
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
