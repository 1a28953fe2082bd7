import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob } from "../mod.ts"
import { run } from "./support/run.ts"
import { startServer, type TestServer } from "./support/server.ts"

const JOB = "01GSQPBF74KQ5YTDEPP41T1BZH"
const category = (id: string, name: string) => ({
  id,
  external_id: id.toUpperCase(),
  name,
  updated: new Date("2026-01-02T03:04:05Z"),
})

let server: TestServer
beforeAll(async () => {
  server = await startServer({
    jobs: [{
      id: JOB,
      status: "processing",
      created_at: new Date("2026-11-27T14:00:00Z"),
      total_count: 4,
      completed_count: 1,
      failed_count: 0,
      // Relationship order differs from the store's order, and "gone" does not exist.
      categories: ["c3", "c1", "gone", "c2"],
    }],
    categories: [
      category("c1", "One"),
      category("c2", "Two"),
      category("c3", "Three"),
      category("c4", "Four"),
    ],
  })
})
afterAll(() => server.close())

describe("resolving included categories", () => {
  it("resolves categories in relationship order and reports the missing one", async () => {
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB, { include: ["categories"] }), server)
    expect(job.categories.map((c) => c.id)).toEqual(["c3", "c1", "c2"])
    expect(job.categories[0]).toEqual({
      type: "catalog-category",
      id: "c3",
      external_id: "C3",
      name: "Three",
      updated: new Date("2026-01-02T03:04:05Z"),
    })
    expect(job.unresolved).toEqual([{ relationship: "categories", type: "catalog-category", id: "gone" }])
  })

  it("resolves from included in any order and ignores resources nobody references", async () => {
    server.script({
      status: 200,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({
        data: {
          type: "catalog-category-bulk-update-job",
          id: JOB,
          attributes: { status: "queued", created_at: "2026-11-27T14:00:00+00:00", total_count: 2 },
          relationships: {
            categories: {
              data: [{ type: "catalog-category", id: "x" }, { type: "catalog-category", id: "y" }],
            },
          },
          links: { self: "s" },
        },
        included: [
          { type: "catalog-category", id: "unreferenced", attributes: { name: "Nobody's" } },
          { type: "catalog-category", id: "y", attributes: { name: "Y" } },
          { type: "catalog-item", id: "x", attributes: { title: "an item with the same id" } },
          { type: "catalog-category", id: "x", attributes: { name: "X" } },
        ],
      }),
    })
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB, { include: ["categories"] }), server)
    expect(job.categories).toEqual([
      { type: "catalog-category", id: "x", name: "X" },
      { type: "catalog-category", id: "y", name: "Y" },
    ])
    expect(job.unresolved).toEqual([])
  })

  it("narrows categories to the category fieldset", async () => {
    const job = await run(
      getCatalogCategoryBulkUpdateJob(JOB, {
        include: ["categories"],
        fields: { "catalog-category": ["name"] },
      }),
      server,
    )
    expect(job.categories).toEqual([
      { type: "catalog-category", id: "c3", name: "Three" },
      { type: "catalog-category", id: "c1", name: "One" },
      { type: "catalog-category", id: "c2", name: "Two" },
    ])
  })

  it("adds no categories without include", async () => {
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB), server)
    expect("categories" in job).toBe(false)
    expect("unresolved" in job).toBe(false)
  })

  it("gives an empty list when the job has no categories relationship", async () => {
    server.script({
      status: 200,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({
        data: {
          type: "catalog-category-bulk-update-job",
          id: JOB,
          attributes: { status: "queued", created_at: "2026-11-27T14:00:00+00:00", total_count: 0 },
          links: { self: "s" },
        },
      }),
    })
    const job = await run(getCatalogCategoryBulkUpdateJob(JOB, { include: ["categories"] }), server)
    expect(job.categories).toEqual([])
    expect(job.unresolved).toEqual([])
  })
})
