/**
 * The Promise facade's watch of any job, against the real local server: `for await` over the
 * snapshots, the awaited job, refusals before anything is sent.
 */
import { describe, expect, it } from "vitest"
import { type BulkJobRef, makeKlaviyoClient } from "../mod.ts"
import { answer, decodedComplete, jobDocument, quick, stages } from "./support/jobs.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))

describe("the Promise facade's watchBulkJob and awaitBulkJob", () => {
  const type = "catalog-variant-bulk-create-job"
  const facade = () =>
    makeKlaviyoClient({ apiKey: "pk_test_watch_any", baseUrl: server.url, retry: false, rateLimit: false })

  it("iterates over a variant job's snapshots with for await, ending with the job", async () => {
    server.script(
      ...stages.map((stage) => answer(jobDocument(type, "01JITER", stage, "catalog-variant", "variants"))),
    )
    await using client = facade()
    const seen: Array<readonly [number, string, number]> = []
    for await (
      const snapshot of client.watchBulkJob({ type, id: "01JITER" }, { ...quick, include: ["variants"] })
    ) {
      seen.push([snapshot.poll, snapshot.job.status, snapshot.job.variants.length])
    }
    expect(seen).toEqual([[1, "queued", 2], [2, "processing", 2], [3, "complete", 2]])
    expect(server.requests.map((request) => request.target)).toEqual(
      Array(3).fill(`/api/${type}s/01JITER?include=variants`),
    )
  })

  it("awaits a job to its end and resolves with it, decoded", async () => {
    server.script(
      ...stages.map((stage) => answer(jobDocument(type, "01JAWAIT", stage, "catalog-variant", "variants"))),
    )
    await using client = facade()
    const job = await client.awaitBulkJob({ type, id: "01JAWAIT" }, { ...quick, include: ["variants"] })
    expect(job).toEqual(decodedComplete(type, "01JAWAIT", "catalog-variant", "variants"))
  })

  it("rejects a job of an unknown type with InvalidRequest, sending nothing", async () => {
    await using client = facade()
    const job = { type: "catalog-product-bulk-create-job", id: "01J" } as unknown as BulkJobRef
    await expect(client.awaitBulkJob(job)).rejects.toMatchObject({ _tag: "InvalidRequest", input: "job" })
    const loop = async () => {
      for await (const _ of client.watchBulkJob({ id: "01J" } as unknown as BulkJobRef)) break
    }
    await expect(loop()).rejects.toMatchObject({ _tag: "InvalidRequest", input: "job" })
    expect(server.requests).toHaveLength(0)
  })
})
