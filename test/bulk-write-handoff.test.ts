/**
 * The plan and the posting take turns: the plan is work for the CPU (each record checked,
 * encoded, fingerprinted), and a job handed to its group is posted before the plan goes on to
 * fill every slot `maxInFlight` leaves it. Counted: how many records the write had read from
 * planned when its first POST was sent.
 */
import { Effect, Layer } from "effect"
import { HttpClient } from "effect/http"
import { describe, expect, it } from "vitest"
import { bulkWrite, KlaviyoClient, KlaviyoSimulator, SIMULATED_API_KEY } from "../mod.ts"

describe("bulkWrite's first POST", () => {
  it("is sent once its job is planned, not after the jobs of every free slot (20 here: 2,000 records)", async () => {
    // The records the plan has looked at (a source is read ahead in chunks of thousands: what
    // costs is planning them).
    let planned = 0
    let plannedAtFirstPost: number | undefined
    const records = Array.from({ length: 3_000 }, (_, i) => ({
      get external_id() {
        planned = Math.max(planned, i + 1)
        return `HANDOFF-${i}`
      },
      name: `Category ${i}`,
    }))
    const model = KlaviyoSimulator.model({ jobs: [], processing: { queuedMillis: 0, perSecond: 1_000_000 } })
    const counted = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(
        HttpClient.HttpClient,
        HttpClient.tapRequest((request) =>
          Effect.sync(() => {
            if (request.method === "POST" && plannedAtFirstPost === undefined) plannedAtFirstPost = planned
          })
        ),
      ),
    ).pipe(Layer.provide(KlaviyoSimulator.layer(model)))
    const report = await Effect.runPromise(
      bulkWrite({ resource: "catalog-category", operation: "create" }, records, {
        maxInFlight: 20,
        pollInterval: "5 millis",
      }).pipe(
        Effect.provide(KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, rateLimit: false })),
        Effect.provide(counted),
      ),
    )
    expect([report.records, report.succeeded, report.jobs]).toEqual([3_000, 3_000, 30])
    // The first job and the read-ahead of a few more (400 records on Node, Deno and Bun today);
    // without the turns, the 20 jobs of the free slots and one more (2,100).
    expect(plannedAtFirstPost).toBeDefined()
    expect(plannedAtFirstPost!).toBeLessThanOrEqual(1_000)
  })
})
