/**
 * A POSTed job moving under `TestClock`: queued, then processing at the configured rate, then
 * complete; each record applied to the catalog when the job reaches it, in time order across
 * jobs; the records a test asks to fail failing in Klaviyo's job-error shape.
 */
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import {
  bulkCreateCatalogCategories,
  bulkCreateCatalogItems,
  bulkDeleteCatalogVariants,
  bulkUpdateCatalogItems,
  getCatalogCategoryBulkCreateJob,
  getCatalogItemBulkUpdateJob,
  getCatalogVariantBulkDeleteJob,
  KlaviyoApiError,
  KlaviyoSimulator,
} from "../mod.ts"
import { idAtStart, simulate, START } from "./support/simulated.ts"

const id = (externalId: string) => `$custom:::$default:::${externalId}`
const categories = (...names: ReadonlyArray<string>) => names.map((name) => ({ external_id: name, name }))

describe("a POSTed job over TestClock time", () => {
  it("is queued for queuedMillis, then processes perSecond records a second, then is complete", async () => {
    const model = KlaviyoSimulator.model({ processing: { queuedMillis: 2_000, perSecond: 4 } })
    const seen = await simulate(
      model,
      Effect.gen(function* () {
        const posted = yield* bulkCreateCatalogCategories(categories("C0", "C1", "C2", "C3", "C4", "C5"))
        const at = (millis: number) =>
          Effect.gen(function* () {
            yield* TestClock.setTime(START + millis)
            const job = yield* getCatalogCategoryBulkCreateJob(posted.id)
            return [millis, job.status, job.completed_count, job.failed_count, job.completed_at] as const
          })
        return [
          [0, posted.status, posted.completed_count, posted.failed_count, posted.completed_at] as const,
          yield* at(1_999),
          yield* at(2_000),
          yield* at(2_249),
          yield* at(2_250),
          yield* at(3_000),
          yield* at(3_499),
          yield* at(3_500),
        ]
      }),
    )
    expect(seen).toEqual([
      [0, "queued", 0, 0, null],
      [1_999, "queued", 0, 0, null],
      [2_000, "processing", 0, 0, null],
      [2_249, "processing", 0, 0, null],
      [2_250, "processing", 1, 0, null],
      [3_000, "processing", 4, 0, null],
      [3_499, "processing", 5, 0, null],
      [3_500, "complete", 6, 0, new Date(START + 3_500)],
    ])
    // Each category exists from the moment its record was processed: 2 s, then 250 ms each.
    expect([...model.categories.values()].filter((c) => c.external_id?.startsWith("C")).map((c) => c.updated))
      .toEqual([2_250, 2_500, 2_750, 3_000, 3_250, 3_500].map((millis) => new Date(START + millis)))
    expect(model.stats.jobsInProgressPeak).toBe(1)
  })

  it("fails the records failRecords names, in Klaviyo's job-error shape, and applies the others", async () => {
    const model = KlaviyoSimulator.model({
      failRecords: (record, index, job) =>
        String(record["external_id"]).startsWith("BAD")
          ? `Record ${index} of job ${job.id} is refused by the test.`
          : undefined,
    })
    const job = await simulate(
      model,
      Effect.gen(function* () {
        const posted = yield* bulkCreateCatalogCategories(categories("GOOD-1", "BAD-1", "GOOD-2", "BAD-2"))
        yield* TestClock.adjust("10 seconds")
        return yield* getCatalogCategoryBulkCreateJob(posted.id, { include: ["categories"] })
      }),
    )
    expect(job).toMatchObject({ status: "complete", total_count: 4, completed_count: 2, failed_count: 2 })
    expect(job.errors).toEqual([1, 3].map((index) => ({
      id: null,
      code: null,
      title: null,
      detail: `Record ${index} of job ${idAtStart(1)} is refused by the test.`,
      source: { pointer: `/data/attributes/categories/${index}` },
      meta: { external_id: `BAD-${(index + 1) / 2}` },
    })))
    expect(job.categories.map((category) => category.id)).toEqual([id("GOOD-1"), id("GOOD-2")])
    expect(job.unresolved).toEqual([
      { relationship: "categories", type: "catalog-category", id: id("BAD-1") },
      { relationship: "categories", type: "catalog-category", id: id("BAD-2") },
    ])
    expect(model.categories.has(id("BAD-1"))).toBe(false)
  })

  it("fails a create of an id that exists, and an update or delete of one that does not, naming the record", async () => {
    const model = KlaviyoSimulator.model()
    const [wrongType, updated, deleted] = await simulate(
      model,
      Effect.gen(function* () {
        const a = yield* bulkCreateCatalogItems([
          { external_id: "SHIRT-1", title: "Again", description: "d", url: "https://example.com/a" },
        ])
        const b = yield* bulkUpdateCatalogItems([{ id: id("NOPE"), price: 1 }, {
          id: id("HAT-1"),
          price: 21,
        }])
        const c = yield* bulkDeleteCatalogVariants([{ id: id("SHIRT-1-M") }, { id: id("SHIRT-1-M") }])
        yield* TestClock.adjust("10 seconds")
        return [
          yield* Effect.flip(getCatalogCategoryBulkCreateJob(a.id)),
          yield* getCatalogItemBulkUpdateJob(b.id),
          yield* getCatalogVariantBulkDeleteJob(c.id),
        ] as const
      }),
    )
    // The item job's id is not a category job's: that path answers 404.
    expect(wrongType).toBeInstanceOf(KlaviyoApiError)
    expect((wrongType as KlaviyoApiError).status).toBe(404)
    expect(model.jobAt(idAtStart(1), START + 10_000)?.errors).toEqual([{
      id: null,
      code: null,
      title: null,
      detail: "An item with the external id `SHIRT-1` already exists.",
      source: { pointer: "/data/attributes/items/0" },
      meta: { external_id: "SHIRT-1" },
    }])
    expect(updated).toMatchObject({ completed_count: 1, failed_count: 1 })
    expect(updated.errors).toEqual([{
      id: null,
      code: null,
      title: null,
      detail: "An item with the id `$custom:::$default:::NOPE` does not exist.",
      source: { pointer: "/data/attributes/items/0" },
      meta: { external_id: "NOPE" },
    }])
    expect(model.items.get(id("HAT-1"))?.price).toBe(21)
    expect(deleted).toMatchObject({ completed_count: 1, failed_count: 1 })
    expect(deleted.errors?.[0]).toMatchObject({
      detail: "A variant with the id `$custom:::$default:::SHIRT-1-M` does not exist.",
      source: { pointer: "/data/attributes/variants/1" },
    })
    expect(model.variants.has(id("SHIRT-1-M"))).toBe(false)
  })

  it("applies records in time order across jobs, even when the clock jumps past all of them at once", async () => {
    const model = KlaviyoSimulator.model({ processing: { queuedMillis: 1_000, perSecond: 10 } })
    const job = await simulate(
      model,
      Effect.gen(function* () {
        // The first job creates ZZ second, at 1.2 s; the second updates it at 0.05 + 1.1 s, before it exists.
        yield* bulkCreateCatalogItems(["YY", "ZZ"].map((name) => ({
          external_id: name,
          title: name,
          description: name,
          url: `https://example.com/${name}`,
        })))
        yield* TestClock.adjust("50 millis")
        const update = yield* bulkUpdateCatalogItems([{ id: id("ZZ"), price: 5 }])
        yield* TestClock.adjust("1 hour")
        return yield* getCatalogItemBulkUpdateJob(update.id)
      }),
    )
    expect(job.errors?.map((error) => error.detail)).toEqual([
      "An item with the id `$custom:::$default:::ZZ` does not exist.",
    ])
    expect(model.items.get(id("ZZ"))).toEqual({
      id: id("ZZ"),
      external_id: "ZZ",
      title: "ZZ",
      description: "ZZ",
      url: "https://example.com/ZZ",
      created: new Date(START + 1_200),
      updated: new Date(START + 1_200),
    })
  })

  it("expires keepMillis after it was created: the GET answers 404", async () => {
    const model = KlaviyoSimulator.model({ processing: { keepMillis: 60_000 } })
    const status = await simulate(
      model,
      Effect.gen(function* () {
        const posted = yield* bulkCreateCatalogCategories(categories("KEPT"))
        yield* TestClock.adjust("59999 millis")
        const kept = yield* getCatalogCategoryBulkCreateJob(posted.id)
        yield* TestClock.adjust("1 millis")
        const gone = yield* Effect.flip(getCatalogCategoryBulkCreateJob(posted.id))
        return [kept.expires_at, (gone as KlaviyoApiError).status] as const
      }),
    )
    expect(status).toEqual([new Date(START + 60_000), 404])
  })

  it("counts the jobs in progress at their peak", async () => {
    const model = KlaviyoSimulator.model({ processing: { queuedMillis: 500, perSecond: 1 } })
    await simulate(
      model,
      Effect.gen(function* () {
        for (const name of ["P1", "P2", "P3"]) yield* bulkCreateCatalogCategories(categories(name))
        yield* TestClock.adjust("2 seconds") // all three have ended (0.5 s + 1 s)
        yield* bulkCreateCatalogCategories(categories("P4"))
      }),
    )
    expect(model.stats.jobsInProgressPeak).toBe(3)
    expect(model.stats.jobsCreated["catalog-category-bulk-create-job"]).toBe(4)
  })
})
