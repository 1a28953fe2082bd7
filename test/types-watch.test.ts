/**
 * Type tests for watching any job (checked by `tsc --noEmit`): the watched job narrows with
 * `fields` and `include` for the job's type, through the generic `BulkJob`, for a type of each
 * resource; the job's type is read from the job given (a POST's answer, a listed job).
 */
import type { Effect, Stream } from "effect"
import { describe, expectTypeOf, it } from "vitest"
import {
  awaitBulkJob,
  bulkCreateCatalogItems,
  type BulkJobError,
  type BulkJobIncludes,
  type BulkJobStatus,
  type BulkJobType,
  type JobSnapshot,
  type KlaviyoPromiseClient,
  listCatalogCategoryBulkDeleteJobs,
  type UnresolvedReference,
  watchBulkJob,
} from "../mod.ts"

type Success<T> = T extends Effect.Effect<infer A, infer _E, infer _R> ? A : never
type Element<T> = T extends Stream.Stream<infer A, infer _E, infer _R> ? A : never

describe("types of watchBulkJob and awaitBulkJob", () => {
  it("derives the 9 job types and what each includes from the table", () => {
    expectTypeOf<BulkJobType>().toEqualTypeOf<
      | "catalog-item-bulk-create-job"
      | "catalog-item-bulk-update-job"
      | "catalog-item-bulk-delete-job"
      | "catalog-variant-bulk-create-job"
      | "catalog-variant-bulk-update-job"
      | "catalog-variant-bulk-delete-job"
      | "catalog-category-bulk-create-job"
      | "catalog-category-bulk-update-job"
      | "catalog-category-bulk-delete-job"
    >()
    expectTypeOf<BulkJobIncludes<"catalog-item-bulk-create-job">>().toEqualTypeOf<"items">()
    expectTypeOf<BulkJobIncludes<"catalog-variant-bulk-update-job">>().toEqualTypeOf<"variants">()
    expectTypeOf<BulkJobIncludes<"catalog-category-bulk-delete-job">>().toEqualTypeOf<never>()
  })

  it("narrows an item job's snapshots by both fieldsets and include, keeping what the watch reads", () => {
    const stream = watchBulkJob({ type: "catalog-item-bulk-create-job", id: "01J" }, {
      fields: { "catalog-item-bulk-create-job": ["errors"], "catalog-item": ["title"] },
      include: ["items"],
    })
    type Job = Element<typeof stream> extends JobSnapshot<infer J> ? J : never
    expectTypeOf<Job["type"]>().toEqualTypeOf<"catalog-item-bulk-create-job">()
    expectTypeOf<Job["errors"]>().toEqualTypeOf<ReadonlyArray<BulkJobError> | null | undefined>()
    expectTypeOf<Job["status"]>().toEqualTypeOf<BulkJobStatus>()
    expectTypeOf<Job["total_count"]>().toEqualTypeOf<number>()
    expectTypeOf<Job["expires_at"]>().toEqualTypeOf<Date | null | undefined>()
    expectTypeOf<Job>().not.toHaveProperty("created_at")
    expectTypeOf<Job["items"][number]["title"]>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<Job["items"][number]>().not.toHaveProperty("price")
    expectTypeOf<Job["unresolved"]>().toEqualTypeOf<ReadonlyArray<UnresolvedReference>>()
  })

  it("types an awaited variant job without options with every attribute and no variants", () => {
    const effect = awaitBulkJob({ type: "catalog-variant-bulk-update-job", id: "01J" })
    type Job = Success<typeof effect>
    expectTypeOf<Job["type"]>().toEqualTypeOf<"catalog-variant-bulk-update-job">()
    expectTypeOf<Job["created_at"]>().toEqualTypeOf<Date>()
    expectTypeOf<Job>().not.toHaveProperty("variants")
    expectTypeOf<Job>().not.toHaveProperty("unresolved")
    const withVariants = awaitBulkJob({ type: "catalog-variant-bulk-update-job", id: "01J" }, {
      include: ["variants"],
      fields: { "catalog-variant": ["sku"] },
    })
    type WithVariants = Success<typeof withVariants>
    expectTypeOf<WithVariants["variants"][number]["sku"]>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<WithVariants["variants"][number]>().not.toHaveProperty("title")
  })

  it("narrows an awaited category job's included categories", () => {
    const effect = awaitBulkJob({ type: "catalog-category-bulk-create-job", id: "01J" }, {
      include: ["categories"],
      deadline: "1 minute",
    })
    type Job = Success<typeof effect>
    expectTypeOf<Job["categories"][number]["name"]>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<Job["categories"][number]["type"]>().toEqualTypeOf<"catalog-category">()
  })

  it("reads the type from the job given: a POST's answer, a listed job", () => {
    const posted = bulkCreateCatalogItems([{
      external_id: "S",
      title: "S",
      description: "S",
      url: "https://x/s",
    }])
    type Posted = Success<typeof posted>
    const awaited = awaitBulkJob({} as Posted, { include: ["items"] })
    expectTypeOf<Success<typeof awaited>["type"]>().toEqualTypeOf<"catalog-item-bulk-create-job">()
    expectTypeOf<Success<typeof awaited>["items"][number]["type"]>().toEqualTypeOf<"catalog-item">()
    const listed = listCatalogCategoryBulkDeleteJobs({
      fields: { "catalog-category-bulk-delete-job": ["status"] },
    })
    const watched = watchBulkJob({} as Element<typeof listed>)
    type Watched = Element<typeof watched> extends JobSnapshot<infer J> ? J : never
    expectTypeOf<Watched["type"]>().toEqualTypeOf<"catalog-category-bulk-delete-job">()
  })

  it("refuses an unknown type, include on a delete job and another resource's fieldset", () => {
    // @ts-expect-error: not one of the 9 job types
    watchBulkJob({ type: "catalog-item-bulk-upsert-job", id: "01J" })
    // @ts-expect-error: a job needs its id
    watchBulkJob({ type: "catalog-item-bulk-create-job" })
    // @ts-expect-error: delete jobs include nothing
    watchBulkJob({ type: "catalog-variant-bulk-delete-job", id: "01J" }, { include: ["variants"] })
    // @ts-expect-error: an item job includes items, not categories
    awaitBulkJob({ type: "catalog-item-bulk-update-job", id: "01J" }, { include: ["categories"] })
    awaitBulkJob({ type: "catalog-category-bulk-create-job", id: "01J" }, {
      // @ts-expect-error: a category job has no catalog-item fieldset
      fields: { "catalog-item": ["title"] },
    })
  })

  it("types the Promise facade's watchBulkJob and awaitBulkJob the same way", () => {
    // Typed, never called: the calls would poll.
    const calls = (client: KlaviyoPromiseClient) => ({
      job: client.awaitBulkJob({ type: "catalog-item-bulk-delete-job", id: "01J" }, {
        fields: { "catalog-item-bulk-delete-job": ["errors"] },
      }),
      snapshots: client.watchBulkJob({ type: "catalog-category-bulk-update-job", id: "01J" }, {
        include: ["categories"],
      }),
    })
    type Calls = ReturnType<typeof calls>
    type Job = Awaited<Calls["job"]>
    expectTypeOf<Job["status"]>().toEqualTypeOf<BulkJobStatus>()
    expectTypeOf<Job["errors"]>().toEqualTypeOf<ReadonlyArray<BulkJobError> | null | undefined>()
    expectTypeOf<Job>().not.toHaveProperty("created_at")
    type Snapshot = Calls["snapshots"] extends AsyncIterable<infer S> ? S : never
    expectTypeOf<Snapshot["job"]["categories"][number]["type"]>().toEqualTypeOf<"catalog-category">()
  })
})
