import { describe, expect, it } from "vitest"
import {
  type KlaviyoPromiseClient,
  KlaviyoSimulator,
  makeKlaviyoBudget,
  makeKlaviyoClient,
  type RateLimitOptions,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "../mod.ts"

/** Five GETs of category jobs a minute: a window none of these tests waits out. */
const fivePerMinute: RateLimitOptions = {
  classes: { "jobs-read": { steady: { limit: 5, window: "1 minute" } } },
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/**
 * Fires `calls` GETs from each client at once, waits 300 ms, and says how many resolved; then
 * closes the clients (the calls still waiting for a permit reject) and says how many rejected.
 */
const fire = async (clients: ReadonlyArray<KlaviyoPromiseClient>, calls: number) => {
  let resolved = 0
  let rejected = 0
  const all = clients.flatMap((client) =>
    Array.from(
      { length: calls },
      () => client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).then(() => resolved++, () => rejected++),
    )
  )
  await sleep(300)
  const before = resolved
  await Promise.all(clients.map((client) => client.close()))
  await Promise.all(all)
  return { resolved: before, rejected }
}

/** A Promise client of `apiKey` against `model`, with `rateLimit`. */
const client = (
  apiKey: string,
  model: ReturnType<typeof KlaviyoSimulator.model>,
  rateLimit: Parameters<typeof makeKlaviyoClient>[0]["rateLimit"],
) => makeKlaviyoClient({ apiKey, httpClient: KlaviyoSimulator.layer(model), rateLimit })

describe("a KlaviyoBudget shared by Promise clients", () => {
  it("keeps two clients of one key within one window's limit together", async () => {
    const model = KlaviyoSimulator.model()
    const budget = makeKlaviyoBudget(fivePerMinute)
    const clients = [1, 2].map(() => client(SIMULATED_API_KEY, model, budget))
    expect(await fire(clients, 4)).toEqual({ resolved: 5, rejected: 3 })
    expect(model.stats.requests).toBe(5)
  })

  it("gives each client its own window without it (the same limits, not shared)", async () => {
    const model = KlaviyoSimulator.model()
    const clients = [1, 2].map(() => client(SIMULATED_API_KEY, model, fivePerMinute))
    expect(await fire(clients, 4)).toEqual({ resolved: 8, rejected: 0 })
    expect(model.stats.requests).toBe(8)
  })

  it("counts clients of different keys apart, as different accounts", async () => {
    const first = KlaviyoSimulator.model({ apiKey: "pk_first" })
    const second = KlaviyoSimulator.model({ apiKey: "pk_second" })
    const budget = makeKlaviyoBudget(fivePerMinute)
    const clients = [
      client("pk_first", first, budget),
      client("pk_second", second, budget),
    ]
    expect(await fire(clients, 4)).toEqual({ resolved: 8, rejected: 0 })
    expect([first.stats.requests, second.stats.requests]).toEqual([4, 4])
  })

  it("shares one budget between different keys when it names their account", async () => {
    const first = KlaviyoSimulator.model({ apiKey: "pk_first" })
    const second = KlaviyoSimulator.model({ apiKey: "pk_second" })
    const budget = makeKlaviyoBudget({ ...fivePerMinute, account: "acme" })
    const clients = [
      client("pk_first", first, budget),
      client("pk_second", second, budget),
    ]
    expect(await fire(clients, 4)).toEqual({ resolved: 5, rejected: 3 })
    expect(first.stats.requests + second.stats.requests).toBe(5)
  })

  it("pauses the other client of the account when the server says one spent the account", async () => {
    // The account allows 3 a minute; the budget believes 10. The 3rd answer says none remain.
    const model = KlaviyoSimulator.model({
      rateLimit: { burst: { limit: 100, windowMillis: 1000 }, steady: { limit: 3, windowMillis: 60_000 } },
    })
    const budget = makeKlaviyoBudget({
      classes: { "jobs-read": { steady: { limit: 10, window: "1 minute" } } },
    })
    const [first, second] = [1, 2].map(() =>
      makeKlaviyoClient({
        apiKey: SIMULATED_API_KEY,
        httpClient: KlaviyoSimulator.layer(model),
        rateLimit: budget,
      })
    )
    if (first === undefined || second === undefined) throw new Error("two clients")
    for (let call = 0; call < 3; call++) await first.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID)
    // The second client's call waits out the pause rather than meeting a 429.
    expect(await fire([second, first], 1)).toEqual({ resolved: 0, rejected: 2 })
    expect([model.stats.requests, model.stats.throttled]).toEqual([3, 0])
  })

  it("rejects every call of a client given a budget of bad options", async () => {
    const budget = makeKlaviyoBudget({
      classes: { "jobs-read": { steady: { limit: 0, window: "1 minute" } } },
    })
    await using client = makeKlaviyoClient({
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(),
      rateLimit: budget,
    })
    const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
    expect(error).toMatchObject({
      _tag: "InvalidRequest",
      input: "rateLimit",
      reason: "rateLimit.classes.jobs-read.steady.limit must be a whole number from 1 to 100000, not 0",
    })
  })

  it('refuses rateLimit: "shared" from JavaScript, naming the budget to use', async () => {
    const options: object = {
      apiKey: SIMULATED_API_KEY,
      httpClient: KlaviyoSimulator.layer(),
      rateLimit: "shared",
    }
    await using client = makeKlaviyoClient(options as Parameters<typeof makeKlaviyoClient>[0])
    const error = await client.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID).catch((e: unknown) => e)
    expect(error).toMatchObject({
      _tag: "InvalidRequest",
      input: "rateLimit",
      reason:
        "rateLimit must be false, rate-limit options or a KlaviyoBudget (makeKlaviyoBudget), not a string",
    })
  })
})
