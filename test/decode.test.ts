import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { DecodeError, getCatalogCategoryBulkUpdateJob, SIMULATED_JOB_ID } from "../mod.ts"
import { run, runError } from "./support/run.ts"
import { type TestServer, useServer } from "./support/server.ts"

const seedBody = readFileSync(new URL("./fixtures/seed-example.json", import.meta.url), "utf8")

let server: TestServer
useServer((started) => {
  server = started
})

const json = (body: unknown, contentType = "application/vnd.api+json") => ({
  status: 200,
  headers: { "content-type": contentType },
  body: typeof body === "string" ? body : JSON.stringify(body),
})

const jobDocument = (attributes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  data: {
    type: "catalog-category-bulk-update-job",
    id: "01GSQPBF74KQ5YTDEPP41T1BZH",
    attributes: {
      status: "processing",
      created_at: "2026-11-27T14:00:00+00:00",
      total_count: 10,
      completed_count: 4,
      failed_count: 1,
      completed_at: null,
      errors: [],
      expires_at: "2026-12-04T14:00:00+00:00",
      ...attributes,
    },
    links: {
      self: "https://a.klaviyo.com/api/catalog-category-bulk-update-jobs/01GSQPBF74KQ5YTDEPP41T1BZH/",
    },
    ...extra,
  },
})

describe("decoding the latest revision (2026-07-15)", () => {
  it("decodes the simulator's full document into a flat job with Dates", async () => {
    const job = await run(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server)
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: SIMULATED_JOB_ID,
      status: "complete",
      created_at: new Date("2026-11-27T14:00:00.000Z"),
      total_count: 3,
      completed_count: 2,
      failed_count: 1,
      completed_at: new Date("2026-11-27T14:00:07.000Z"),
      errors: [{
        id: null,
        code: null,
        title: null,
        detail: "The category with the external id `ACCESSORIES` has no name in the payload.",
        source: { pointer: "/data/attributes/categories/2" },
        meta: { external_id: "ACCESSORIES" },
      }],
      expires_at: new Date("2026-12-04T14:00:00.000Z"),
    })
  })

  it("keeps null as null", async () => {
    server.script(
      json(jobDocument({ completed_count: null, failed_count: null, errors: null, expires_at: null })),
    )
    const job = await run(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)
    expect(job.completed_at).toBeNull()
    expect(job.completed_count).toBeNull()
    expect(job.failed_count).toBeNull()
    expect(job.errors).toBeNull()
    expect(job.expires_at).toBeNull()
  })

  it("ignores fields Klaviyo adds over time, at every level", async () => {
    server.script(json({
      ...jobDocument(
        {
          priority: "high",
          errors: [{
            id: "e",
            code: "c",
            title: "t",
            detail: "d",
            source: { pointer: "/x", line: 3 },
            hint: "h",
          }],
        },
        {
          meta: { shard: 7 },
          relationships: {
            categories: { data: [], links: { self: "s", related: "r" } },
            owner: { data: null },
          },
        },
      ),
      meta: { agent_hints: { next_steps: ["wait"] } },
      links: { self: "x" },
      jsonapi: { version: "1.1" },
    }))
    const job = await run(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)
    expect(Object.keys(job).sort()).toEqual([
      "completed_at",
      "completed_count",
      "created_at",
      "errors",
      "expires_at",
      "failed_count",
      "id",
      "status",
      "total_count",
      "type",
    ])
    expect(job.errors).toEqual([{ id: "e", code: "c", title: "t", detail: "d", source: { pointer: "/x" } }])
  })

  it("returns only the fields asked for, even when the server sends more", async () => {
    server.script(json(jobDocument({})))
    const job = await run(
      getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", {
        fields: { "catalog-category-bulk-update-job": ["status", "completed_count"] },
      }),
      server,
    )
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: "01GSQPBF74KQ5YTDEPP41T1BZH",
      status: "processing",
      completed_count: 4,
    })
  })
})

describe("decoding old revisions", () => {
  it("reads the id from job_id when data.id is absent (revision 2023-10-15)", async () => {
    const document = jobDocument({ job_id: "01H0LEGACYJOB0000000000001", created_at: "2023-06-01T10:00:00" })
    delete (document.data as { id?: string }).id
    server.script(json(document, "application/json"))
    const job = await run(getCatalogCategoryBulkUpdateJob("01H0LEGACYJOB0000000000001"), server, {
      revision: "2023-10-15",
    })
    expect(job.id).toBe("01H0LEGACYJOB0000000000001")
    expect(job.created_at).toEqual(new Date(Date.UTC(2023, 5, 1, 10, 0, 0)))
    expect("job_id" in job).toBe(false)
  })

  it("decodes the seed document's example exactly as written", async () => {
    server.script(json(seedBody, "application/json"))
    const job = await run(
      getCatalogCategoryBulkUpdateJob("fugiat dolore nulla mollit occaecat", { include: ["categories"] }),
      server,
      { revision: "2023-01-24" },
    )
    expect(server.requests[0]!.target).toBe(
      "/api/catalog-category-bulk-update-jobs/fugiat%20dolore%20nulla%20mollit%20occaecat/?include=categories",
    )
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: "fugiat dolore nulla mollit occaecat",
      status: "processing",
      created_at: new Date("1959-12-24T00:53:28.643Z"),
      total_count: 45015917,
      completed_count: 73148140,
      failed_count: -41767917,
      completed_at: new Date(Date.UTC(2022, 10, 8)),
      expires_at: new Date(Date.UTC(2022, 10, 8)),
      errors: [
        {
          id: "qui dolore",
          code: "veniam deserunt ut",
          title: "Duis occaecat enim",
          detail: "fugiat aute",
          source: { pointer: "/data" },
        },
        {
          id: "deserunt veniam ad",
          code: "nulla minim Lorem ipsum",
          title: "nulla ex quis occaecat qui",
          detail: "irure non voluptate",
          source: { pointer: "/data" },
        },
      ],
      // The example's relationships name categories that its `included` does not hold.
      categories: [],
      unresolved: [
        { relationship: "categories", type: "catalog-category", id: "esse" },
        { relationship: "categories", type: "catalog-category", id: "minim esse incid" },
      ],
    })
  })
})

describe("timestamps", () => {
  it("runs away from UTC, so that local-time parsing would show", () => {
    // Precondition of the next test: vitest.config.ts and the npm scripts set TZ.
    expect(new Date("2022-11-08T00:00:00").getTime()).not.toBe(Date.UTC(2022, 10, 8))
  })

  it("reads a timestamp without an offset as UTC whatever the machine's time zone", async () => {
    server.script(
      json(jobDocument({ created_at: "2022-11-08T00:00:00", completed_at: "2022-11-08T23:59:59" })),
    )
    const job = await run(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)
    expect(job.created_at.getTime()).toBe(Date.UTC(2022, 10, 8, 0, 0, 0))
    expect(job.completed_at?.toISOString()).toBe("2022-11-08T23:59:59.000Z")
  })

  it("applies offsets and keeps milliseconds of microsecond timestamps", async () => {
    server.script(json(jobDocument({
      created_at: "2022-11-08T02:00:00.123456+02:00",
      completed_at: "2022-11-08T00:00:00Z",
      expires_at: "2022-11-08T05:30:00.5-0530",
    })))
    const job = await run(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)
    expect(job.created_at.toISOString()).toBe("2022-11-08T00:00:00.123Z")
    expect(job.completed_at?.toISOString()).toBe("2022-11-08T00:00:00.000Z")
    expect(job.expires_at?.toISOString()).toBe("2022-11-08T11:00:00.500Z")
  })
})

describe("a body that does not match is a DecodeError naming the path and what was found", () => {
  const cases: ReadonlyArray<readonly [string, unknown, string, string]> = [
    ["an unknown status", jobDocument({ status: "done" }), "data.attributes.status", '"done"'],
    [
      "a count sent as a string",
      jobDocument({ total_count: "3" }),
      "data.attributes.total_count",
      'found "3"',
    ],
    ["a fractional count", jobDocument({ completed_count: 2.5 }), "data.attributes.completed_count", "2.5"],
    [
      "a date that is not a date",
      jobDocument({ created_at: "yesterday" }),
      "data.attributes.created_at",
      '"yesterday"',
    ],
    [
      "a missing required attribute",
      jobDocument({ created_at: undefined }),
      "data.attributes.created_at",
      "Missing key",
    ],
    [
      "an error object whose code is a number",
      jobDocument({ errors: [{ id: null, code: 400, title: null, detail: "d" }] }),
      "data.attributes.errors[0].code",
      "found 400",
    ],
    [
      "a 30th of February",
      jobDocument({ created_at: "2022-02-30T00:00:00" }),
      "data.attributes.created_at",
      '"2022-02-30T00:00:00"',
    ],
    [
      "an hour 24",
      jobDocument({ expires_at: "2022-11-08T24:00:00+00:00" }),
      "data.attributes.expires_at",
      "T24:00",
    ],
    ["no data", { meta: {} }, "data", "Missing key"],
    [
      "data of another type",
      { data: { ...jobDocument({}).data, type: "catalog-item-bulk-update-job" } },
      "data.type",
      '"catalog-item-bulk-update-job"',
    ],
  ]
  for (const [name, document, path, found] of cases) {
    it(`reports ${name} at ${path}`, async () => {
      server.script(json(document))
      const error = await runError(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)
      expect(error).toBeInstanceOf(DecodeError)
      expect(error._tag).toBe("DecodeError")
      const decodeError = error as DecodeError
      expect(decodeError.path).toBe(path)
      expect(decodeError.reason).toContain(found)
      expect(decodeError.message).toContain(path)
    })
  }

  it("reports every mismatch, not only the first", async () => {
    server.script(json(jobDocument({ status: 1, total_count: null })))
    const error =
      (await runError(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)) as DecodeError
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "data.attributes.status",
      "data.attributes.total_count",
    ])
    expect(error.issues[1]!.message).toContain("found null")
  })

  it("takes the id asked for when the document carries none (old revisions under a sparse fieldset)", async () => {
    const document = jobDocument({})
    delete (document.data as { id?: string }).id
    server.script(json(document))
    const job = await run(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)
    expect(job.id).toBe("01GSQPBF74KQ5YTDEPP41T1BZH")
  })

  it("reports an HTML page with status 200", async () => {
    server.script({
      status: 200,
      headers: { "content-type": "text/html" },
      body: "<html><body>Maintenance</body></html>",
    })
    const error =
      (await runError(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)) as DecodeError
    expect(error._tag).toBe("DecodeError")
    expect(error.path).toBe("")
    expect(error.reason).toContain(
      "Expected a JSON:API document (application/vnd.api+json), found content-type text/html",
    )
    expect(error.reason).toContain("<html><body>Maintenance")
  })

  it("reports an empty 200 body", async () => {
    server.script({ status: 200, headers: { "content-type": "application/vnd.api+json" }, body: "" })
    const error =
      (await runError(getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH"), server)) as DecodeError
    expect(error.reason).toBe("Expected a JSON:API document, found an empty body (application/vnd.api+json)")
  })

  it("refuses included categories when the document has no categories relationship to order them", async () => {
    server.script(json({
      ...jobDocument({}),
      included: [{ type: "catalog-category", id: "a", attributes: { name: "A" } }],
    }))
    const error = (await runError(
      getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { include: ["categories"] }),
      server,
    )) as DecodeError
    expect(error.path).toBe("data.relationships.categories")
    expect(error.reason).toBe(
      "Missing key, while included holds 1 catalog-category resource that nothing references",
    )
  })

  it("reports a malformed included category at its place in included", async () => {
    server.script(json({
      ...jobDocument({}, {
        relationships: { categories: { data: [{ type: "catalog-category", id: "b" }] } },
      }),
      included: [
        { type: "catalog-category", id: "a", attributes: { name: "A", updated: "never" } },
        { type: "catalog-category", id: "b", attributes: { name: 7 } },
      ],
    }))
    const error = (await runError(
      getCatalogCategoryBulkUpdateJob("01GSQPBF74KQ5YTDEPP41T1BZH", { include: ["categories"] }),
      server,
    )) as DecodeError
    // Resource "a" is malformed too, but nobody references it: only "b" is decoded.
    expect(error.issues).toEqual([{
      path: "included[1].attributes.name",
      message: "Expected string | null, found 7",
    }])
  })
})
