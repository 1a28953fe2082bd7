/**
 * The simulator's rate limits per class (fixed windows: a 429 with `Retry-After` and nothing
 * else past a limit, the steady window's `RateLimit-*` on every other answer, counted per class),
 * the old revisions' wire shapes for the new job types, and faults aimed at some requests.
 */
import { Duration, Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import {
  bulkCreateCatalogCategories,
  bulkCreateCatalogItems,
  getCatalogCategoryBulkUpdateJob,
  getCatalogItemBulkCreateJob,
  KLAVIYO_RATE_LIMITS,
  KlaviyoApiError,
  KlaviyoSimulator,
  listCatalogCategoryBulkCreateJobs,
  listCatalogItemBulkCreateJobs,
  SIMULATED_JOB_ID,
  SIMULATED_JOB_IDS,
  TransportError,
} from "../mod.ts"
import { ask, idAtStart, postBody, simulate } from "./support/simulated.ts"

const ITEMS = "/api/catalog-item-bulk-create-jobs"
const ITEM_JOB = `${ITEMS}/${SIMULATED_JOB_IDS["catalog-item-bulk-create-job"]}`
const CATEGORY_JOB = `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`
const shirt = { external_id: "S", title: "S", description: "S", url: "https://example.com/s" }
const body = postBody("catalog-item-bulk-create-job", "items", [{ type: "catalog-item", attributes: shirt }])

/** Status, then the rate-limit headers (or Retry-After) of an answer. */
const seen = (answer: { readonly status: number; readonly headers: Readonly<Record<string, string>> }) => {
  const { "content-type": _type, ...rest } = answer.headers
  return [answer.status, rest]
}
const limited = (limit: number, remaining: number, reset: number) => ({
  "ratelimit-limit": String(limit),
  "ratelimit-remaining": String(remaining),
  "ratelimit-reset": String(reset),
})

describe("rate limits per class", () => {
  it("counts each class against its own windows, with exact headers, Retry-After and counts", () => {
    const model = KlaviyoSimulator.model({
      rateLimits: {
        "jobs-write": {
          burst: { limit: 3, windowMillis: 1_000 },
          steady: { limit: 5, windowMillis: 60_000 },
        },
        "jobs-read": { burst: { limit: 2, windowMillis: 1_000 }, steady: { limit: 4, windowMillis: 10_000 } },
      },
    })
    const post = (offset: number) => seen(ask(model, "POST", ITEMS, { body, offset }))
    const get = (path: string, offset: number) => seen(ask(model, "GET", path, { offset }))
    // jobs-write: every POST, and the GETs of item create jobs.
    expect([post(0), post(0), post(0), post(0)]).toEqual([
      [202, limited(5, 4, 60)],
      [202, limited(5, 3, 60)],
      [202, limited(5, 2, 60)],
      [429, { "retry-after": "1" }],
    ])
    // jobs-read, its windows apart: the writes' full burst does not touch it.
    expect([get(CATEGORY_JOB, 0), get(`${CATEGORY_JOB}x`, 0), get(CATEGORY_JOB, 0)]).toEqual([
      [200, limited(4, 3, 10)],
      [404, limited(4, 2, 10)],
      [429, { "retry-after": "1" }],
    ])
    expect([get(ITEM_JOB, 1_000), post(1_000), post(1_500)]).toEqual([
      [200, limited(5, 1, 59)],
      [202, limited(5, 0, 59)],
      [429, { "retry-after": "59" }],
    ])
    expect([
      get(CATEGORY_JOB, 1_500),
      get("/api/catalog-item-bulk-delete-jobs", 1_500),
      get(CATEGORY_JOB, 2_000),
    ])
      .toEqual([
        [200, limited(4, 1, 9)],
        [200, limited(4, 0, 9)],
        [429, { "retry-after": "8" }],
      ])
    expect(model.stats).toMatchObject({
      requests: 13,
      throttled: 4,
      throttledBy: { burst: 2, steady: 2 },
      byClass: { "jobs-write": { requests: 7, throttled: 2 }, "jobs-read": { requests: 6, throttled: 2 } },
    })
    expect(model.stats.jobsCreated["catalog-item-bulk-create-job"]).toBe(4)
  })

  it("KLAVIYO_RATE_LIMITS: 75 writes and 350 reads a second, 750 and 3500 a minute", () => {
    expect(KLAVIYO_RATE_LIMITS).toEqual({
      "jobs-write": {
        burst: { limit: 75, windowMillis: 1_000 },
        steady: { limit: 750, windowMillis: 60_000 },
      },
      "jobs-read": {
        burst: { limit: 350, windowMillis: 1_000 },
        steady: { limit: 3_500, windowMillis: 60_000 },
      },
    })
    const model = KlaviyoSimulator.model({ rateLimits: KLAVIYO_RATE_LIMITS })
    const posts = Array.from({ length: 76 }, () => ask(model, "POST", ITEMS, { body }).status)
    const reads = Array.from({ length: 351 }, () => ask(model, "GET", CATEGORY_JOB).status)
    expect([posts.lastIndexOf(202), posts[75]]).toEqual([74, 429])
    expect([reads.lastIndexOf(200), reads[350]]).toEqual([349, 429])
    expect(ask(model, "GET", CATEGORY_JOB, { offset: 1_000 }).headers).toMatchObject(
      limited(3_500, 3_149, 59),
    )
  })

  it("through the library: the 429 of a full class is a KlaviyoApiError with its Retry-After, nothing created", async () => {
    const model = KlaviyoSimulator.model({
      rateLimits: { "jobs-write": { burst: { limit: 2, windowMillis: 1_000 } } },
    })
    const error = await simulate(
      model,
      Effect.gen(function* () {
        yield* bulkCreateCatalogItems([shirt])
        yield* getCatalogItemBulkCreateJob(idAtStart(1))
        yield* getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID) // jobs-read: not limited here
        return yield* Effect.flip(bulkCreateCatalogItems([shirt]))
      }),
    )
    expect(error).toMatchObject({ _tag: "KlaviyoApiError", status: 429, jobMayExist: false })
    expect((error as KlaviyoApiError).retryAfter).toEqual(Duration.seconds(1))
    expect(model.stats.jobsCreated["catalog-item-bulk-create-job"]).toBe(1)
    expect(model.stats.posts["catalog-item-bulk-create-job"]).toBe(2)
    expect(model.stats.byClass).toEqual({
      "jobs-read": { requests: 1, throttled: 0 },
      "jobs-write": { requests: 3, throttled: 1 },
    })
  })
})

describe("old revisions, for the new job types", () => {
  it("2023-10-15: the trailing slash, application/json, job_id instead of id, dates without an offset", () => {
    const model = KlaviyoSimulator.model()
    const headers = { revision: "2023-10-15" }
    const posted = ask(model, "POST", `${ITEMS}/`, { body, headers })
    expect([posted.status, posted.headers["content-type"]]).toEqual([202, "application/json"])
    const data = posted.json()["data"] as { id?: string; attributes: Record<string, unknown> }
    expect(data.id).toBeUndefined()
    expect(data.attributes).toMatchObject({ job_id: idAtStart(1), created_at: "2026-12-01T10:00:00" })
    const got = ask(model, "GET", `${ITEM_JOB}/?include=items&fields[catalog-item]=title,updated`, {
      headers,
    })
    expect(got.json()["included"]).toEqual([
      {
        type: "catalog-item",
        id: "$custom:::$default:::SHIRT-1",
        attributes: { title: "Ocean Blue Shirt", updated: "2026-11-20T09:30:00" },
        links: {
          self: "https://a.klaviyo.com/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3ASHIRT-1/",
        },
      },
      {
        type: "catalog-item",
        id: "$custom:::$default:::HAT-1",
        attributes: { title: "Sun Hat", updated: "2026-11-20T09:30:00" },
        links: {
          self: "https://a.klaviyo.com/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AHAT-1/",
        },
      },
    ])
    expect(ask(model, "GET", `${ITEM_JOB}/?fields[catalog-item]=id`, { headers }).status).toBe(400)
    const listed = ask(model, "GET", `${ITEMS}/`, { headers }).json()["data"] as ReadonlyArray<
      { attributes: object }
    >
    expect(listed.map((job) => (job.attributes as { job_id: string }).job_id)).toEqual([
      idAtStart(1),
      SIMULATED_JOB_IDS["catalog-item-bulk-create-job"],
    ])
  })

  it("through the library on revision 2023-10-15: POST, GET with include, and list decode with the job_id", async () => {
    const model = KlaviyoSimulator.model()
    const result = await simulate(
      model,
      Effect.gen(function* () {
        const posted = yield* bulkCreateCatalogItems([shirt])
        const got = yield* getCatalogItemBulkCreateJob(SIMULATED_JOB_IDS["catalog-item-bulk-create-job"], {
          include: ["items"],
          fields: { "catalog-item": ["title"] },
        })
        const listed = yield* Stream.runCollect(listCatalogItemBulkCreateJobs())
        return { posted: posted.id, got: got.items, listed: listed.map((job) => job.id) }
      }),
      { revision: "2023-10-15" },
    )
    expect(result).toEqual({
      posted: idAtStart(1),
      // The demo job's third record named SHIRT-1 again (and failed): the job's relationship lists it twice.
      got: [
        { type: "catalog-item", id: "$custom:::$default:::SHIRT-1", title: "Ocean Blue Shirt" },
        { type: "catalog-item", id: "$custom:::$default:::HAT-1", title: "Sun Hat" },
        { type: "catalog-item", id: "$custom:::$default:::SHIRT-1", title: "Ocean Blue Shirt" },
      ],
      listed: [idAtStart(1), SIMULATED_JOB_IDS["catalog-item-bulk-create-job"]],
    })
  })
})

describe("faults aimed at some requests", () => {
  it("a POST handled, then its connection reset: the job exists, the client cannot know, the list shows it", async () => {
    const model = KlaviyoSimulator.model()
    model.inject({ reset: true, method: "POST", handled: true })
    const result = await simulate(
      model,
      Effect.gen(function* () {
        const before = yield* getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID) // a GET passes the fault by
        const error = yield* Effect.flip(bulkCreateCatalogCategories([{ external_id: "LOST", name: "Lost" }]))
        const listed = yield* Stream.runCollect(listCatalogCategoryBulkCreateJobs({ status: "queued" }))
        return { before: before.status, error, listed: listed.map((job) => job.id) }
      }),
    )
    expect(result.before).toBe("complete")
    expect(result.error).toBeInstanceOf(TransportError)
    expect(result.error).toMatchObject({ kind: "network", jobMayExist: true })
    expect(result.listed).toEqual([idAtStart(1)])
    expect(model.stats.jobsCreated["catalog-category-bulk-create-job"]).toBe(1)
    expect(model.pendingFaults()).toBe(0)
  })

  it("a status for one path only, not handled: the other requests pass, no job is created", async () => {
    const model = KlaviyoSimulator.model()
    model.inject({ status: 503, path: ITEMS })
    const error = await simulate(
      model,
      Effect.gen(function* () {
        yield* bulkCreateCatalogCategories([{ external_id: "OK", name: "Ok" }])
        return yield* Effect.flip(bulkCreateCatalogItems([shirt]))
      }),
    )
    expect(error).toMatchObject({ _tag: "KlaviyoApiError", status: 503, jobMayExist: true })
    expect(model.stats.jobsCreated).toMatchObject({
      "catalog-category-bulk-create-job": 1,
      "catalog-item-bulk-create-job": 0,
    })
    expect(() => model.inject({ status: 500, method: "PUT" as "GET" })).toThrow(
      'a simulated fault\'s method must be "GET" or "POST", not "PUT"',
    )
  })

  it("a POST handled, then answered 500: the job exists", () => {
    const model = KlaviyoSimulator.model()
    model.inject({ status: 500, method: "POST", handled: true })
    expect(ask(model, "POST", ITEMS, { body }).status).toBe(500)
    expect(model.jobs.get(idAtStart(1))).toMatchObject({
      type: "catalog-item-bulk-create-job",
      total_count: 1,
    })
  })
})
