/**
 * Klaviyo's validation, as the simulator answers it: at most 100 records (400), 5 MB (413), 500
 * jobs in progress (429, assumed), the POST body checked against the spec's request schema with
 * a `source.pointer` per problem, and the queries of GETs and lists (fieldsets, `include`,
 * `filter`, `page[cursor]`), with exact errors.
 */
import { Duration, Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import {
  bulkCreateCatalogCategories,
  bulkCreateCatalogItems,
  KlaviyoApiError,
  KlaviyoClient,
  KlaviyoSimulator,
  listCatalogCategoryBulkUpdateJobs,
  type SimulatedJob,
} from "../mod.ts"
import { ask, postBody, simulate, START } from "./support/simulated.ts"

const ITEMS = "/api/catalog-item-bulk-create-jobs"
const item = (n: number, extra: object = {}) => ({
  type: "catalog-item",
  attributes: {
    external_id: `I-${n}`,
    title: "T",
    description: "D",
    url: `https://example.com/${n}`,
    ...extra,
  },
})
const itemsBody = (resources: ReadonlyArray<unknown>) =>
  postBody("catalog-item-bulk-create-job", "items", resources)
const errorsOf = (answer: { readonly json: () => { readonly [key: string]: unknown } }) =>
  (answer.json()["errors"] as ReadonlyArray<{ readonly detail: string; readonly source: unknown }>).map((
    error,
  ) => [
    error.source,
    error.detail,
  ])

/** A raw POST through the client, for what the library itself refuses to send. */
const send = (path: string, body: unknown) =>
  Effect.gen(function* () {
    const client = yield* KlaviyoClient
    return yield* client.send({ operation: "raw", method: "POST", path, urlParams: [], body })
  })

describe("the three limits", () => {
  it("answers 400 to more than 100 records, pointing at the list, and takes 100", async () => {
    const model = KlaviyoSimulator.model()
    const error = await simulate(
      model,
      Effect.flip(send(ITEMS, itemsBody(Array.from({ length: 101 }, (_, n) => item(n))))),
    )
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect(error).toMatchObject({ status: 400, jobMayExist: false })
    expect((error as KlaviyoApiError).errors).toMatchObject([{
      status: 400,
      code: "invalid",
      title: "Invalid input.",
      detail: "Too many items: 101 given, at most 100 are allowed per request.",
      source: { pointer: "/data/attributes/items/data" },
    }])
    const hundred = await simulate(
      model,
      bulkCreateCatalogItems(Array.from({ length: 100 }, (_, n) => item(n).attributes)),
    )
    expect(hundred.total_count).toBe(100)
    expect(model.stats.jobsCreated["catalog-item-bulk-create-job"]).toBe(1)
  })

  it("answers 413 to a body over 5 MB, counted in UTF-8 bytes, and takes exactly 5 MB", async () => {
    const model = KlaviyoSimulator.model()
    const json = JSON.stringify(itemsBody([item(1)]))
    expect(ask(model, "POST", ITEMS, { body: json + " ".repeat(5_000_000 - json.length) }).status).toBe(202)
    const over = ask(model, "POST", ITEMS, { body: json + " ".repeat(5_000_001 - json.length) })
    expect(over.status).toBe(413)
    expect(over.json()["errors"]).toMatchObject([{
      status: 413,
      code: "request_too_large",
      title: "Request entity too large.",
      detail: "The request body is 5000001 bytes; the maximum allowed payload size is 5000000 bytes.",
    }])
    // 2.5 million characters of two bytes each: under 5 MB of characters, over 5 MB of bytes.
    const wide = await simulate(
      model,
      Effect.flip(send(ITEMS, itemsBody([item(2, { description: "é".repeat(2_500_000) })]))),
    )
    expect(wide).toMatchObject({ _tag: "KlaviyoApiError", status: 413 })
    expect(model.stats.jobsCreated["catalog-item-bulk-create-job"]).toBe(1)
  })

  it("answers 429 past 500 jobs in progress, Retry-After until the first of them ends, then takes jobs again", () => {
    const model = KlaviyoSimulator.model()
    const body = itemsBody([item(1)])
    const statuses = Array.from({ length: 500 }, () => ask(model, "POST", ITEMS, { body }).status)
    expect(statuses.filter((status) => status === 202)).toHaveLength(500)
    const refused = ask(model, "POST", ITEMS, { body })
    expect(refused.status).toBe(429)
    expect(refused.headers).toEqual({ "content-type": "application/vnd.api+json", "retry-after": "2" })
    expect(refused.json()["errors"]).toMatchObject([{
      status: 429,
      code: "throttled",
      title: "Too many jobs in progress.",
      detail: "The maximum number of jobs in progress at one time is 500.",
    }])
    expect(ask(model, "POST", ITEMS, { body, offset: 1_099 }).status).toBe(429)
    expect(ask(model, "POST", ITEMS, { body, offset: 1_100 }).status).toBe(202)
    expect(model.stats).toMatchObject({ tooManyJobs: 2, jobsInProgressPeak: 500, throttled: 0 })
    expect(model.stats.jobsCreated["catalog-item-bulk-create-job"]).toBe(501)
  })

  it("counts every type's jobs against the one limit, and the library reads its Retry-After", async () => {
    const model = KlaviyoSimulator.model({ limits: { jobsInProgress: 2 }, processing: { perSecond: 1 } })
    const error = await simulate(
      model,
      Effect.gen(function* () {
        yield* bulkCreateCatalogCategories([{ external_id: "A", name: "A" }])
        yield* bulkCreateCatalogItems([item(1).attributes])
        return yield* Effect.flip(bulkCreateCatalogCategories([{ external_id: "B", name: "B" }]))
      }),
    )
    expect(error).toMatchObject({ _tag: "KlaviyoApiError", status: 429, jobMayExist: false })
    expect((error as KlaviyoApiError).retryAfter).toEqual(Duration.seconds(2))
  })
})

describe("the body, checked against the spec's request schema", () => {
  const model = KlaviyoSimulator.model()

  it("refuses a body that is not JSON, or not a job of this path's type, or without records", () => {
    expect(errorsOf(ask(model, "POST", ITEMS, { body: "{" }))).toEqual([
      [{ pointer: "/data" }, "The request body is not valid JSON."],
    ])
    expect(
      errorsOf(ask(model, "POST", ITEMS, { body: postBody("catalog-item-bulk-update-job", "items", []) })),
    )
      .toEqual([[
        { pointer: "/data/type" },
        "Expected type 'catalog-item-bulk-create-job' for this endpoint.",
      ]])
    expect(
      errorsOf(ask(model, "POST", ITEMS, { body: postBody("catalog-item-bulk-create-job", "variants", []) })),
    )
      .toEqual([[
        { pointer: "/data/attributes/items/data" },
        "'items' is a required field: an object with a 'data' list of catalog-item resources.",
      ]])
    expect(errorsOf(ask(model, "POST", ITEMS, { body: itemsBody([]) }))).toEqual([
      [{ pointer: "/data/attributes/items/data" }, "At least one catalog-item is required."],
    ])
  })

  it("names every problem of every record, each at its pointer", () => {
    const answer = ask(model, "POST", ITEMS, {
      body: itemsBody([
        { ...item(0), type: "catalog-variant" },
        { type: "catalog-item", attributes: { title: "T", description: "D", url: "u", color: "red" } },
        item(2, { price: "cheap" }),
        { ...item(3), relationships: { categories: { data: [{ type: "catalog-item", id: "X" }] } } },
        { ...item(4), relationships: { tags: { data: [] } } },
        { ...item(5), id: "$custom:::$default:::I-5" },
        "I-6",
      ]),
    })
    expect(answer.status).toBe(400)
    const at = (n: number, rest: string) => ({ pointer: `/data/attributes/items/data/${n}${rest}` })
    expect(errorsOf(answer)).toEqual([
      [at(0, "/type"), "Expected type 'catalog-item'."],
      [at(1, "/attributes/color"), "'color' is not a valid field for the resource 'catalog-item'."],
      [
        at(1, "/attributes/external_id"),
        "'external_id' is a required field for the resource 'catalog-item'.",
      ],
      [at(2, "/attributes/price"), "Invalid value for 'price': Expected number | null."],
      [
        at(3, "/relationships/categories/data/0"),
        "Expected a resource identifier of type 'catalog-category' with a string id.",
      ],
      [at(4, "/relationships/tags"), "'tags' is not a valid relationship for the resource 'catalog-item'."],
      [at(5, "/id"), "A catalog-item to create takes no id: it is made from its external_id."],
      [at(6, ""), "Expected a catalog-item resource object, found a string."],
    ])
    expect(model.stats.jobsCreated["catalog-item-bulk-create-job"]).toBe(0)
  })

  it("checks each shape: a variant's item, an update's id, a delete's lack of attributes", () => {
    const variant = ask(model, "POST", "/api/catalog-variant-bulk-create-jobs", {
      body: postBody("catalog-variant-bulk-create-job", "variants", [{
        type: "catalog-variant",
        attributes: {
          external_id: "V",
          title: "T",
          description: "D",
          sku: "S",
          inventory_quantity: 1,
          price: 2,
          url: "u",
        },
      }]),
    })
    expect(errorsOf(variant)).toEqual([[
      { pointer: "/data/attributes/variants/data/0/relationships/item" },
      "'item' is a required field for the resource 'catalog-variant'.",
    ]])
    const update = ask(model, "POST", "/api/catalog-category-bulk-update-jobs", {
      body: postBody("catalog-category-bulk-update-job", "categories", [{
        type: "catalog-category",
        attributes: {},
      }]),
    })
    expect(errorsOf(update)).toEqual([[
      { pointer: "/data/attributes/categories/data/0/id" },
      "'id' is a required field for the resource 'catalog-category'.",
    ]])
    const deletion = ask(model, "POST", "/api/catalog-item-bulk-delete-jobs", {
      body: postBody("catalog-item-bulk-delete-job", "items", [{
        type: "catalog-item",
        id: "X",
        attributes: {},
      }]),
    })
    expect(errorsOf(deletion)).toEqual([[
      { pointer: "/data/attributes/items/data/0/attributes" },
      "A catalog-item to delete takes no attributes.",
    ]])
  })
})

describe("the queries of GETs and lists", () => {
  const job = (n: number, status: SimulatedJob["status"]): SimulatedJob => ({
    id: `job-${String(n).padStart(3, "0")}`,
    status,
    created_at: new Date(START - n * 1_000),
    total_count: 1,
  })
  const jobs = Array.from({ length: 250 }, (_, n) => job(n, n % 5 === 0 ? "processing" : "complete"))

  it("pages a list 100 at a time, newest first, through links.next, and filters by status", async () => {
    const model = KlaviyoSimulator.model({ jobs })
    const all = await simulate(model, Stream.runCollect(listCatalogCategoryBulkUpdateJobs()))
    expect(all.map((listed) => listed.id)).toEqual(jobs.map((listed) => listed.id))
    expect(model.stats.byClass["jobs-read"].requests).toBe(3)
    const processing = await simulate(
      model,
      Stream.runCollect(listCatalogCategoryBulkUpdateJobs({ status: "processing" })),
    )
    expect(processing.map((listed) => listed.id)).toEqual(
      jobs.filter((_, n) => n % 5 === 0).map((listed) => listed.id),
    )
    const first = ask(
      model,
      "GET",
      "/api/catalog-category-bulk-update-jobs?fields[catalog-category-bulk-update-job]=status",
    )
    const page = first.json() as {
      data: ReadonlyArray<{ id: string; attributes: object }>
      links: { next: string }
    }
    expect(page.data).toHaveLength(100)
    expect(page.data[0]).toMatchObject({ id: "job-000", attributes: { status: "processing" } })
    const next = new URL(page.links.next)
    expect(next.searchParams.get("fields[catalog-category-bulk-update-job]")).toBe("status")
    const second = ask(model, "GET", `${next.pathname}${next.search}`).json() as {
      data: ReadonlyArray<{ id: string }>
      links: { next: string | null; prev: null }
    }
    expect([second.data.length, second.data[0]?.id, second.links.prev]).toEqual([100, "job-100", null])
    const third = ask(model, "GET", new URL(second.links.next!).pathname + new URL(second.links.next!).search)
      .json() as { data: ReadonlyArray<{ id: string }>; links: { next: string | null } }
    expect([third.data.length, third.data[49]?.id, third.links.next]).toEqual([50, "job-249", null])
  })

  it("refuses another filter, page[size], include, a bad cursor and another type's fieldset on a list", () => {
    const model = KlaviyoSimulator.model({ jobs })
    const list = "/api/catalog-category-bulk-update-jobs"
    const refusal = (query: string) => {
      const answer = ask(model, "GET", `${list}?${query}`)
      return [answer.status, errorsOf(answer)[0]]
    }
    expect(refusal("filter=equals(created_at,'2026-01-01')")).toEqual([400, [
      { parameter: "filter" },
      "Invalid filter: only equals(status,'…') is allowed, with one of cancelled, complete, processing, queued.",
    ]])
    expect(refusal("filter=equals(status,'done')")[0]).toBe(400)
    expect(refusal("page[size]=10")).toEqual([400, [
      { parameter: "page[size]" },
      "'page[size]' is not a valid query parameter for this endpoint.",
    ]])
    expect(refusal("include=categories")[1]).toEqual([
      { parameter: "include" },
      "'include' is not a valid query parameter for this endpoint.",
    ])
    expect(refusal("page[cursor]=nonsense")).toEqual([400, [
      { parameter: "page[cursor]" },
      "Invalid page cursor.",
    ]])
    expect(refusal("fields[catalog-category]=name")).toEqual([400, [
      { parameter: "fields[catalog-category]" },
      "'catalog-category' is not a valid resource type for this endpoint.",
    ]])
    expect(ask(model, "GET", `${list}?filter=equals(status,"processing")`).status).toBe(200)
  })

  it("takes include and the included type's fields only where the row allows them", () => {
    const model = KlaviyoSimulator.model()
    const get = (path: string) => {
      const answer = ask(model, "GET", path)
      return [answer.status, answer.status === 200 ? undefined : errorsOf(answer)[0]]
    }
    const deletion = "/api/catalog-item-bulk-delete-jobs/01JDEM0ITEMDELETEJ0B000001"
    const creation = "/api/catalog-item-bulk-create-jobs/01JDEM0ITEMCREATEJ0B000001"
    expect(get(`${deletion}?include=items`)).toEqual([400, [
      { parameter: "include" },
      "'items' is not a valid relationship for include.",
    ]])
    expect(get(`${deletion}?fields[catalog-item]=title`)).toEqual([400, [
      { parameter: "fields[catalog-item]" },
      "'catalog-item' is not a valid resource type for this endpoint.",
    ]])
    expect(get(`${creation}?fields[catalog-item]=color`)).toEqual([400, [
      { parameter: "fields[catalog-item]" },
      "'color' is not a valid field for the resource 'catalog-item'.",
    ]])
    expect(get(`${creation}?include=items&fields[catalog-item]=title,price`)).toEqual([200, undefined])
    expect(get("/api/catalog-item-bulk-create-jobs/nope")).toEqual([404, [
      { pointer: "/data/" },
      "A catalog item bulk create job with id nope does not exist.",
    ]])
  })

  it("answers 405 to another method, and to a POST on one job", () => {
    const model = KlaviyoSimulator.model()
    const put = model.handle({ method: "PUT", url: `https://a.klaviyo.com${ITEMS}`, headers: {} })
    expect(put.status).toBe(405)
    expect(ask(model, "POST", `${ITEMS}/01JDEM0ITEMCREATEJ0B000001`, { body: "{}" }).status).toBe(405)
  })
})
