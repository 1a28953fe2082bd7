/**
 * The in-memory budget's own cost per call, measured directly: the two transforms the budget
 * adds to the transport (`withPermit`, `withBudgetFeedback`) over a platform client that answers
 * at once with a fixed response (headers included, no body read), against the same client without
 * them, alternating in one process. The base costs little, so the difference is the budget's, not
 * the network's noise: the budget's share of a call is this difference over the library's CPU per
 * call measured by the overhead benchmark in the same run.
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import { withBudgetFeedback, withPermit } from "../../src/http/budget.ts"
import { makeMemoryRateLimitBudget } from "../../src/rate-limit/service.ts"
import { median } from "./stats.ts"
import { roomyBudget } from "./peers.ts"

/** The cost of the budget per call, in ms of CPU, over `calls` calls a round at concurrency 32. */
export const measureBudgetCost = async (options: {
  readonly rounds: number
  readonly calls: number
}): Promise<{ readonly bareMs: number; readonly withBudgetMs: number; readonly costMs: number }> => {
  const budget = await Effect.runPromise(makeMemoryRateLimitBudget(roomyBudget))
  const request = HttpClientRequest.get("http://127.0.0.1:9/api/catalog-category-bulk-update-jobs/1")
  // What Klaviyo sends with every answer: the steady window's RateLimit-* headers.
  const answer = new Response(null, {
    status: 200,
    headers: { "ratelimit-limit": "350", "ratelimit-remaining": "349", "ratelimit-reset": "30" },
  })
  const platform = HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, answer)))
  const budgeted = platform.pipe(withPermit(budget, "jobs-read"), withBudgetFeedback(budget, "jobs-read"))
  type Client = {
    readonly execute: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<unknown, unknown>
  }
  const round = (client: Client) =>
    Effect.forEach(Array.from({ length: options.calls }), () => client.execute(request), {
      concurrency: 32,
      discard: true,
    }).pipe(
      // As the library's transport does: no platform span, so that the base costs what it costs there.
      Effect.provideService(HttpClient.TracerDisabledWhen, () => true),
    )
  const cpu = (): number => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  const timed = async (client: Client): Promise<number> => {
    const before = cpu()
    await Effect.runPromise(round(client))
    return (cpu() - before) / options.calls
  }
  await timed(platform) // warm up
  await timed(budgeted)
  const bare: Array<number> = []
  const withBudget: Array<number> = []
  for (let i = 0; i < options.rounds; i++) {
    if (i % 2 === 0) {
      bare.push(await timed(platform))
      withBudget.push(await timed(budgeted))
    } else {
      withBudget.push(await timed(budgeted))
      bare.push(await timed(platform))
    }
  }
  return { bareMs: median(bare), withBudgetMs: median(withBudget), costMs: median(withBudget) - median(bare) }
}
