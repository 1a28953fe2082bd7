/**
 * A job-creating POST checks its records before sending: each refusal is an InvalidRequest that
 * names the record and the reason, and nothing goes on the wire.
 */
import { Effect } from "effect"
import { FetchHttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import {
  bulkCreateCatalogCategories,
  bulkCreateCatalogItems,
  bulkCreateCatalogVariants,
  bulkDeleteCatalogItems,
  bulkUpdateCatalogItems,
  type CatalogItemCreateRecord,
  type InvalidRequest,
  KlaviyoClient,
} from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))

const refusal = async (effect: Effect.Effect<unknown, unknown, KlaviyoClient>): Promise<InvalidRequest> => {
  const error = await effect.pipe(
    Effect.flip,
    Effect.provide(
      KlaviyoClient.layer({ apiKey: "pk_test_validation", baseUrl: server.url, rateLimit: false }),
    ),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )
  expect(server.requests).toEqual([])
  return error as InvalidRequest
}

const item = (index: number): CatalogItemCreateRecord => ({
  external_id: `S${index}`,
  title: "Shirt",
  description: "Blue",
  url: "https://example.com/s",
})

describe("records refused before sending", () => {
  it("refuses no records", async () => {
    const error = await refusal(bulkCreateCatalogItems([]))
    expect([error._tag, error.input, error.reason]).toEqual([
      "InvalidRequest",
      "records",
      "no records: a job takes 1 to 100",
    ])
  })

  it("refuses 101 records", async () => {
    const many = Array.from({ length: 101 }, (_, index) => item(index))
    const error = await refusal(bulkCreateCatalogItems(many))
    expect(error.reason).toBe("101 records: a job takes at most 100 (split them into several jobs)")
  })

  it("refuses a body over 5 MB, measured in UTF-8 bytes of the encoded JSON", async () => {
    // 100 records of 25,000 three-byte characters: 7.5 MB in UTF-8, 2.5 M characters.
    const big = Array.from(
      { length: 100 },
      (_, index) => ({ ...item(index), description: "€".repeat(25_000) }),
    )
    const error = await refusal(bulkCreateCatalogItems(big))
    expect(error.reason).toMatch(/^the body is 75\d{5} bytes of JSON; a job takes at most 5000000 \(split/)
  })

  it("names a record that lacks a required attribute", async () => {
    const { url: _, ...noUrl } = item(3)
    const error = await refusal(bulkCreateCatalogItems([item(0), noUrl as CatalogItemCreateRecord]))
    expect(error.reason).toBe('record 1 ("S3"): url is missing (required for a catalog-item to create)')
  })

  it("names a record with an attribute of the wrong type", async () => {
    const error = await refusal(
      bulkCreateCatalogVariants([{
        external_id: "V1",
        title: "M",
        description: "Medium",
        sku: "SKU",
        inventory_quantity: "5" as unknown as number,
        price: 42,
        url: "https://x",
        item: "I1",
      }]),
    )
    expect(error.reason).toBe('record 0 ("V1"): inventory_quantity: Expected number, found a string')
  })

  it("names an unknown attribute", async () => {
    const error = await refusal(
      bulkUpdateCatalogItems([{ id: "I1", colour: "blue" } as unknown as { readonly id: string }]),
    )
    expect(error.reason).toBe(
      'record 0 ("I1"): colour is not an attribute of a catalog-item to update (unknown attribute; it takes: id, title, price, description, url, image_full_url, image_thumbnail_url, images, custom_metadata, published, categories)',
    )
  })

  it("refuses a record that is not an object, and a delete record without its id", async () => {
    const notObject = await refusal(
      bulkCreateCatalogCategories([null as unknown as { external_id: string; name: string }]),
    )
    expect(notObject.reason).toBe("record 0 must be an object, not null")
    const noId = await refusal(bulkDeleteCatalogItems([{} as { id: string }]))
    expect(noId.reason).toBe("record 0: id is missing (required for a catalog-item to delete)")
  })
})
