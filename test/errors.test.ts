import { Duration, Effect } from "effect"
import { describe, expect, it } from "vitest"
import {
  getCatalogCategoryBulkUpdateJob,
  type GetCatalogCategoryBulkUpdateJobOptions,
  InvalidRequest,
  KlaviyoApiError,
  SIMULATED_JOB_ID,
  TransportError,
} from "../mod.ts"
import { runError } from "./support/run.ts"
import { startServer, type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((started) => {
  server = started
})

describe("InvalidRequest, before anything is sent", () => {
  const cases: ReadonlyArray<
    readonly [
      string,
      string,
      GetCatalogCategoryBulkUpdateJobOptions,
      Parameters<typeof runError>[2],
      string,
      string,
    ]
  > = [
    ["an empty job id", "", {}, {}, "jobId", "the id is empty"],
    [
      "an oversized job id",
      "x".repeat(256),
      {},
      {},
      "jobId",
      "the id is 256 characters long; at most 255 are accepted",
    ],
    ["a job id with a newline", "abc\ndef", {}, {}, "jobId", "the id contains control characters"],
    ["a dot-dot job id", "..", {}, {}, "jobId", '".." is not an id (it would change the path)'],
    [
      "a job id with surrounding spaces",
      " abc ",
      {},
      {},
      "jobId",
      '" abc " has leading or trailing white space',
    ],
    [
      "a job field the spec does not list",
      SIMULATED_JOB_ID,
      { fields: { "catalog-category-bulk-update-job": ["status", "progress" as "status"] } },
      {},
      "fields",
      'fields[catalog-category-bulk-update-job] names "progress", which this revision does not list',
    ],
    [
      "job_id in a revision after 2023-10-15",
      SIMULATED_JOB_ID,
      { fields: { "catalog-category-bulk-update-job": ["job_id"] } },
      {},
      "fields",
      'names "job_id"',
    ],
    [
      "id in a revision up to 2023-10-15",
      SIMULATED_JOB_ID,
      { fields: { "catalog-category-bulk-update-job": ["id"] } },
      { revision: "2023-10-15" },
      "fields",
      'names "id"',
    ],
    [
      "a category field the spec does not list",
      SIMULATED_JOB_ID,
      { fields: { "catalog-category": ["title" as "name"] } },
      {},
      "fields",
      "the fields are: external_id, id, name, updated",
    ],
    [
      "an empty fieldset",
      SIMULATED_JOB_ID,
      { fields: { "catalog-category-bulk-update-job": [] } },
      {},
      "fields",
      "is empty",
    ],
    [
      "a fieldset of a type the endpoint does not return",
      SIMULATED_JOB_ID,
      { fields: { "catalog-item": ["title"] } } as unknown as GetCatalogCategoryBulkUpdateJobOptions,
      {},
      "fields",
      'this endpoint returns no "catalog-item" resources',
    ],
    [
      "an include the endpoint does not have",
      SIMULATED_JOB_ID,
      { include: ["items" as "categories"] },
      {},
      "include",
      '"items" cannot be included; this endpoint includes: categories',
    ],
    [
      "a malformed revision",
      SIMULATED_JOB_ID,
      {},
      { revision: "2026-7-15" },
      "revision",
      "is not of the form YYYY-MM-DD",
    ],
    [
      "a revision naming no real day",
      SIMULATED_JOB_ID,
      {},
      { revision: "2026-02-30" },
      "revision",
      "names a day that does not exist",
    ],
    [
      "a revision before Klaviyo's first",
      SIMULATED_JOB_ID,
      {},
      { revision: "2020-01-01" },
      "revision",
      "predates",
    ],
    [
      "plain http to a remote host",
      SIMULATED_JOB_ID,
      {},
      { baseUrl: "http://a.klaviyo.com" },
      "baseUrl",
      "loopback",
    ],
    [
      "a base URL with credentials",
      SIMULATED_JOB_ID,
      {},
      { baseUrl: "https://user:pw@a.klaviyo.com" },
      "baseUrl",
      "user name or password",
    ],
    ["an empty API key", SIMULATED_JOB_ID, {}, { apiKey: "  " }, "credentials", "apiKey is empty"],
    [
      "an API key with a line break",
      SIMULATED_JOB_ID,
      {},
      { apiKey: "pk_abc\r\nX-Evil: 1" },
      "credentials",
      "control characters",
    ],
    ["a zero timeout", SIMULATED_JOB_ID, {}, { timeout: "0 millis" }, "timeout", "positive duration"],
    [
      "a job id that is not well-formed Unicode",
      "abc\uD800",
      {},
      {},
      "jobId",
      "not well-formed Unicode",
    ],
    [
      "an API key outside printable ASCII",
      SIMULATED_JOB_ID,
      {},
      { apiKey: "pk_é€" },
      "credentials",
      "printable ASCII",
    ],
    [
      "an empty access token",
      SIMULATED_JOB_ID,
      {},
      { accessToken: "" },
      "credentials",
      "accessToken is empty (set KLAVIYO_ACCESS_TOKEN",
    ],
    ["a retry count below zero", SIMULATED_JOB_ID, {}, { retry: { times: -1 } }, "retry", "retry.times"],
    [
      "a zero rate limit",
      SIMULATED_JOB_ID,
      {},
      { rateLimit: { burst: { limit: 0, window: "1 second" } } },
      "rateLimit",
      "rateLimit.burst.limit",
    ],
    ["a zero body cap", SIMULATED_JOB_ID, {}, { maxBodyBytes: 0 }, "maxBodyBytes", "1 or more"],
    [
      "a zero rate-limit margin",
      SIMULATED_JOB_ID,
      {},
      { rateLimit: { margin: "0 millis" } },
      "rateLimit",
      "rateLimit.margin must be a positive",
    ],
    [
      "a negative backoff",
      SIMULATED_JOB_ID,
      {},
      { retry: { base: "-1 seconds" } },
      "retry",
      "retry.base must be a finite duration, zero or more",
    ],
    [
      "a zero deadline",
      SIMULATED_JOB_ID,
      {},
      { deadline: "0 millis" },
      "deadline",
      "deadline must be a positive duration",
    ],
  ]
  for (const [name, id, options, clientOptions, input, reason] of cases) {
    it(`refuses ${name} and sends nothing`, async () => {
      const error = await runError(getCatalogCategoryBulkUpdateJob(id, options), server, clientOptions)
      expect(error).toBeInstanceOf(InvalidRequest)
      expect(error._tag).toBe("InvalidRequest")
      expect((error as InvalidRequest).input).toBe(input)
      expect((error as InvalidRequest).reason).toContain(reason)
      expect(server.requests).toHaveLength(0)
    })
  }
})

describe("KlaviyoApiError for every non-2xx answer", () => {
  it("carries 404, the JSON:API errors and a hint", async () => {
    const error = (await runError(getCatalogCategoryBulkUpdateJob("01NOSUCHJOB"), server)) as KlaviyoApiError
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect(error.status).toBe(404)
    expect(error.errors).toHaveLength(1)
    expect(error.errors[0]!.code).toBe("not_found")
    expect(error.errors[0]!.status).toBe(404)
    expect(error.url).toBe(`${server.url}/api/catalog-category-bulk-update-jobs/01NOSUCHJOB`)
    expect(error.message).toContain("Klaviyo answered 404 to GET")
    expect(error.message).not.toContain(".;")
    expect(error.message).toContain("no job with this id")
    expect(server.requests).toHaveLength(1)
  })

  it.for(
    [
      [404, "GET", "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs/01ABC", "no job with this id"],
      [
        404,
        "GET",
        "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs/01ABC/?include=items",
        "no job with this id",
      ],
      [404, "GET", "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs?filter=x", "no such endpoint"],
      [404, "POST", "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs", "no such endpoint"],
      [403, "GET", "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs/01ABC", "(catalogs:read)"],
      [403, "POST", "https://a.klaviyo.com/api/catalog-item-bulk-create-jobs", "(catalogs:write)"],
    ] as const,
  )("hints at what a %i to %s %s means: %s", ([status, method, url, hint]) => {
    const error = new KlaviyoApiError({ status, method, url, revision: "2026-07-15", errors: [] })
    expect(error.message).toBe(
      `Klaviyo answered ${status} to ${method} ${url}; ${
        status === 403
          ? `the credential lacks a scope this endpoint needs ${hint}`
          : hint === "no such endpoint"
          ? "Klaviyo has no such endpoint: check the base URL and the revision"
          : "Klaviyo has no job with this id for this account (jobs expire: see expires_at)"
      }`,
    )
  })

  it("carries 401 for a wrong key", async () => {
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      apiKey: "pk_wrong",
    })) as KlaviyoApiError
    expect(error.status).toBe(401)
    expect(error.errors[0]!.code).toBe("authentication_failed")
  })

  it("carries 400 with the offending parameter", async () => {
    server.script({
      status: 400,
      headers: { "content-type": "application/vnd.api+json" },
      body: JSON.stringify({
        errors: [{
          id: "1",
          status: "400",
          code: "invalid",
          title: "Invalid input.",
          detail: "bad",
          source: { parameter: "include" },
        }],
      }),
    })
    const error =
      (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server)) as KlaviyoApiError
    expect(error.errors).toEqual([
      {
        id: "1",
        status: 400,
        code: "invalid",
        title: "Invalid input.",
        detail: "bad",
        source: { parameter: "include" },
      },
    ])
  })

  it("says what to do about a retired revision (410)", async () => {
    server.script({
      status: 410,
      body: JSON.stringify({
        errors: [{ id: "g", code: "gone", title: "Gone.", detail: "Revision retired." }],
      }),
    })
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      revision: "2023-10-15",
    })) as KlaviyoApiError
    expect(error.status).toBe(410)
    expect(error.revision).toBe("2023-10-15")
    expect(error.message).toContain("revision 2023-10-15 is retired")
    expect(error.message).toContain("set `revision` (or KLAVIYO_REVISION)")
  })

  it("keeps the start of a body that is not JSON:API", async () => {
    server.script({ status: 502, headers: { "content-type": "text/html" }, body: "<html>Bad gateway</html>" })
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      retry: false,
    })) as KlaviyoApiError
    expect(error.status).toBe(502)
    expect(error.errors).toEqual([])
    expect(error.body).toBe("<html>Bad gateway</html>")
    expect(error.message).toContain("<html>Bad gateway</html>")
  })

  it("reads Retry-After in seconds and as an HTTP date", async () => {
    server.script({ status: 429, headers: { "retry-after": "7" }, body: "" })
    const seconds = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      retry: false,
    })) as KlaviyoApiError
    expect(seconds.status).toBe(429)
    expect(Duration.toMillis(seconds.retryAfter!)).toBe(7000)
    server.script({
      status: 429,
      headers: { "retry-after": new Date(Date.now() + 60_000).toUTCString() },
      body: "",
    })
    const date = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      retry: false,
    })) as KlaviyoApiError
    const millis = Duration.toMillis(date.retryAfter!)
    expect(millis).toBeGreaterThan(55_000)
    expect(millis).toBeLessThanOrEqual(60_000)
  })

  it("reads a Retry-After with a fraction of a second, and ignores one it cannot read", async () => {
    server.script({ status: 429, headers: { "retry-after": "1.5" }, body: "" })
    const fraction = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      retry: false,
    })) as KlaviyoApiError
    expect(Duration.toMillis(fraction.retryAfter!)).toBe(1500)
    for (const unreadable of ["-1", "10, 20", "soon", "2026-11-28T10:00:00Z"]) {
      server.script({ status: 429, headers: { "retry-after": unreadable }, body: "" })
      const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
        retry: false,
      })) as KlaviyoApiError
      expect(error.retryAfter).toBeUndefined()
    }
  })

  it("follows a same-origin redirect with the credential", async () => {
    // To the same job (a redirect to another job's id would answer for another job: a DecodeError).
    server.script({
      status: 301,
      headers: { location: `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}/` },
    })
    const job = await Effect.runPromise(
      getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).pipe(
        Effect.provide((await import("./support/run.ts")).clientLayer(server)),
      ),
    )
    expect(job.id).toBe(SIMULATED_JOB_ID)
    expect(server.requests.map((r) => r.target)).toEqual([
      `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`,
      `/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}/`,
    ])
    expect(server.requests[1]!.headers["authorization"]).toBe(server.requests[0]!.headers["authorization"])
  })

  it("does not follow a redirect to another origin, so the key never goes there", async () => {
    const elsewhere = await startServer()
    try {
      server.script({ status: 302, headers: { location: `${elsewhere.url}/steal` } })
      const error =
        (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server)) as KlaviyoApiError
      expect(error.status).toBe(302)
      expect(error.message).toContain(
        `a redirect to another origin (${elsewhere.url}), not followed so that the credential is only ever sent to ${server.url}`,
      )
      expect(elsewhere.requests).toHaveLength(0)
    } finally {
      await elsewhere.close()
    }
  })
})

describe("redirects that are not followed", () => {
  it("reports a Location that is not a URL as a KlaviyoApiError, not a defect", async () => {
    server.script({ status: 302, headers: { location: "http://[oops" } })
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      retry: false,
    })) as KlaviyoApiError
    expect(error._tag).toBe("KlaviyoApiError")
    expect(error.status).toBe(302)
    expect(error.note).toBe('a redirect to an unusable Location ("http://[oops")')
  })

  it("stops after five same-origin redirects and names the request that started them", async () => {
    server.script(...Array.from({ length: 6 }, () => ({ status: 302, headers: { location: "/loop" } })))
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      retry: false,
    })) as KlaviyoApiError
    expect(error.note).toBe("more than 5 redirects")
    expect(error.url).toBe(`${server.url}/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`)
    expect(server.requests).toHaveLength(6)
  })
})

describe("TransportError", () => {
  it("reports a refused connection as a network error", async () => {
    const gone = await startServer()
    await gone.close()
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), gone)) as TransportError
    expect(error).toBeInstanceOf(TransportError)
    expect(error.kind).toBe("network")
    expect(error.message).toContain(`Network error on GET ${gone.url}/api/catalog-category-bulk-update-jobs/`)
  })

  it("reports a server that never answers as a timeout, and drops the connection", async () => {
    server.script("hang")
    const error = (await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, {
      timeout: "300 millis",
      retry: false,
    })) as TransportError
    expect(error.kind).toBe("timeout")
    expect(error.detail).toBe("no complete answer within the per-attempt timeout of 300ms")
    for (let i = 0; i < 50 && server.hanging() > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(server.hanging()).toBe(0)
  })
})

describe("KlaviyoApiError.retryAfterSeconds", () => {
  it("is Retry-After in seconds, a plain number for code without Effect (console.log, JSON)", () => {
    const fields = {
      status: 429,
      method: "GET",
      url: "https://a.klaviyo.com/api/x",
      revision: "2026-07-15",
      errors: [],
    }
    const throttled = new KlaviyoApiError({ ...fields, retryAfter: Duration.seconds(120) })
    expect(throttled.retryAfterSeconds).toBe(120)
    expect(JSON.parse(JSON.stringify(throttled)).retryAfterSeconds).toBe(120)
    expect(new KlaviyoApiError(fields).retryAfterSeconds).toBeUndefined()
    expect("retryAfterSeconds" in new KlaviyoApiError(fields)).toBe(false)
  })
})
