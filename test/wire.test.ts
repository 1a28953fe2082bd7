import { describe, expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob, SIMULATED_API_KEY, SIMULATED_JOB_ID } from "../mod.ts"
import { run, runExit, runtimeName } from "./support/run.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((started) => {
  server = started
}, { accessToken: "oauth-token-1" })

describe("the request on the wire", () => {
  it("runs on the runtime the npm script names", () => {
    const expected = process.env["EXPECT_RUNTIME"]
    expect(runtimeName()).toBe(expected ?? runtimeName())
    if (expected !== undefined) expect(["node", "deno", "bun"]).toContain(expected)
  })

  it("sends GET to the job path with the key, the revision and the JSON:API media type", async () => {
    await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server)
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request!.method).toBe("GET")
    expect(request!.target).toBe(`/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`)
    expect(request!.headers["authorization"]).toBe(`Klaviyo-API-Key ${SIMULATED_API_KEY}`)
    expect(request!.headers["revision"]).toBe("2026-07-15")
    expect(request!.headers["accept"]).toBe("application/vnd.api+json")
  })

  it("sends an OAuth access token as Bearer", async () => {
    await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, { accessToken: "oauth-token-1" })
    expect(server.requests[0]!.headers["authorization"]).toBe("Bearer oauth-token-1")
  })

  it("builds fields[...] and include, comma-separated without spaces", async () => {
    await run(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
        fields: {
          "catalog-category-bulk-update-job": ["status", "total_count", "status"],
          "catalog-category": ["name", "external_id"],
        },
        include: ["categories"],
      }),
      server,
    )
    const query = server.requests[0]!.url.searchParams
    expect([...query.keys()]).toEqual([
      "fields[catalog-category-bulk-update-job]",
      "fields[catalog-category]",
      "include",
    ])
    expect(query.get("fields[catalog-category-bulk-update-job]")).toBe("status,total_count")
    expect(query.get("fields[catalog-category]")).toBe("name,external_id")
    expect(query.get("include")).toBe("categories")
  })

  it("sends no query at all without options", async () => {
    await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server)
    expect(server.requests[0]!.url.search).toBe("")
  })

  it("percent-encodes the id as one path segment", async () => {
    server.model.jobs.set("a/b c?#%", { ...server.model.jobs.get(SIMULATED_JOB_ID)!, id: "a/b c?#%" })
    const job = await run(getCatalogCategoryBulkUpdateJob("a/b c?#%"), server)
    expect(server.requests[0]!.target).toBe("/api/catalog-category-bulk-update-jobs/a%2Fb%20c%3F%23%25")
    expect(job.id).toBe("a/b c?#%")
  })

  it("uses the trailing slash and application/json for revisions before 2024-10-15", async () => {
    await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, { revision: "2024-07-15" })
    const [request] = server.requests
    expect(request!.target).toBe(`/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}/`)
    expect(request!.headers["accept"]).toBe("application/json")
    expect(request!.headers["revision"]).toBe("2024-07-15")
  })

  it("uses no trailing slash from 2024-10-15 on", async () => {
    await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, { revision: "2024-10-15" })
    expect(server.requests[0]!.target).toBe(`/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`)
    expect(server.requests[0]!.headers["accept"]).toBe("application/vnd.api+json")
  })

  it("keeps a revision's suffix in the header", async () => {
    await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, { revision: "2026-07-15.pre" })
    expect(server.requests[0]!.headers["revision"]).toBe("2026-07-15.pre")
  })

  it("keeps a path prefix of the base URL (a proxy)", async () => {
    await runExit(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      baseUrl: `${server.url}/proxy/klaviyo/`,
    })
    expect(server.requests[0]!.target).toBe(
      `/proxy/klaviyo/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
    )
  })

  it("sends an old revision's fieldset as given, and still knows the job's id", async () => {
    const job = await run(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
        fields: { "catalog-category-bulk-update-job": ["status"] },
      }),
      server,
      { revision: "2023-10-15" },
    )
    expect(server.requests[0]!.url.searchParams.get("fields[catalog-category-bulk-update-job]")).toBe(
      "status",
    )
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: SIMULATED_JOB_ID,
      status: "complete",
    })
  })

  it("writes the query with readable brackets and commas", async () => {
    await run(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
        fields: { "catalog-category-bulk-update-job": ["status", "total_count"] },
        include: ["categories"],
      }),
      server,
    )
    expect(server.requests[0]!.target).toBe(
      `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}?fields[catalog-category-bulk-update-job]=status,total_count&include=categories`,
    )
  })
})
