/**
 * Every row of the table against the real local server: the exact method, path, query and body
 * on the wire, and the exact decoded value.
 */
import { Effect, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import * as Klaviyo from "../mod.ts"
import { KlaviyoClient } from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))

const run = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>): Promise<A> =>
  effect.pipe(
    Effect.provide(
      KlaviyoClient.layer({ apiKey: "pk_test_table", baseUrl: server.url, retry: false, rateLimit: false }),
    ),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )

const answer = (status: number, document: unknown) =>
  server.script({
    status,
    headers: { "content-type": "application/vnd.api+json" },
    body: JSON.stringify(document),
  })

const jobAttributes = {
  status: "processing",
  created_at: "2026-11-27T14:00:00+00:00",
  total_count: 2,
  completed_count: 1,
  errors: [],
}

/** An included resource of each type, on the wire and decoded (with the fieldset asked for). */
const included = {
  "catalog-item": {
    fields: ["title", "updated"],
    wire: { title: "Shirt", updated: "2022-11-08T00:00:00" },
    decoded: { title: "Shirt", updated: new Date("2022-11-08T00:00:00Z") },
  },
  "catalog-variant": {
    fields: ["sku", "inventory_quantity"],
    wire: { sku: "SH-1-M", inventory_quantity: 5 },
    decoded: { sku: "SH-1-M", inventory_quantity: 5 },
  },
  "catalog-category": {
    fields: ["name", "updated"],
    wire: { name: "Apparel", updated: "2022-11-08T00:00:00+00:00" },
    decoded: { name: "Apparel", updated: new Date("2022-11-08T00:00:00Z") },
  },
} as const

type Resource = keyof typeof included
const resources: ReadonlyArray<readonly [string, Resource, string]> = [
  ["Item", "catalog-item", "items"],
  ["Variant", "catalog-variant", "variants"],
  ["Category", "catalog-category", "categories"],
]
const operations = ["Create", "Update", "Delete"] as const

type AnyGet = (id: string, options?: object) => Effect.Effect<unknown, Klaviyo.KlaviyoError, KlaviyoClient>
type AnyPost = (
  records: ReadonlyArray<object>,
  options?: object,
) => Effect.Effect<unknown, Klaviyo.KlaviyoError, KlaviyoClient>
const table = Klaviyo as unknown as Readonly<Record<string, AnyGet & AnyPost>>

describe("the GET rows", () => {
  for (const [name, resource, relationship] of resources) {
    for (const operation of operations) {
      const jobType = `${resource}-bulk-${operation.toLowerCase()}-job`
      const includes = operation !== "Delete"
      it(`get${`Catalog${name}Bulk${operation}Job`}: GET /api/${jobType}s/{id}${includes ? ` with include=${relationship}` : ""}`, async () => {
        const get = table[`getCatalog${name}Bulk${operation}Job`]!
        const other = { type: resource, id: "$custom:::$default:::B" }
        answer(200, {
          data: {
            type: jobType,
            id: "01JOB",
            attributes: { status: "processing", total_count: 2 },
            relationships: includes
              ? { [relationship]: { data: [{ type: resource, id: "$custom:::$default:::A" }, other] } }
              : undefined,
          },
          included: includes
            ? [{ type: resource, id: "$custom:::$default:::A", attributes: included[resource].wire }]
            : undefined,
        })
        const job = await run(get("01JOB", {
          fields: {
            [jobType]: ["status", "total_count"],
            ...(includes ? { [resource]: included[resource].fields } : {}),
          },
          ...(includes ? { include: [relationship] } : {}),
        }))
        const request = server.requests[0]!
        expect(request.method).toBe("GET")
        expect(request.target).toBe(
          `/api/${jobType}s/01JOB?fields[${jobType}]=status,total_count` +
            (includes
              ? `&fields[${resource}]=${included[resource].fields.join(",")}&include=${relationship}`
              : ""),
        )
        expect(request.body).toBe("")
        expect(job).toEqual({
          type: jobType,
          id: "01JOB",
          status: "processing",
          total_count: 2,
          ...(includes
            ? {
              [relationship]: [{
                type: resource,
                id: "$custom:::$default:::A",
                ...included[resource].decoded,
              }],
              unresolved: [{ relationship, ...other }],
            }
            : {}),
        })
      })
    }
  }
})

/** For each POST row: the records given, and the resources the spec's body must hold. */
const posts: Readonly<Record<string, readonly [ReadonlyArray<object>, ReadonlyArray<object>]>> = {
  bulkCreateCatalogItems: [
    [{
      external_id: "S1",
      title: "Shirt",
      description: "Blue",
      url: "https://x/s1",
      price: 42,
      categories: ["C1", "C2"],
    }],
    [{
      type: "catalog-item",
      attributes: { external_id: "S1", title: "Shirt", description: "Blue", url: "https://x/s1", price: 42 },
      relationships: {
        categories: {
          data: [{ type: "catalog-category", id: "C1" }, { type: "catalog-category", id: "C2" }],
        },
      },
    }],
  ],
  bulkUpdateCatalogItems: [
    [{ id: "I1", price: 39 }, { id: "I2", categories: [] }],
    [
      { type: "catalog-item", id: "I1", attributes: { price: 39 } },
      { type: "catalog-item", id: "I2", attributes: {}, relationships: { categories: { data: [] } } },
    ],
  ],
  bulkDeleteCatalogItems: [[{ id: "I1" }, { id: "I2" }], [{ type: "catalog-item", id: "I1" }, {
    type: "catalog-item",
    id: "I2",
  }]],
  bulkCreateCatalogVariants: [
    [{
      external_id: "V1",
      title: "M",
      description: "Medium",
      sku: "SKU1",
      inventory_quantity: 3,
      price: 42,
      url: "https://x/v1",
      inventory_policy: 1,
      item: "I1",
    }],
    [{
      type: "catalog-variant",
      attributes: {
        external_id: "V1",
        title: "M",
        description: "Medium",
        sku: "SKU1",
        inventory_quantity: 3,
        price: 42,
        url: "https://x/v1",
        inventory_policy: 1,
      },
      relationships: { item: { data: { type: "catalog-item", id: "I1" } } },
    }],
  ],
  bulkUpdateCatalogVariants: [[{ id: "V1", inventory_quantity: 0, published: false }], [{
    type: "catalog-variant",
    id: "V1",
    attributes: { inventory_quantity: 0, published: false },
  }]],
  bulkDeleteCatalogVariants: [[{ id: "V1" }], [{ type: "catalog-variant", id: "V1" }]],
  bulkCreateCatalogCategories: [
    [{ external_id: "C1", name: "Apparel", items: ["I1"] }],
    [{
      type: "catalog-category",
      attributes: { external_id: "C1", name: "Apparel" },
      relationships: { items: { data: [{ type: "catalog-item", id: "I1" }] } },
    }],
  ],
  bulkUpdateCatalogCategories: [[{ id: "C1", name: null }], [{
    type: "catalog-category",
    id: "C1",
    attributes: { name: null },
  }]],
  bulkDeleteCatalogCategories: [[{ id: "C1" }], [{ type: "catalog-category", id: "C1" }]],
}

describe("the POST rows", () => {
  for (const [name, resource, relationship] of resources) {
    for (const operation of operations) {
      const jobType = `${resource}-bulk-${operation.toLowerCase()}-job`
      const plural = relationship[0]!.toUpperCase() + relationship.slice(1)
      const fn = `bulk${operation}Catalog${plural}`
      it(`${fn}: POST /api/${jobType}s with the spec's body`, async () => {
        const [records, data] = posts[fn]!
        answer(202, {
          data: { type: jobType, id: "01NEWJOB", attributes: { ...jobAttributes, status: "queued" } },
        })
        const job = await run(table[fn]!(records))
        const request = server.requests[0]!
        expect(request.method).toBe("POST")
        expect(request.target).toBe(`/api/${jobType}s`)
        expect(request.headers["content-type"]).toBe("application/vnd.api+json")
        expect(JSON.parse(request.body)).toEqual({
          data: { type: jobType, attributes: { [relationship]: { data } } },
        })
        expect(job).toEqual({
          type: jobType,
          id: "01NEWJOB",
          status: "queued",
          created_at: new Date("2026-11-27T14:00:00Z"),
          total_count: 2,
          completed_count: 1,
          errors: [],
        })
        void name
      })
    }
  }
})

describe("old revisions", () => {
  it("POSTs and lists with the trailing slash and application/json before 2024-10-15", async () => {
    const type = "catalog-category-bulk-delete-job"
    answer(202, { data: { type, id: "01OLD", attributes: { ...jobAttributes, status: "queued" } } })
    server.script({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        data: [{ type, id: "01OLD", attributes: jobAttributes }],
        links: { next: null },
      }),
    })
    const layer = KlaviyoClient.layer({
      apiKey: "pk_test_table",
      baseUrl: server.url,
      revision: "2024-07-15",
      retry: false,
      rateLimit: false,
    })
    const provide = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>) =>
      effect.pipe(Effect.provide(layer), Effect.provide(FetchHttpClient.layer), Effect.runPromise)
    const created = await provide(Klaviyo.bulkDeleteCatalogCategories([{ id: "C1" }]))
    const listed = await provide(Stream.runCollect(Klaviyo.listCatalogCategoryBulkDeleteJobs()))
    expect([created.id, listed.map((job) => job.id)]).toEqual(["01OLD", ["01OLD"]])
    expect(
      server.requests.map((request) => [request.method, request.target, request.headers["content-type"]]),
    )
      .toEqual([
        ["POST", `/api/${type}s/`, "application/json"],
        ["GET", `/api/${type}s/`, undefined],
      ])
  })
})

describe("a POST's fieldset", () => {
  it("asks for the job's fields in the query and decodes only them", async () => {
    const type = "catalog-item-bulk-delete-job"
    answer(202, { data: { type, id: "01NEW", attributes: { status: "queued" } } })
    const job = await run(Klaviyo.bulkDeleteCatalogItems([{ id: "I1" }], { fields: { [type]: ["status"] } }))
    expect(job).toEqual({ type, id: "01NEW", status: "queued" })
    expect(server.requests[0]!.target).toBe(`/api/${type}s?fields[${type}]=status`)
  })

  it("refuses another type's fieldset before sending", async () => {
    const error = await run(
      Effect.flip(
        Klaviyo.bulkDeleteCatalogItems([{ id: "I1" }], {
          fields: { "catalog-item": ["title"] } as unknown as { "catalog-item-bulk-delete-job": ["status"] },
        }),
      ),
    )
    expect([error._tag, error.message]).toEqual([
      "InvalidRequest",
      'Invalid fields: fields[catalog-item]: this endpoint returns only "catalog-item-bulk-delete-job"',
    ])
    expect(server.requests).toEqual([])
  })
})
