/**
 * Type tests for the table's functions (checked by `tsc --noEmit`): the job type narrows with
 * `fields` (per JSON:API type) and `include`, for a resource of each kind.
 */
import type { Effect, Stream } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import {
  bulkCreateCatalogItems,
  type BulkJobStatus,
  type CatalogItemCreateRecord,
  getCatalogCategoryBulkCreateJob,
  getCatalogItemBulkCreateJob,
  getCatalogVariantBulkDeleteJob,
  getCatalogVariantBulkUpdateJob,
  type KlaviyoClient,
  type KlaviyoError,
  listCatalogItemBulkCreateJobs,
  type UnresolvedReference,
} from "../mod.ts"

type Success<T> = T extends Effect.Effect<infer A, infer _E, infer _R> ? A : never

describe("types of the table", () => {
  it("narrows an item job by both fieldsets and include", () => {
    const effect = getCatalogItemBulkCreateJob("01J", {
      fields: { "catalog-item-bulk-create-job": ["status"], "catalog-item": ["title", "price"] },
      include: ["items"],
    })
    type Job = Success<typeof effect>
    expectTypeOf<Job["type"]>().toEqualTypeOf<"catalog-item-bulk-create-job">()
    expectTypeOf<Job["status"]>().toEqualTypeOf<BulkJobStatus>()
    expectTypeOf<Job>().not.toHaveProperty("total_count")
    expectTypeOf<Job["items"][number]["title"]>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<Job["items"][number]["price"]>().toEqualTypeOf<number | null | undefined>()
    expectTypeOf<Job["items"][number]>().not.toHaveProperty("url")
    expectTypeOf<Job["unresolved"]>().toEqualTypeOf<ReadonlyArray<UnresolvedReference>>()
  })

  it("types a variant job without include with every attribute and no variants", () => {
    const effect = getCatalogVariantBulkUpdateJob("01J")
    type Job = Success<typeof effect>
    expectTypeOf<Job["total_count"]>().toEqualTypeOf<number>()
    expectTypeOf<Job["created_at"]>().toEqualTypeOf<Date>()
    expectTypeOf<Job>().not.toHaveProperty("variants")
    expectTypeOf<Job>().not.toHaveProperty("unresolved")
    const withVariants = getCatalogVariantBulkUpdateJob("01J", {
      include: ["variants"],
      fields: { "catalog-variant": ["sku"] },
    })
    type WithVariants = Success<typeof withVariants>
    expectTypeOf<WithVariants["variants"][number]["sku"]>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<WithVariants["variants"][number]>().not.toHaveProperty("title")
  })

  it("refuses include on a delete job and another resource's fieldset", () => {
    // @ts-expect-error: delete jobs include nothing
    getCatalogVariantBulkDeleteJob("01J", { include: ["variants"] })
    // @ts-expect-error: a category job has no catalog-item fieldset
    getCatalogCategoryBulkCreateJob("01J", { fields: { "catalog-item": ["title"] } })
    // @ts-expect-error: not a category field
    getCatalogCategoryBulkCreateJob("01J", { fields: { "catalog-category": ["title"] } })
  })

  it("narrows a category job's included categories", () => {
    const effect = getCatalogCategoryBulkCreateJob("01J", { include: ["categories"] })
    type Job = Success<typeof effect>
    expectTypeOf<Job["categories"][number]["updated"]>().toEqualTypeOf<Date | null | undefined>()
    expectTypeOf<Job["categories"][number]["type"]>().toEqualTypeOf<"catalog-category">()
  })

  it("types a list as a Stream of jobs narrowed by fields, and a POST by its records", () => {
    const stream = listCatalogItemBulkCreateJobs({ fields: { "catalog-item-bulk-create-job": ["status"] } })
    expectTypeOf(stream).toEqualTypeOf<
      Stream.Stream<
        { readonly type: "catalog-item-bulk-create-job"; readonly id: string } & {
          readonly status: BulkJobStatus
        },
        KlaviyoError,
        KlaviyoClient
      >
    >()
    expectTypeOf(bulkCreateCatalogItems).parameter(0).toEqualTypeOf<ReadonlyArray<CatalogItemCreateRecord>>()
    // @ts-expect-error: an item to create needs its external_id, title, description and url
    bulkCreateCatalogItems([{ title: "Shirt" }])
  })
})
