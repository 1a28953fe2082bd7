/**
 * The simulator serves the 27 operations of the table: for each of the nine job types, the
 * library's own POST, GET and list functions against its layer, with exact values (the job as
 * POSTed and as finished, the resources `include` resolves, the list, the stores the records
 * changed, the counts per job type and per limit class).
 */
import { Effect, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import * as Klaviyo from "../mod.ts"
import {
  KlaviyoClient,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
  SIMULATED_JOB_IDS,
  type SimulatedJobType,
} from "../mod.ts"
import { useServer } from "./support/server.ts"
import type { TestServer } from "./support/server.ts"
import { idAtStart, simulate, START } from "./support/simulated.ts"

const id = (externalId: string) => `$custom:::$default:::${externalId}`
const demoDate = new Date("2026-11-20T09:30:00Z")
const done = new Date(START + 1_100) // queued 1 s, then one record at 10 a second
const nulls = { image_full_url: null, image_thumbnail_url: null, images: null, custom_metadata: null }

type AnyCall = (...args: ReadonlyArray<unknown>) => Effect.Effect<unknown, unknown, KlaviyoClient>
type AnyList = (options?: object) => Stream.Stream<{ readonly id: string }, unknown, KlaviyoClient>
const table = Klaviyo as unknown as Readonly<Record<string, AnyCall>>
const lists = Klaviyo as unknown as Readonly<Record<string, AnyList>>

interface Case {
  readonly name: string
  readonly type: SimulatedJobType
  readonly post: string
  readonly records: ReadonlyArray<object>
  readonly collection: "items" | "variants" | "categories"
  /** The resources a GET with `include` resolves (none for a delete job, which takes no include). */
  readonly included?: ReadonlyArray<object>
  /** What the store holds for the record afterwards (`undefined`: it was deleted). */
  readonly stored: readonly [
    store: "items" | "variants" | "categories",
    id: string,
    value: object | undefined,
  ]
  /** The class of its GET and its list (its POST is always `jobs-write`). */
  readonly readClass: "jobs-read" | "jobs-write"
}

const cases: ReadonlyArray<Case> = [
  {
    name: "CatalogItemBulkCreateJob",
    type: "catalog-item-bulk-create-job",
    post: "bulkCreateCatalogItems",
    collection: "items",
    records: [{
      external_id: "NEW-1",
      title: "New shirt",
      description: "Green",
      url: "https://example.com/new-1",
      price: 30,
      categories: [id("APPAREL")],
    }],
    included: [{
      type: "catalog-item",
      id: id("NEW-1"),
      external_id: "NEW-1",
      title: "New shirt",
      description: "Green",
      price: 30,
      url: "https://example.com/new-1",
      ...nulls,
      published: null,
      created: done,
      updated: done,
    }],
    stored: ["items", id("NEW-1"), {
      id: id("NEW-1"),
      external_id: "NEW-1",
      title: "New shirt",
      description: "Green",
      url: "https://example.com/new-1",
      price: 30,
      categories: [id("APPAREL")],
      created: done,
      updated: done,
    }],
    readClass: "jobs-write",
  },
  {
    name: "CatalogItemBulkUpdateJob",
    type: "catalog-item-bulk-update-job",
    post: "bulkUpdateCatalogItems",
    collection: "items",
    records: [{ id: id("SHIRT-1"), price: 39 }],
    included: [{
      type: "catalog-item",
      id: id("SHIRT-1"),
      external_id: "SHIRT-1",
      title: "Ocean Blue Shirt",
      description: "Ocean Blue Shirt, from the demo catalog.",
      price: 39,
      url: "https://example.com/shirt-1",
      ...nulls,
      published: true,
      created: demoDate,
      updated: done,
    }],
    stored: ["items", id("SHIRT-1"), {
      id: id("SHIRT-1"),
      external_id: "SHIRT-1",
      title: "Ocean Blue Shirt",
      description: "Ocean Blue Shirt, from the demo catalog.",
      url: "https://example.com/shirt-1",
      price: 39,
      published: true,
      categories: [id("APPAREL")],
      created: demoDate,
      updated: done,
    }],
    readClass: "jobs-write",
  },
  {
    name: "CatalogItemBulkDeleteJob",
    type: "catalog-item-bulk-delete-job",
    post: "bulkDeleteCatalogItems",
    collection: "items",
    records: [{ id: id("HAT-1") }],
    stored: ["items", id("HAT-1"), undefined],
    readClass: "jobs-read",
  },
  {
    name: "CatalogVariantBulkCreateJob",
    type: "catalog-variant-bulk-create-job",
    post: "bulkCreateCatalogVariants",
    collection: "variants",
    records: [{
      external_id: "SHIRT-1-S",
      title: "Ocean Blue Shirt, S",
      description: "Small",
      sku: "OBS-S",
      inventory_quantity: 4,
      price: 42,
      url: "https://example.com/shirt-1?size=s",
      item: id("SHIRT-1"),
    }],
    included: [{
      type: "catalog-variant",
      id: id("SHIRT-1-S"),
      external_id: "SHIRT-1-S",
      title: "Ocean Blue Shirt, S",
      description: "Small",
      sku: "OBS-S",
      inventory_policy: null,
      inventory_quantity: 4,
      price: 42,
      url: "https://example.com/shirt-1?size=s",
      ...nulls,
      published: null,
      created: done,
      updated: done,
    }],
    stored: ["variants", id("SHIRT-1-S"), {
      id: id("SHIRT-1-S"),
      external_id: "SHIRT-1-S",
      title: "Ocean Blue Shirt, S",
      description: "Small",
      sku: "OBS-S",
      inventory_quantity: 4,
      price: 42,
      url: "https://example.com/shirt-1?size=s",
      item: id("SHIRT-1"),
      created: done,
      updated: done,
    }],
    readClass: "jobs-write",
  },
  {
    name: "CatalogVariantBulkUpdateJob",
    type: "catalog-variant-bulk-update-job",
    post: "bulkUpdateCatalogVariants",
    collection: "variants",
    records: [{ id: id("SHIRT-1-M"), inventory_quantity: 3 }],
    included: [{
      type: "catalog-variant",
      id: id("SHIRT-1-M"),
      external_id: "SHIRT-1-M",
      title: "Ocean Blue Shirt, M",
      description: null,
      sku: "OBS-M",
      inventory_policy: 1,
      inventory_quantity: 3,
      price: 42,
      url: null,
      ...nulls,
      published: true,
      created: demoDate,
      updated: done,
    }],
    stored: ["variants", id("SHIRT-1-M"), {
      id: id("SHIRT-1-M"),
      external_id: "SHIRT-1-M",
      title: "Ocean Blue Shirt, M",
      sku: "OBS-M",
      inventory_quantity: 3,
      inventory_policy: 1,
      price: 42,
      published: true,
      created: demoDate,
      updated: done,
      item: id("SHIRT-1"),
    }],
    readClass: "jobs-write",
  },
  {
    name: "CatalogVariantBulkDeleteJob",
    type: "catalog-variant-bulk-delete-job",
    post: "bulkDeleteCatalogVariants",
    collection: "variants",
    records: [{ id: id("SHIRT-1-L") }],
    stored: ["variants", id("SHIRT-1-L"), undefined],
    readClass: "jobs-read",
  },
  {
    name: "CatalogCategoryBulkCreateJob",
    type: "catalog-category-bulk-create-job",
    post: "bulkCreateCatalogCategories",
    collection: "categories",
    records: [{ external_id: "HATS", name: "Hats", items: [id("HAT-1")] }],
    included: [{
      type: "catalog-category",
      id: id("HATS"),
      external_id: "HATS",
      name: "Hats",
      updated: done,
    }],
    stored: ["categories", id("HATS"), {
      id: id("HATS"),
      external_id: "HATS",
      name: "Hats",
      items: [id("HAT-1")],
      updated: done,
    }],
    readClass: "jobs-read",
  },
  {
    name: "CatalogCategoryBulkUpdateJob",
    type: "catalog-category-bulk-update-job",
    post: "bulkUpdateCatalogCategories",
    collection: "categories",
    records: [{ id: id("APPAREL"), name: "Clothing" }],
    included: [{
      type: "catalog-category",
      id: id("APPAREL"),
      external_id: "APPAREL",
      name: "Clothing",
      updated: done,
    }],
    stored: ["categories", id("APPAREL"), {
      id: id("APPAREL"),
      external_id: "APPAREL",
      name: "Clothing",
      updated: done,
    }],
    readClass: "jobs-read",
  },
  {
    name: "CatalogCategoryBulkDeleteJob",
    type: "catalog-category-bulk-delete-job",
    post: "bulkDeleteCatalogCategories",
    collection: "categories",
    records: [{ id: id("FOOTWEAR") }],
    stored: ["categories", id("FOOTWEAR"), undefined],
    readClass: "jobs-read",
  },
]

describe("every operation, through the library's own functions", () => {
  for (const c of cases) {
    it(`${c.post}, get${c.name}, list${c.name}s: the job queued, then complete, its records applied`, async () => {
      const model = KlaviyoSimulator.model()
      const result = await simulate(
        model,
        Effect.gen(function* () {
          const posted = yield* table[c.post]!(c.records)
          yield* TestClock.adjust("1 minute")
          const include = c.included === undefined ? {} : { include: [c.collection] }
          const got = yield* table[`get${c.name}`]!((posted as { id: string }).id, include)
          const complete = yield* Stream.runCollect(lists[`list${c.name}s`]!({ status: "complete" }))
          const queued = yield* Stream.runCollect(lists[`list${c.name}s`]!({ status: "queued" }))
          return { posted, got, complete: complete.map((job) => job.id), queued: queued.length }
        }),
      )
      const job = {
        type: c.type,
        id: idAtStart(1),
        created_at: new Date(START),
        total_count: 1,
        expires_at: new Date(START + 7 * 24 * 3_600_000),
      }
      expect(result.posted).toEqual({
        ...job,
        status: "queued",
        completed_count: 0,
        failed_count: 0,
        completed_at: null,
        errors: [],
      })
      expect(result.got).toEqual({
        ...job,
        status: "complete",
        completed_count: 1,
        failed_count: 0,
        completed_at: done,
        errors: [],
        ...(c.included === undefined ? {} : { [c.collection]: c.included, unresolved: [] }),
      })
      expect(result.complete).toEqual([idAtStart(1), SIMULATED_JOB_IDS[c.type]])
      expect(result.queued).toBe(0)
      const [store, key, value] = c.stored
      expect(model[store].get(key)).toEqual(value)
      expect(Object.entries(model.stats.jobsCreated).filter(([, n]) => n > 0)).toEqual([[c.type, 1]])
      expect(Object.entries(model.stats.posts).filter(([, n]) => n > 0)).toEqual([[c.type, 1]])
      const reads = c.readClass === "jobs-read" ? 3 : 0
      expect(model.stats.byClass).toEqual({
        "jobs-read": { requests: reads, throttled: 0 },
        "jobs-write": { requests: 4 - reads, throttled: 0 },
      })
    })
  }
})

describe("the routes", () => {
  it("are the table's 27 operations, each with the class of its row", () => {
    const routes = KlaviyoSimulator.model().routes
    expect(routes.map((route) => `${route.method} ${route.path} ${route.limitClass} ${route.operation}`))
      .toEqual(
        ["item", "variant", "category"].flatMap((resource) =>
          ["create", "update", "delete"].flatMap((operation) => {
            const path = `/api/catalog-${resource}-bulk-${operation}-jobs`
            const name = `Catalog${resource[0]!.toUpperCase()}${resource.slice(1)}Bulk${
              operation[0]!.toUpperCase()
            }${operation.slice(1)}Job`
            const plural = resource === "category"
              ? "Categories"
              : `${resource[0]!.toUpperCase()}${resource.slice(1)}s`
            const read = resource === "category" || operation === "delete" ? "jobs-read" : "jobs-write"
            return [
              `GET ${path}/{job_id} ${read} get${name}`,
              `GET ${path} ${read} list${name}s`,
              `POST ${path} jobs-write bulk${operation[0]!.toUpperCase()}${
                operation.slice(1)
              }Catalog${plural}`,
            ]
          })
        ),
      )
    for (const route of routes) expect(typeof table[route.operation]).toBe("function")
  })

  it("serves a demo job of each type by default, finished", async () => {
    const model = KlaviyoSimulator.model()
    const statuses = await simulate(
      model,
      Effect.forEach(cases, (c) =>
        Effect.map(
          table[`get${c.name}`]!(SIMULATED_JOB_IDS[c.type]),
          (job) => [c.type, (job as { status: string }).status],
        )),
    )
    expect(Object.fromEntries(statuses)).toEqual(Object.fromEntries(cases.map((c) => [c.type, "complete"])))
  })
})

describe("behind a real server", () => {
  let server!: TestServer
  useServer((started) => (server = started))

  it("the POST's body reaches the model, which creates the job", async () => {
    const job = await bulkCreate(server)
    expect(server.requests.map((request) => [request.method, request.target])).toEqual([
      ["POST", "/api/catalog-category-bulk-create-jobs"],
    ])
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      data: {
        type: "catalog-category-bulk-create-job",
        attributes: {
          categories: {
            data: [{ type: "catalog-category", attributes: { external_id: "BAGS", name: "Bags" } }],
          },
        },
      },
    })
    expect(job).toMatchObject({ type: "catalog-category-bulk-create-job", status: "queued", total_count: 1 })
    expect(server.model.jobs.get(job.id)?.records).toEqual([{ external_id: "BAGS", name: "Bags" }])
    expect(server.model.stats.jobsCreated["catalog-category-bulk-create-job"]).toBe(1)
  })
})

const bulkCreate = (server: TestServer) =>
  Klaviyo.bulkCreateCatalogCategories([{ external_id: "BAGS", name: "Bags" }]).pipe(
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, baseUrl: server.url, retry: false })),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )
