/**
 * Type tests: `tsc --noEmit` (part of `npm test`) checks these assertions; vitest runs the
 * calls too, so the values behind the types are real.
 */
import { Effect, type Stream } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import {
  awaitCatalogCategoryBulkUpdateJob,
  type BulkJobError,
  type BulkJobStatus,
  type CatalogCategory,
  getCatalogCategoryBulkUpdateJob,
  type Job,
  type JobSnapshot,
  type JobWatchError,
  KlaviyoClient,
  type KlaviyoError,
  KlaviyoSimulator,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
  type UnresolvedReference,
  watchCatalogCategoryBulkUpdateJob,
} from "../mod.ts"

const simulated = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>): Promise<A> =>
  effect.pipe(
    Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
    Effect.provide(KlaviyoSimulator.layer()),
    Effect.runPromise,
  )

describe("types that follow the request", () => {
  it("types a job fetched without options with every attribute and no categories", async () => {
    const effect = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expectTypeOf(effect).toEqualTypeOf<Effect.Effect<Job, KlaviyoError, KlaviyoClient>>()
    const job = await simulated(effect)
    expectTypeOf(job.type).toEqualTypeOf<"catalog-category-bulk-update-job">()
    expectTypeOf(job.id).toEqualTypeOf<string>()
    expectTypeOf(job.status).toEqualTypeOf<BulkJobStatus>()
    expectTypeOf(job.created_at).toEqualTypeOf<Date>()
    expectTypeOf(job.total_count).toEqualTypeOf<number>()
    expectTypeOf(job.completed_count).toEqualTypeOf<number | null | undefined>()
    expectTypeOf(job.completed_at).toEqualTypeOf<Date | null | undefined>()
    expectTypeOf(job.errors).toEqualTypeOf<ReadonlyArray<BulkJobError> | null | undefined>()
    expectTypeOf(job).not.toHaveProperty("categories")
    expectTypeOf(job).not.toHaveProperty("unresolved")
    // @ts-expect-error: no include, no categories
    expect(job.categories).toBeUndefined()
  })

  it("types a job error as the wire sends it: every member may be null or absent, meta open", async () => {
    const job = await simulated(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID))
    const error = job.errors?.[0]
    expectTypeOf(error?.id).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(error?.code).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(error?.title).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(error?.detail).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(error?.source?.pointer).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(error?.meta?.external_id).toEqualTypeOf<string | null | undefined>()
    expectTypeOf(error?.meta?.["line"]).toEqualTypeOf<unknown>()
    expect(error).toMatchObject({ code: null, title: null, meta: { external_id: "ACCESSORIES" } })
  })

  it("narrows the job to the job fieldset", async () => {
    const job = await simulated(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
        fields: { "catalog-category-bulk-update-job": ["status"] },
      }),
    )
    expectTypeOf(job).toEqualTypeOf<
      { readonly type: "catalog-category-bulk-update-job"; readonly id: string } & {
        readonly status: BulkJobStatus
      }
    >()
    expectTypeOf(job).toHaveProperty("status")
    expectTypeOf(job).not.toHaveProperty("total_count")
    expectTypeOf(job).not.toHaveProperty("created_at")
    // @ts-expect-error: total_count was not asked for
    expect(job.total_count).toBeUndefined()
    expect(job.status).toBe("complete")
  })

  it("treats id and job_id in a fieldset as selecting no attribute", async () => {
    const job = await simulated(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
        fields: { "catalog-category-bulk-update-job": ["id", "failed_count"] },
      }),
    )
    expectTypeOf(job).toEqualTypeOf<
      & { readonly type: "catalog-category-bulk-update-job"; readonly id: string }
      & { readonly failed_count?: number | null }
    >()
    expect(job).toEqual({ type: "catalog-category-bulk-update-job", id: SIMULATED_JOB_ID, failed_count: 1 })
  })

  it("adds resolved categories with include, narrowed by the category fieldset", async () => {
    const all = await simulated(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] }),
    )
    expectTypeOf(all.categories).toEqualTypeOf<ReadonlyArray<CatalogCategory>>()
    expectTypeOf(all.unresolved).toEqualTypeOf<ReadonlyArray<UnresolvedReference>>()
    expectTypeOf(all.categories[0]!.updated).toEqualTypeOf<Date | null | undefined>()

    const named = await simulated(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
        include: ["categories"],
        fields: { "catalog-category": ["name"] },
      }),
    )
    expectTypeOf(named.categories[0]!).toEqualTypeOf<CatalogCategory<"name">>()
    expectTypeOf(named.categories[0]!).toHaveProperty("name")
    expectTypeOf(named.categories[0]!).not.toHaveProperty("external_id")
    expectTypeOf(named.categories[0]!).not.toHaveProperty("updated")
    expect(Object.keys(named.categories[0]!)).toEqual(["type", "id", "name"])
  })

  it("adds no categories for an empty include", async () => {
    const job = await simulated(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: [] }))
    expectTypeOf(job).not.toHaveProperty("categories")
    expect("categories" in job).toBe(false)
  })

  it("refuses field names the spec does not list, at compile time and at run time", async () => {
    const field = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
      // @ts-expect-error: "progress" is not a field of the job
      fields: { "catalog-category-bulk-update-job": ["progress"] },
    })
    // @ts-expect-error: only "categories" can be included
    const include = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["items"] })
    const errors = await Promise.all([field, include].map((effect) => simulated(Effect.flip(effect))))
    expect(errors.map((error) => [error._tag, error._tag === "InvalidRequest" ? error.input : ""])).toEqual([
      ["InvalidRequest", "fields"],
      ["InvalidRequest", "include"],
    ])
  })

  it("gives the Promise facade the same types", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(),
    })
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
      fields: { "catalog-category-bulk-update-job": ["status", "completed_at"] },
      include: ["categories"],
    })
    expectTypeOf(job.completed_at).toEqualTypeOf<Date | null | undefined>()
    expectTypeOf(job).not.toHaveProperty("total_count")
    expectTypeOf(job.categories).toEqualTypeOf<ReadonlyArray<CatalogCategory>>()
    expect(job.categories).toHaveLength(3)
  })
})

describe("watch types", () => {
  it("types a watched job like a fetched one: categories only with include", () => {
    const plain = watchCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expectTypeOf(plain).toEqualTypeOf<
      Stream.Stream<JobSnapshot<Job>, KlaviyoError | JobWatchError, KlaviyoClient>
    >()
    const withCategories = awaitCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] })
    expectTypeOf<Effect.Success<typeof withCategories>["categories"]>().toEqualTypeOf<
      ReadonlyArray<CatalogCategory>
    >()
    expectTypeOf<Effect.Success<typeof withCategories>["status"]>().toEqualTypeOf<BulkJobStatus>()
    // @ts-expect-error: without include there are no categories
    expectTypeOf<Effect.Success<ReturnType<typeof awaitCatalogCategoryBulkUpdateJob<{}>>>["categories"]>()
    expect(typeof plain).toBe("object")
  })
})
