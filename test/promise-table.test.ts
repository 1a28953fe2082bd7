/**
 * The Promise facade's table methods: a GET and a POST resolve with the job, a list is iterated
 * with `for await`, and leaving the loop stops fetching.
 */
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import { makeKlaviyoClient } from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))

const type = "catalog-variant-bulk-create-job"
const job = (id: string, status = "processing") => ({
  type,
  id,
  attributes: { status, created_at: "2026-11-27T14:00:00Z", total_count: 1 },
})
const doc = (status: number, body: unknown) => ({
  status,
  headers: { "content-type": "application/vnd.api+json" },
  body: JSON.stringify(body),
})
const client = () =>
  makeKlaviyoClient({
    apiKey: "pk_test_promise_table",
    baseUrl: server.url,
    rateLimit: false,
    retry: false,
    httpClient: FetchHttpClient.layer,
  })

describe("the Promise facade over the table", () => {
  it("resolves a GET and a POST of the table with the job", async () => {
    const klaviyo = client()
    server.script(doc(200, { data: job("J1") }), doc(202, { data: job("J2", "queued") }))
    const got = await klaviyo.getCatalogVariantBulkCreateJob("J1", { fields: { [type]: ["status"] } })
    expect(got).toEqual({ type, id: "J1", status: "processing" })
    const posted = await klaviyo.bulkCreateCatalogVariants([{
      external_id: "V1",
      title: "M",
      description: "Medium",
      sku: "SKU",
      inventory_quantity: 1,
      price: 2,
      url: "https://x",
      item: "I1",
    }])
    expect(posted.id).toBe("J2")
    expect(server.requests.map((request) => `${request.method} ${request.target}`)).toEqual([
      `GET /api/${type}s/J1?fields[${type}]=status`,
      `POST /api/${type}s`,
    ])
    await klaviyo.close()
  })

  it("iterates a list with for await, and stops fetching when the loop is left", async () => {
    const klaviyo = client()
    const next = (cursor: string) => ({ next: `${server.url}/api/${type}s?page[cursor]=${cursor}` })
    server.script(
      doc(200, { data: [job("J1"), job("J2")], links: next("p2") }),
      doc(200, { data: [job("J3")], links: next("p3") }),
      doc(200, { data: [job("J4")], links: { next: null } }),
    )
    const seen: Array<string> = []
    for await (const listed of klaviyo.listCatalogVariantBulkCreateJobs({ status: "processing" })) {
      seen.push(listed.id)
      if (seen.length === 3) break
    }
    expect(seen).toEqual(["J1", "J2", "J3"])
    expect(server.requests.length).toBe(2)
    await klaviyo.close()
    server.script()
  })
})
