/**
 * Watching a job of any of the 9 types against the real local server: the exact paths polled,
 * the snapshots' statuses and progress, the awaited job's decoded value; shared polls counted at
 * the server, and refusals before anything is sent.
 */
import { Effect, Exit, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import type * as http from "node:http"
import { describe, expect, it } from "vitest"
import {
  awaitBulkJob,
  type BulkJobRef,
  type BulkJobType,
  InvalidRequest,
  KlaviyoClient,
  type KlaviyoError,
  watchBulkJob,
  type WatchBulkJobOptions,
} from "../mod.ts"
import { failureOf } from "./support/clock.ts"
import {
  answer,
  COMPLETED,
  decodedComplete,
  EXPIRES,
  jobDocument,
  jobTypes,
  quick,
  type Resource,
  type Stage,
  stages,
} from "./support/jobs.ts"
import { type Scripted, type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((s) => (server = s))

const run = <A, E>(effect: Effect.Effect<A, E, KlaviyoClient>): Promise<Exit.Exit<A, E | InvalidRequest>> =>
  effect.pipe(
    Effect.provide(
      KlaviyoClient.layer({
        apiKey: "pk_test_watch_any",
        baseUrl: server.url,
        retry: false,
        rateLimit: false,
      }),
    ),
    Effect.provide(FetchHttpClient.layer),
    Effect.exit,
    Effect.runPromise,
  )

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.map(Stream.runCollect(stream), (c) => [...c])

describe("watchBulkJob, for each of the 9 job types", () => {
  for (const { type, resource, relationship } of jobTypes) {
    const options = {
      ...quick,
      ...(relationship === undefined ? {} : { include: [relationship] }),
    } as WatchBulkJobOptions<BulkJobType>
    const query = relationship === undefined ? "" : `?include=${relationship}`

    it(`${type}: polls GET /api/${type}s/{id}${query} and emits queued, processing, complete`, async () => {
      const id = `01J-${type}`
      server.script(...stages.map((stage) => answer(jobDocument(type, id, stage, resource, relationship))))
      const exit = await run(collect(watchBulkJob({ type, id }, options)))
      expect(Exit.isSuccess(exit)).toBe(true)
      const snapshots = Exit.isSuccess(exit) ? exit.value : []
      expect(server.requests.map((request) => [request.method, request.target])).toEqual([
        ["GET", `/api/${type}s/${id}${query}`],
        ["GET", `/api/${type}s/${id}${query}`],
        ["GET", `/api/${type}s/${id}${query}`],
      ])
      expect(snapshots.map((s) => [s.poll, s.job.type, s.job.status])).toEqual([
        [1, type, "queued"],
        [2, type, "processing"],
        [3, type, "complete"],
      ])
      expect(snapshots.map((s) => [s.progress.completed, s.progress.failed, s.progress.percent])).toEqual([
        [0, 0, 0],
        [1, 0, 50],
        [1, 1, 100],
      ])
      expect(snapshots[2]!.job).toEqual(decodedComplete(type, id, resource, relationship))
    })

    it(`${type}: awaitBulkJob returns the job as it ended, decoded`, async () => {
      const id = `01K-${type}`
      server.script(...stages.map((stage) => answer(jobDocument(type, id, stage, resource, relationship))))
      const exit = await run(awaitBulkJob({ type, id }, options))
      expect(exit).toEqual(Exit.succeed(decodedComplete(type, id, resource, relationship)))
      expect(server.requests).toHaveLength(3)
    })
  }
})

describe("watchBulkJob's options", () => {
  it("asks for the attributes it reads on top of a job fieldset of yours, and narrows the job to them", async () => {
    const type = "catalog-item-bulk-update-job"
    const sparse = (status: Stage, completed: number) => ({
      data: {
        type,
        id: "01JSPARSE",
        attributes: {
          status,
          total_count: 2,
          completed_count: completed,
          failed_count: 0,
          completed_at: status === "complete" ? COMPLETED : null,
          expires_at: EXPIRES,
        },
        relationships: { items: { data: [{ type: "catalog-item", id: "A" }] } },
      },
      included: [{ type: "catalog-item", id: "A", attributes: { title: "Shirt" } }],
    })
    server.script(answer(sparse("processing", 1)), answer(sparse("complete", 2)))
    const exit = await run(
      awaitBulkJob({ type, id: "01JSPARSE" }, {
        ...quick,
        fields: { [type]: ["completed_count"], "catalog-item": ["title"] },
        include: ["items"],
      }),
    )
    expect(server.requests.map((request) => request.target)).toEqual(
      Array(2).fill(
        `/api/${type}s/01JSPARSE?fields[${type}]=completed_count,status,total_count,failed_count,completed_at,expires_at` +
          "&fields[catalog-item]=title&include=items",
      ),
    )
    expect(exit).toEqual(Exit.succeed({
      type,
      id: "01JSPARSE",
      status: "complete",
      total_count: 2,
      completed_count: 2,
      failed_count: 0,
      completed_at: new Date("2026-11-27T14:00:02.123Z"),
      expires_at: new Date(EXPIRES),
      items: [{ type: "catalog-item", id: "A", title: "Shirt" }],
      unresolved: [],
    }))
  })

  it("ends a watch of a variant job with JobWatchError gone, naming the job's type, when it answers 404", async () => {
    const type = "catalog-variant-bulk-create-job"
    server.script(
      answer(jobDocument(type, "01JGONE", "processing", "catalog-variant")),
      { status: 404, headers: { "content-type": "application/vnd.api+json" }, body: '{"errors":[]}' },
    )
    const exit = await run(collect(watchBulkJob({ type, id: "01JGONE" }, quick)))
    expect(failureOf(exit)).toMatchObject({
      _tag: "JobWatchError",
      reason: "gone",
      jobId: "01JGONE",
      jobType: type,
      detail: "Klaviyo answered 404 after 1 poll had seen the job processing",
    })
    expect(server.requests).toHaveLength(2)
  })
})

describe("watchBulkJob refuses what it cannot watch, before anything is sent", () => {
  const cases: ReadonlyArray<readonly [string, unknown, Partial<InvalidRequest>]> = [
    ["an unknown type", { type: "catalog-item-bulk-upsert-job", id: "01J" }, {
      input: "job",
      reason:
        'the job\'s type "catalog-item-bulk-upsert-job" is not a catalog bulk job type; the types are: ' +
        jobTypes.map((job) => job.type).join(", "),
    }],
    ["a job without a type", { id: "01J" }, { input: "job" }],
    ["a job without an id", { type: "catalog-category-bulk-delete-job" }, {
      input: "jobId",
      reason: "the catalog-category-bulk-delete-job has no id: expected a string, got undefined",
    }],
    ["a job whose id is not a string", { type: "catalog-item-bulk-create-job", id: 42 }, {
      input: "jobId",
      reason: "the catalog-item-bulk-create-job has no id: expected a string, got number",
    }],
    ["no job at all", null, {
      input: "job",
      reason: "expected a job (an object with its type and id), got null",
    }],
  ]
  for (const [name, job, expected] of cases) {
    it(`refuses ${name} with InvalidRequest`, async () => {
      const exit = await run(awaitBulkJob(job as BulkJobRef, quick))
      const error: KlaviyoError | undefined = failureOf(exit) as KlaviyoError | undefined
      expect(error).toBeInstanceOf(InvalidRequest)
      expect(error).toMatchObject(expected)
      expect(server.requests).toHaveLength(0)
    })
  }
})

/**
 * Answers from the request: each job (by path and query) is `queued` at its first poll and `complete` at the
 * next, of the type its path names.
 */
const byPath = (): Scripted => {
  const seen = new Map<string, number>()
  return {
    raw: (req: http.IncomingMessage, res: http.ServerResponse) => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname
      const [, , collection, id] = path.split("/")
      const polls = seen.get(req.url ?? "/") ?? 0
      seen.set(req.url ?? "/", polls + 1)
      const type = collection!.replace(/s$/, "")
      const resource = type.replace(/-bulk-.*$/, "") as Resource
      res.writeHead(200, { "content-type": "application/vnd.api+json" })
      res.end(JSON.stringify(jobDocument(type, id!, polls === 0 ? "queued" : "complete", resource)))
    },
  }
}

describe("shared polls", () => {
  it("two watchers of one job share one poll: one request per poll at the server", async () => {
    const type = "catalog-item-bulk-create-job"
    server.script(...stages.map((stage) => answer(jobDocument(type, "01JSHARED", stage, "catalog-item"))))
    const job = { type, id: "01JSHARED" } as const
    const exit = await run(
      Effect.all([collect(watchBulkJob(job, quick)), collect(watchBulkJob(job, quick))], {
        concurrency: "unbounded",
      }),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    const [first, second] = Exit.isSuccess(exit) ? exit.value : [[], []]
    expect(server.requests.map((request) => request.target)).toEqual(
      Array(3).fill(`/api/${type}s/01JSHARED`),
    )
    expect(first.map((s) => [s.poll, s.job.status])).toEqual([[1, "queued"], [2, "processing"], [
      3,
      "complete",
    ]])
    expect(second.map((s) => [s.poll, s.job.status])).toEqual(first.map((s) => [s.poll, s.job.status]))
    // The same snapshots, not copies fetched twice.
    expect(second.map((s) => s.job)).toEqual(first.map((s) => s.job))
  })

  it("an item job and a category job with the same id never share a poll", async () => {
    const route = byPath()
    server.script(route, route, route, route)
    const item = { type: "catalog-item-bulk-update-job", id: "01JSAME" } as const
    const category = { type: "catalog-category-bulk-update-job", id: "01JSAME" } as const
    const exit = await run(
      Effect.all([collect(watchBulkJob(item, quick)), collect(watchBulkJob(category, quick))], {
        concurrency: "unbounded",
      }),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    const [items, categories] = Exit.isSuccess(exit) ? exit.value : [[], []]
    expect(server.requests.map((request) => request.target).sort()).toEqual([
      "/api/catalog-category-bulk-update-jobs/01JSAME",
      "/api/catalog-category-bulk-update-jobs/01JSAME",
      "/api/catalog-item-bulk-update-jobs/01JSAME",
      "/api/catalog-item-bulk-update-jobs/01JSAME",
    ])
    expect(items.map((s) => [s.poll, s.job.type, s.job.status])).toEqual([
      [1, "catalog-item-bulk-update-job", "queued"],
      [2, "catalog-item-bulk-update-job", "complete"],
    ])
    expect(categories.map((s) => [s.poll, s.job.type, s.job.status])).toEqual([
      [1, "catalog-category-bulk-update-job", "queued"],
      [2, "catalog-category-bulk-update-job", "complete"],
    ])
  })

  it("watchers of one job with different fieldsets do not share a poll", async () => {
    const route = byPath()
    server.script(route, route, route, route)
    const type = "catalog-variant-bulk-delete-job"
    const job = { type, id: "01JFIELDS" } as const
    const exit = await run(
      Effect.all([
        collect(watchBulkJob(job, quick)),
        collect(watchBulkJob(job, { ...quick, fields: { [type]: ["errors"] } })),
      ], { concurrency: "unbounded" }),
    )
    expect(Exit.isSuccess(exit)).toBe(true)
    expect(server.requests.map((request) => request.target).sort()).toEqual([
      `/api/${type}s/01JFIELDS`,
      `/api/${type}s/01JFIELDS`,
      `/api/${type}s/01JFIELDS?fields[${type}]=errors,status,total_count,completed_count,failed_count,completed_at,expires_at`,
      `/api/${type}s/01JFIELDS?fields[${type}]=errors,status,total_count,completed_count,failed_count,completed_at,expires_at`,
    ])
  })
})
