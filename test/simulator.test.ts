import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  KlaviyoApiError,
  KlaviyoClient,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"

const model = KlaviyoSimulator.model({ retiredBefore: "2024-11-28", accessToken: "tok" })
const jobUrl = (query = "", id = SIMULATED_JOB_ID) =>
  `https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/${id}${query}`
const ask = (url: string, headers: Record<string, string | undefined> = {}) =>
  model.handle({
    method: "GET",
    url,
    headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15", ...headers },
  })
const body = (answer: { body: string }) => JSON.parse(answer.body)

describe("the simulated Klaviyo", () => {
  it("answers a known job with a JSON:API document", () => {
    const answer = ask(jobUrl())
    expect(answer.status).toBe(200)
    expect(answer.headers["content-type"]).toBe("application/vnd.api+json")
    const document = body(answer)
    expect(document.data.type).toBe("catalog-category-bulk-update-job")
    expect(document.data.id).toBe(SIMULATED_JOB_ID)
    expect(document.data.attributes.created_at).toBe("2026-11-27T14:00:00+00:00")
    expect(document.data.relationships.categories.data).toHaveLength(3)
    expect(document.included).toBeUndefined()
  })

  it("answers 401 without a key, with a wrong key, and accepts the OAuth token", () => {
    expect(ask(jobUrl(), { authorization: undefined }).status).toBe(401)
    expect(body(ask(jobUrl(), { authorization: "Klaviyo-API-Key pk_wrong" })).errors[0].code).toBe(
      "authentication_failed",
    )
    expect(ask(jobUrl(), { authorization: "Bearer tok" }).status).toBe(200)
  })

  it("answers 404 for an unknown job and 400 without a revision", () => {
    expect(body(ask(jobUrl("", "nope"))).errors[0].code).toBe("not_found")
    expect(ask(jobUrl("", "nope")).status).toBe(404)
    expect(ask(jobUrl(), { revision: undefined }).status).toBe(400)
  })

  it("applies sparse fieldsets and include", () => {
    const document = body(
      ask(
        jobUrl(
          "?fields[catalog-category-bulk-update-job]=status&fields[catalog-category]=name&include=categories",
        ),
      ),
    )
    expect(document.data.attributes).toEqual({ status: "complete" })
    expect(document.included.map((c: { attributes: unknown }) => c.attributes)).toEqual([
      { name: "Apparel" },
      { name: "Footwear" },
      { name: "Accessories" },
    ])
  })

  it("answers 400 naming the parameter for an unknown field or include", () => {
    const field = ask(jobUrl("?fields[catalog-category-bulk-update-job]=progress"))
    expect(field.status).toBe(400)
    expect(body(field).errors[0].source).toEqual({ parameter: "fields[catalog-category-bulk-update-job]" })
    expect(body(ask(jobUrl("?include=items"))).errors[0].source).toEqual({ parameter: "include" })
  })

  it("speaks the 2023 wire shape to a 2023 revision that is still served", () => {
    const legacy = KlaviyoSimulator.model()
    const answer = legacy.handle({
      method: "GET",
      url: `${jobUrl()}/`,
      headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2023-10-15" },
    })
    expect(answer.headers["content-type"]).toBe("application/json")
    const document = body(answer)
    expect(document.data.id).toBeUndefined()
    expect(document.data.attributes.job_id).toBe(SIMULATED_JOB_ID)
    expect(document.data.attributes.created_at).toBe("2026-11-27T14:00:00")
  })

  it("answers 410 for a retired revision that opts out of falling forward, and falls forward otherwise", () => {
    const gone = ask(jobUrl(), { revision: "2023-10-15", "x-klaviyo-revision-fall-forward-opt-out": "1" })
    expect(gone.status).toBe(410)
    const forward = body(ask(jobUrl(), { revision: "2023-10-15" }))
    expect(forward.data.id).toBe(SIMULATED_JOB_ID)
    expect(forward.data.attributes.job_id).toBeUndefined()
  })

  it("keeps null counts and errors as null", () => {
    const nulls = KlaviyoSimulator.model({
      jobs: [{
        id: "j",
        status: "queued",
        created_at: new Date("2026-01-01T00:00:00Z"),
        total_count: 1,
        completed_count: null,
        failed_count: null,
        errors: null,
      }],
    })
    const answer = nulls.handle({
      method: "GET",
      url: jobUrl("", "j"),
      headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15" },
    })
    expect(body(answer).data.attributes).toMatchObject({
      completed_count: null,
      failed_count: null,
      errors: null,
    })
  })

  it("serves a job's failures as Klaviyo does: id, code and title null, meta naming the record", () => {
    const failing = KlaviyoSimulator.model({
      jobs: [{
        id: "failing",
        status: "queued",
        created_at: new Date("2026-01-01T00:00:00.250Z"),
        total_count: 3,
        categories: ["$custom:::$default:::SHOES", "$custom:::$default:::HATS", "$custom:::$default:::BAGS"],
        progress: { queuedMillis: 0, perSecond: 3, failures: [1] },
      }],
    })
    const answer = failing.handle({
      method: "GET",
      url: jobUrl("", "failing"),
      headers: { authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`, revision: "2026-07-15" },
    }, Date.parse("2026-01-01T00:00:05Z"))
    const attributes = body(answer).data.attributes
    expect(attributes.errors).toEqual([{
      id: null,
      code: null,
      title: null,
      detail: "The category with the external id `HATS` could not be updated: it has no name in the payload.",
      source: { pointer: "/data/attributes/categories/1" },
      meta: { external_id: "HATS" },
    }])
    // Klaviyo writes microseconds (Python's isoformat: none when there are none) and +00:00.
    expect(attributes.created_at).toBe("2026-01-01T00:00:00.250000+00:00")
    expect(attributes.completed_at).toBe("2026-01-01T00:00:01.250000+00:00")
    expect(attributes.expires_at).toBe("2026-01-08T00:00:00.250000+00:00")
  })

  it("stands in for the HttpClient under the library", async () => {
    const error = await getCatalogCategoryBulkUpdateJob("nope").pipe(
      Effect.flip,
      Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })),
      Effect.provide(KlaviyoSimulator.layer()),
      Effect.runPromise,
    )
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect((error as KlaviyoApiError).status).toBe(404)
  })

  it("serves a model the test changes while it runs", async () => {
    const shared = KlaviyoSimulator.model()
    const layer = KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY })
    const get = getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
      fields: { "catalog-category-bulk-update-job": ["status"] },
    })
    const first = await get.pipe(
      Effect.provide(layer),
      Effect.provide(KlaviyoSimulator.layer(shared)),
      Effect.runPromise,
    )
    shared.jobs.set(SIMULATED_JOB_ID, { ...shared.jobs.get(SIMULATED_JOB_ID)!, status: "cancelled" })
    const second = await get.pipe(
      Effect.provide(layer),
      Effect.provide(KlaviyoSimulator.layer(shared)),
      Effect.runPromise,
    )
    expect([first.status, second.status]).toEqual(["complete", "cancelled"])
  })
})
