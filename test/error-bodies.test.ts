/**
 * What a `KlaviyoApiError` keeps of a JSON:API error body: bounded before anything scrubs or
 * prints it, so that a body near the cap costs no more than a small one (each member at most
 * 2,000 characters, at most 100 error objects), and a cut never leaves a piece of the key.
 */
import { describe, expect, it } from "vitest"
import { getCatalogCategoryBulkUpdateJob, SIMULATED_JOB_ID } from "../mod.ts"
import { runError } from "./support/run.ts"
import { type TestServer, useServer } from "./support/server.ts"

const KEY = "pk_CANARY_7f3e1a9c5b2d"

let server: TestServer
useServer((started) => {
  server = started
}, { apiKey: KEY })

const json = { "content-type": "application/vnd.api+json" }
const once = { apiKey: KEY, retry: false as const }
const url = () => `${server.url}/api/catalog-category-bulk-update-jobs/${SIMULATED_JOB_ID}`

describe("a JSON:API error body near the cap", () => {
  it("cuts every member to 2,000 characters with a marker, keeps 100 errors, and the message stays short", async () => {
    const huge = 7_000_000
    const long = (letter: string, length: number) => letter.repeat(length)
    const errors = [
      {
        id: long("i", 3000),
        code: long("c", 2001),
        title: long("t", 2000),
        detail: long("d", huge),
        status: "503",
        source: { pointer: long("p", 4000), parameter: long("q", 2500) },
      },
      ...Array.from({ length: 149 }, (_, i) => ({ code: `e${i}` })),
    ]
    server.script({ status: 503, headers: json, body: JSON.stringify({ errors }) })
    const error = await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, once)
    expect(error._tag).toBe("KlaviyoApiError")
    const apiError = error as unknown as {
      errors: ReadonlyArray<Record<string, unknown>>
      omittedErrors: number
    }
    const detail = `${long("d", 2000)}… [cut: ${huge - 2000} more characters]`
    expect(apiError.errors[0]).toEqual({
      id: `${long("i", 2000)}… [cut: 1000 more characters]`,
      code: `${long("c", 2000)}… [cut: 1 more character]`,
      title: long("t", 2000),
      detail,
      status: 503,
      source: {
        pointer: `${long("p", 2000)}… [cut: 2000 more characters]`,
        parameter: `${long("q", 2000)}… [cut: 500 more characters]`,
      },
    })
    expect(apiError.errors).toHaveLength(100)
    expect(apiError.errors[99]).toEqual({ code: "e98" })
    expect(apiError.omittedErrors).toBe(50)
    expect(error.message).toBe(
      `Klaviyo answered 503 to GET ${url()}: ${long("t", 2000)}: ${detail} (and 149 more)`,
    )
    expect(error.message.length).toBe(4079 + url().length)
  })

  it("redacts the key whole where a cut falls inside it (plain or percent-escaped)", async () => {
    const escaped = [...KEY].map((c) => `%25${c.charCodeAt(0).toString(16).toUpperCase()}`).join("")
    for (const form of [KEY, escaped]) {
      const detail = `${"x".repeat(1995)}${form}${"%2525".repeat(1_000_000)}`
      server.script({ status: 400, headers: json, body: JSON.stringify({ errors: [{ detail }] }) })
      const error = await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, once)
      const kept = (error as unknown as { errors: ReadonlyArray<{ detail: string }> }).errors[0]!.detail
      expect(kept).toBe(`${"x".repeat(1995)}<reda… [cut: ${detail.length - 2000} more characters]`)
    }
  })

  it("keeps a body without JSON:API errors as its first 500 characters", async () => {
    server.script({
      status: 502,
      headers: { "content-type": "text/html" },
      body: `<p>${"z".repeat(7_000_000)}`,
    })
    const error = await runError(getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID), server, once)
    expect(error).toMatchObject({ _tag: "KlaviyoApiError", status: 502, errors: [] })
    expect((error as unknown as { body: string }).body).toBe(`<p>${"z".repeat(497)}`)
  })
})
