import { describe, expect, it } from "vitest"
import {
  InvalidRequest,
  KlaviyoApiError,
  KlaviyoSimulator,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((started) => {
  server = started
})

describe("the Promise facade", () => {
  it("resolves with the same typed job as the Effect API", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
      fields: { "catalog-category-bulk-update-job": ["status", "total_count"], "catalog-category": ["name"] },
      include: ["categories"],
    })
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: SIMULATED_JOB_ID,
      status: "complete",
      total_count: 3,
      categories: [
        { type: "catalog-category", id: "$custom:::$default:::APPAREL", name: "Apparel" },
        { type: "catalog-category", id: "$custom:::$default:::FOOTWEAR", name: "Footwear" },
        { type: "catalog-category", id: "$custom:::$default:::ACCESSORIES", name: "Accessories" },
      ],
      unresolved: [],
    })
  })

  it("rejects with the tagged error instance", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    const error = await client.getCatalogCategoryBulkUpdateJob("01NOSUCHJOB").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect((error as KlaviyoApiError)._tag).toBe("KlaviyoApiError")
    expect((error as KlaviyoApiError).status).toBe(404)
  })

  it("rejects a bad option with InvalidRequest on every call, sending nothing", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: "http://klaviyo.example" })
    for (let i = 0; i < 2; i++) {
      const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidRequest)
      expect((error as InvalidRequest).input).toBe("baseUrl")
    }
    expect(server.requests).toHaveLength(0)
  })

  it("rejects an aborted call with the signal's reason and drops the request", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    server.script("hang")
    const controller = new AbortController()
    const pending = client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {}, {
      signal: controller.signal,
    })
    for (let i = 0; i < 100 && server.hanging() === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(server.hanging()).toBe(1)
    const reason = new Error("the user gave up")
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    for (let i = 0; i < 100 && server.hanging() > 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(server.hanging()).toBe(0)
  })

  it("rejects at once when the signal is already aborted, sending nothing", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    const reason = new Error("too late")
    await expect(
      client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {}, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason)
    expect(server.requests).toHaveLength(0)
  })

  it("works over the simulator without a network", async () => {
    const client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, httpClient: KlaviyoSimulator.layer() })
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expect(job.status).toBe("complete")
    await client.close()
  })
})
