import { inspect } from "node:util"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import {
  InvalidRequest,
  KlaviyoApiError,
  type KlaviyoLogEntry,
  KlaviyoSimulator,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"
import { type TestServer, useServer } from "./support/server.ts"

let server: TestServer
useServer((started) => {
  server = started
})

describe("the Promise facade", () => {
  it("resolves with the same typed job as the Effect API", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {
      fields: { "catalog-category-bulk-update-job": ["status", "total_count"], "catalog-category": ["name"] },
      include: ["categories"],
    })
    expect(job).toEqual({
      type: "catalog-category-bulk-update-job",
      id: SIMULATED_JOB_ID,
      status: "complete",
      total_count: 3,
      categories: [
        { type: "catalog-category", id: "$custom:::$default:::APPAREL", name: "Apparel" },
        { type: "catalog-category", id: "$custom:::$default:::FOOTWEAR", name: "Footwear" },
        { type: "catalog-category", id: "$custom:::$default:::ACCESSORIES", name: "Accessories" },
      ],
      unresolved: [],
    })
  })

  it("rejects with the tagged error instance", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    const error = await client.getCatalogCategoryBulkUpdateJob("01NOSUCHJOB").catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KlaviyoApiError)
    expect((error as KlaviyoApiError)._tag).toBe("KlaviyoApiError")
    expect((error as KlaviyoApiError).status).toBe(404)
  })

  it("rejects a bad option with InvalidRequest on every call, sending nothing", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: "http://klaviyo.example" })
    for (let i = 0; i < 2; i++) {
      const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidRequest)
      expect((error as InvalidRequest).input).toBe("baseUrl")
    }
    expect(server.requests).toHaveLength(0)
  })

  it("rejects an aborted call with the signal's reason and drops the request", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    server.script("hang")
    const controller = new AbortController()
    const pending = client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {}, {
      signal: controller.signal,
    })
    for (let i = 0; i < 100 && server.hanging() === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(server.hanging()).toBe(1)
    const reason = new Error("the user gave up")
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    for (let i = 0; i < 100 && server.hanging() > 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(server.hanging()).toBe(0)
  })

  it("rejects at once when the signal is already aborted, sending nothing", async () => {
    await using client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, baseUrl: server.url })
    const reason = new Error("too late")
    await expect(
      client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, {}, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason)
    expect(server.requests).toHaveLength(0)
  })

  it("works over the simulator without a network", async () => {
    const client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, httpClient: KlaviyoSimulator.layer() })
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expect(job.status).toBe("complete")
    await client.close()
  })
})

describe("the Promise facade's watch", () => {
  /** A job on the real clock: queued 100 ms, then 4 operations 40 a second (done at 200 ms). */
  const quickJob = (
    id: string,
    progress: { readonly queuedMillis?: number; readonly perSecond?: number } = {},
  ) => ({
    id,
    status: "queued" as const,
    created_at: new Date(),
    total_count: 4,
    categories: ["a", "b", "c", "d"],
    progress: { queuedMillis: 100, perSecond: 40, failures: [2], ...progress },
  })

  it("awaits a job to its end", async () => {
    const model = KlaviyoSimulator.model({ jobs: [quickJob("quick")] })
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(model),
    })
    const job = await client.awaitCatalogCategoryBulkUpdateJob("quick", { interval: { min: "20 millis" } })
    expect([job.status, job.completed_count, job.failed_count]).toEqual(["complete", 3, 1])
  })

  it("iterates over the snapshots with for await, ending with the job", async () => {
    const model = KlaviyoSimulator.model({ jobs: [quickJob("iterated")] })
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(model),
    })
    const statuses: Array<string> = []
    for await (
      const snapshot of client.watchCatalogCategoryBulkUpdateJob("iterated", {
        interval: { min: "20 millis" },
      })
    ) {
      statuses.push(snapshot.job.status)
    }
    expect(statuses[0]).toBe("queued")
    expect(statuses[statuses.length - 1]).toBe("complete")
    expect(statuses.filter((status) => status === "complete")).toHaveLength(1)
  })

  it("stops polling when the loop is left early", async () => {
    const model = KlaviyoSimulator.model({ jobs: [quickJob("left", { queuedMillis: 60_000 })] })
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(model),
    })
    for await (
      const snapshot of client.watchCatalogCategoryBulkUpdateJob("left", { interval: { min: "10 millis" } })
    ) {
      expect(snapshot.poll).toBe(1)
      break
    }
    const after = model.stats.requests
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(model.stats.requests).toBe(after)
  })

  it("rejects with the signal's reason when aborted, and stops polling", async () => {
    const model = KlaviyoSimulator.model({ jobs: [quickJob("aborted", { queuedMillis: 60_000 })] })
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(model),
    })
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error("user gave up")), 100)
    await expect(
      client.awaitCatalogCategoryBulkUpdateJob("aborted", {
        interval: { min: "10 millis", max: "10 millis" },
      }, {
        signal: controller.signal,
      }),
    ).rejects.toThrow("user gave up")
    const seen: Array<number> = []
    const again = new AbortController()
    setTimeout(() => again.abort(new Error("enough")), 100)
    await expect((async () => {
      for await (
        const snapshot of client.watchCatalogCategoryBulkUpdateJob("aborted", {
          interval: { max: "10 millis", min: "10 millis" },
        }, {
          signal: again.signal,
        })
      ) seen.push(snapshot.poll)
    })()).rejects.toThrow("enough")
    expect(seen).toEqual([1])
    const after = model.stats.requests
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(model.stats.requests).toBe(after)
  })

  it("stops a watch being iterated when the client is closed", async () => {
    const model = KlaviyoSimulator.model({ jobs: [quickJob("closed", { queuedMillis: 60_000 })] })
    const client = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, httpClient: KlaviyoSimulator.layer(model) })
    const seen: Array<number> = []
    const loop = (async () => {
      for await (
        const snapshot of client.watchCatalogCategoryBulkUpdateJob("closed", {
          interval: { min: "10 millis", max: "10 millis" },
        })
      ) seen.push(snapshot.poll)
    })()
    await new Promise((resolve) => setTimeout(resolve, 100))
    await client.close()
    await expect(loop).rejects.toMatchObject({ _tag: "InvalidRequest", input: "client" })
    expect(seen).toEqual([1])
    const after = model.stats.requests
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(model.stats.requests).toBe(after)
  })

  it("rejects with the same typed errors", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(),
    })
    await expect(client.awaitCatalogCategoryBulkUpdateJob("no-such-job")).rejects.toBeInstanceOf(
      KlaviyoApiError,
    )
  })
})

describe("the Promise facade's logs", () => {
  const methods = ["log", "info", "debug", "trace", "warn", "error"] as const
  const spyOnConsole = () =>
    methods.map((method) => [method, vi.spyOn(console, method).mockImplementation(() => {})] as const)
  let consoleCalls: ReturnType<typeof spyOnConsole>
  beforeEach(() => {
    consoleCalls = spyOnConsole()
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })
  /** What each console method was called with, for the methods that were called. */
  const written = () =>
    Object.fromEntries(
      consoleCalls.filter(([, spy]) => spy.mock.calls.length > 0).map((
        [method, spy],
      ) => [method, spy.mock.calls]),
    )
  const unavailable = { status: 503, headers: { "content-type": "application/json" }, body: "{}" } as const
  const quickRetry = { base: "10 millis" } as const
  const WARNING =
    /^\[@effect-klaviyo\/catalog-jobs\] WARN Retrying getCatalogCategoryBulkUpdateJob \(attempt 2\) in \d+ms \(backoff\) after status 503$/

  it("writes a retry's warning to stderr by default (console.warn), nothing to stdout", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      retry: quickRetry,
    })
    server.script(unavailable)
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expect(job.status).toBe("complete")
    expect(server.requests).toHaveLength(2)
    expect(written()).toEqual({ warn: [[expect.stringMatching(WARNING)]] })
  })

  it("does not print debug messages by default (why a failure is not retried)", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      retry: { ...quickRetry, times: 1 },
    })
    server.script(unavailable, unavailable)
    await expect(client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)).rejects.toMatchObject({
      _tag: "KlaviyoApiError",
      status: 503,
    })
    expect(written()).toEqual({ warn: [[expect.stringMatching(WARNING)]] })
  })

  it("logger: false writes nothing anywhere", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      retry: quickRetry,
      logger: false,
    })
    server.script(unavailable)
    await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expect(server.requests).toHaveLength(2)
    expect(written()).toEqual({})
  })

  it("a logger function receives each entry, with its level and details, and the console nothing", async () => {
    const entries: Array<KlaviyoLogEntry> = []
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      retry: { ...quickRetry, times: 1 },
      logger: (entry) => entries.push(entry),
      logLevel: "Debug",
    })
    server.script(unavailable, unavailable)
    await expect(client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)).rejects.toMatchObject({
      status: 503,
    })
    expect(entries).toEqual([
      {
        level: "Warn",
        message: expect.stringMatching(WARNING.source.replace(/^.*WARN /, "^")),
        annotations: {
          "klaviyo.retry.attempt": 2,
          "klaviyo.retry.cause": "status 503",
          "klaviyo.retry.delay_ms": expect.any(Number),
          "klaviyo.retry.delay_source": "backoff",
        },
        date: expect.any(Date),
      },
      {
        level: "Debug",
        // The reason's wording is the retry policy's.
        message: expect.stringMatching(/^Not retrying getCatalogCategoryBulkUpdateJob: .*\b1 retry\b/),
        annotations: {},
        date: expect.any(Date),
      },
    ])
    expect(written()).toEqual({})
  })

  it("a logger that throws does not fail the call", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      retry: quickRetry,
      logger: () => {
        throw new Error("the log sink is broken")
      },
    })
    server.script(unavailable)
    const job = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    expect(job.status).toBe("complete")
  })

  it("a watch's retries are logged the same way", async () => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      retry: quickRetry,
    })
    server.script(unavailable)
    const statuses: Array<string> = []
    for await (const snapshot of client.watchCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)) {
      statuses.push(snapshot.job.status)
    }
    expect(statuses).toEqual(["complete"])
    expect(written()).toEqual({ warn: [[expect.stringMatching(WARNING)]] })
  })

  it.for(
    [
      [
        "a logger that is not a function",
        { logger: "console" },
        "logger",
        "logger must be false or a function, not a string",
      ],
      [
        "an unknown logLevel",
        { logLevel: "Verbose" },
        "logLevel",
        "logLevel must be one of Fatal, Error, Warn, Info, Debug, Trace, not a string that is none of them",
      ],
      [
        "a logLevel of another type",
        { logLevel: 3 },
        "logLevel",
        "logLevel must be one of Fatal, Error, Warn, Info, Debug, Trace, not a number",
      ],
    ] as const,
  )("rejects %s from JavaScript with InvalidRequest, sending nothing", async ([, bad, input, reason]) => {
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      baseUrl: server.url,
      ...(bad as object),
    })
    const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRequest)
    expect(error).toMatchObject({ input, reason })
    expect(server.requests).toHaveLength(0)
  })

  it("never echoes the key given as the logLevel by mistake", async () => {
    const key = "pk_CANARY_0a1b2c3d4e5f"
    await using client = makeKlaviyoClient({ apiKey: key, baseUrl: server.url, logLevel: key as "Warn" })
    const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
    expect(error).toMatchObject({ _tag: "InvalidRequest", input: "logLevel" })
    const printed = `${String(error)} ${(error as Error).message} ${JSON.stringify(error)} ${
      inspect(error, { depth: 8, showHidden: true })
    }`
    expect(printed).toContain("not a string that is none of them")
    for (let i = 0; i + 8 <= key.length; i++) expect(printed).not.toContain(key.slice(i, i + 8))
    expect(server.requests).toHaveLength(0)
  })
})
