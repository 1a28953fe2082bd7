/**
 * Lists of jobs: every row against the local server, pages fetched only as the stream is pulled,
 * `links.next` followed on the client's own origin only, and a loop of cursors refused.
 */
import { Effect, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { beforeEach, describe, expect, it } from "vitest"
import * as Klaviyo from "../mod.ts"
import {
  type DecodeError,
  type InvalidRequest,
  KlaviyoClient,
  listCatalogItemBulkCreateJobs,
} from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))
beforeEach(() => server.script())

const run = <A, E>(stream: Stream.Stream<A, E, KlaviyoClient>, take = Number.POSITIVE_INFINITY) =>
  stream.pipe(
    Stream.take(take),
    Stream.runCollect,
    Effect.provide(
      KlaviyoClient.layer({ apiKey: "pk_test_list", baseUrl: server.url, retry: false, rateLimit: false }),
    ),
    Effect.provide(FetchHttpClient.layer),
    Effect.runPromise,
  )
const failure = <A, E>(stream: Stream.Stream<A, E, KlaviyoClient>) =>
  Effect.runPromise(
    Stream.runDrain(stream).pipe(
      Effect.flip,
      Effect.provide(
        KlaviyoClient.layer({ apiKey: "pk_test_list", baseUrl: server.url, retry: false, rateLimit: false }),
      ),
      Effect.provide(FetchHttpClient.layer),
    ),
  )

const job = (type: string, id: string) => ({
  type,
  id,
  attributes: { status: "processing", created_at: "2026-11-27T14:00:00", total_count: 3 },
})
const decodedJob = (type: string, id: string) => ({
  type,
  id,
  status: "processing",
  created_at: new Date("2026-11-27T14:00:00Z"),
  total_count: 3,
})
const page = (data: ReadonlyArray<unknown>, next?: string | null) => ({
  status: 200,
  headers: { "content-type": "application/vnd.api+json" },
  body: JSON.stringify({ data, links: next === undefined ? { self: "x" } : { self: "x", next } }),
})

type AnyList = (options?: object) => Stream.Stream<unknown, Klaviyo.KlaviyoError, KlaviyoClient>
const table = Klaviyo as unknown as Readonly<Record<string, AnyList>>

describe("the list rows", () => {
  for (
    const [name, resource] of [["Item", "catalog-item"], ["Variant", "catalog-variant"], [
      "Category",
      "catalog-category",
    ]]
  ) {
    for (const operation of ["Create", "Update", "Delete"]) {
      const type = `${resource}-bulk-${operation.toLowerCase()}-job`
      const fn = `listCatalog${name}Bulk${operation}Jobs`
      it(`${fn}: GET /api/${type}s, filtered, over two pages`, async () => {
        server.script(
          page([job(type, "J1"), job(type, "J2")], `${server.url}/api/${type}s?page%5Bcursor%5D=abc%3D%3D`),
          page([job(type, "J3")], null),
        )
        const jobs = await run(table[fn]!({ status: "processing" }))
        // The quotes of the filter travel as %27: the WHATWG URL parser (fetch) encodes them in a query.
        expect(server.requests.map((request) => [request.method, request.target])).toEqual([
          ["GET", `/api/${type}s?filter=equals(status,%27processing%27)`],
          ["GET", `/api/${type}s?filter=equals(status,%27processing%27)&page[cursor]=abc%3D%3D`],
        ])
        expect(jobs).toEqual([decodedJob(type, "J1"), decodedJob(type, "J2"), decodedJob(type, "J3")])
      })
    }
  }
})

describe("paging", () => {
  const type = "catalog-item-bulk-create-job"
  const more = (cursor: string) => `${server.url}/api/${type}s?page[cursor]=${cursor}`

  it("fetches a page only when the stream is pulled past the previous one", async () => {
    server.script(
      page([job(type, "J1"), job(type, "J2")], more("p2")),
      page([job(type, "J3"), job(type, "J4")], more("p3")),
      page([job(type, "J5")]),
    )
    const jobs = await run(listCatalogItemBulkCreateJobs(), 3)
    expect(jobs.map((j) => j.id)).toEqual(["J1", "J2", "J3"])
    expect(server.requests.length).toBe(2)
  })

  it("ends when links.next is absent, and sends the fieldset with every page", async () => {
    server.script(page([job(type, "J1")], more("p2")), page([job(type, "J2")]))
    const jobs = await run(listCatalogItemBulkCreateJobs({ fields: { [type]: ["status"] } }))
    expect(jobs).toEqual([{ type, id: "J1", status: "processing" }, { type, id: "J2", status: "processing" }])
    expect(server.requests.map((request) => request.target)).toEqual([
      `/api/${type}s?fields[${type}]=status`,
      `/api/${type}s?fields[${type}]=status&page[cursor]=p2`,
    ])
  })

  it("decodes a page whose jobs the schema must decide, and points a job's issue into the page", async () => {
    // A job with errors (Klaviyo's own: a null id) goes through the schema, and decodes as the rest.
    const failed = {
      ...job(type, "J2"),
      attributes: {
        ...job(type, "J2").attributes,
        errors: [{
          id: null,
          code: "invalid",
          title: "Invalid",
          detail: "bad",
          source: { pointer: "/data/0" },
        }],
      },
    }
    server.script(page([job(type, "J1"), failed, job(type, "J3")]))
    const jobs = await run(listCatalogItemBulkCreateJobs())
    expect(jobs.map((j) => j.id)).toEqual(["J1", "J2", "J3"])
    expect(jobs[1]).toMatchObject({
      errors: [{ code: "invalid", detail: "bad", source: { pointer: "/data/0" } }],
    })

    const broken = { ...job(type, "J2"), attributes: { ...job(type, "J2").attributes, status: 42 } }
    server.script(page([job(type, "J1"), broken]))
    const error = (await failure(listCatalogItemBulkCreateJobs())) as DecodeError
    expect(error._tag).toBe("DecodeError")
    expect(error.path).toBe("data[1].attributes.status")
  })

  it("refuses a links.next to another origin, without sending anything there", async () => {
    server.script(page([job(type, "J1")], "https://elsewhere.example/api/x?page[cursor]=p2"))
    const error = (await failure(listCatalogItemBulkCreateJobs())) as DecodeError
    expect(error._tag).toBe("DecodeError")
    expect(error.path).toBe("links.next")
    expect(error.reason).toBe(
      `links.next points to another origin (https://elsewhere.example): not followed, so that the credential is only ever sent to ${server.url}`,
    )
    expect(server.requests.length).toBe(1)
  })

  it("ends a loop of cursors with an error", async () => {
    server.script(page([job(type, "J1")], more("p2")), page([job(type, "J2")], more("p2")))
    const error = (await failure(listCatalogItemBulkCreateJobs())) as DecodeError
    expect(error.reason).toBe('the cursor "p2" came twice: the pages loop')
    expect(server.requests.length).toBe(2)
  })

  it("points a job that does not decode at its place in the page", async () => {
    const broken = { ...job(type, "J2"), attributes: { ...job(type, "J2").attributes, status: "done" } }
    server.script(page([job(type, "J1"), broken]))
    const error = (await failure(listCatalogItemBulkCreateJobs())) as DecodeError
    expect([error._tag, error.path]).toEqual(["DecodeError", "data[1].attributes.status"])
    expect(error.reason).toBe('Expected "cancelled" | "complete" | "processing" | "queued", found "done"')
  })

  it("refuses a status outside the four, before sending", async () => {
    const error =
      (await failure(listCatalogItemBulkCreateJobs({ status: "done" as "complete" }))) as InvalidRequest
    expect([error._tag, error.input, error.reason]).toEqual([
      "InvalidRequest",
      "status",
      'status must be one of cancelled, complete, processing, queued, not "done"',
    ])
    expect(server.requests).toEqual([])
  })
})
