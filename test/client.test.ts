import { ConfigProvider, Effect, Exit, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  InvalidRequest,
  KlaviyoClient,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((started) => {
  server = started
}, { accessToken: "oauth-token-2" })

const fromEnv = (env: Record<string, string>, overrides?: Parameters<typeof KlaviyoClient.layerConfig>[0]) =>
  getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
    Effect.provide(KlaviyoClient.layerConfig(overrides).pipe(Layer.provide(FetchHttpClient.layer))),
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnvRecord(env)),
    Effect.runPromiseExit,
  )

describe("KlaviyoClient.layerConfig", () => {
  it("reads the key, the base URL and the revision from the environment", async () => {
    const exit = await fromEnv({
      KLAVIYO_API_KEY: SIMULATED_API_KEY,
      KLAVIYO_BASE_URL: server.url,
      KLAVIYO_REVISION: "2025-07-15",
    })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(server.requests[0]!.headers["authorization"]).toBe(`Klaviyo-API-Key ${SIMULATED_API_KEY}`)
    expect(server.requests[0]!.headers["revision"]).toBe("2025-07-15")
  })

  it("reads an OAuth access token when no key is set", async () => {
    const exit = await fromEnv({ KLAVIYO_ACCESS_TOKEN: "oauth-token-2", KLAVIYO_BASE_URL: server.url })
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(server.requests[0]!.headers["authorization"]).toBe("Bearer oauth-token-2")
  })

  it("lets overrides win over the environment", async () => {
    await fromEnv({ KLAVIYO_API_KEY: SIMULATED_API_KEY, KLAVIYO_BASE_URL: "https://a.klaviyo.com" }, {
      baseUrl: server.url,
      revision: "2026-04-15",
    })
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]!.headers["revision"]).toBe("2026-04-15")
  })

  it("fails with InvalidRequest naming KLAVIYO_API_KEY when no credential is set", async () => {
    const exit = await fromEnv({ KLAVIYO_BASE_URL: server.url })
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
    expect(error?._tag === "Fail" ? error.error : undefined).toBeInstanceOf(InvalidRequest)
    expect(String(error?._tag === "Fail" ? (error.error as InvalidRequest).message : "")).toBe(
      "Invalid credentials: apiKey is empty (set KLAVIYO_API_KEY or pass apiKey)",
    )
    expect(server.requests).toHaveLength(0)
  })
})

describe("the facade's lifecycle", () => {
  it("rejects calls made after close", async () => {
    const client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    await client.close()
    const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRequest)
    expect((error as InvalidRequest).message).toBe(
      "Invalid client: the client is closed; make a new one with makeKlaviyoClient",
    )
    expect(server.requests).toHaveLength(1)
  })
})
