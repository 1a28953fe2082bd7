/**
 * The per-attempt timeout on its own, under `TestClock`: from the first send to the last byte of
 * the body, waits for the budget before the first send left out, every hop counted.
 */
import { Duration, Effect, Schedule } from "effect"
import { type HttpClient, HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { withBodyCap } from "../src/http/body.ts"
import { withPermit } from "../src/http/budget.ts"
import { withTransportErrors } from "../src/http/failure.ts"
import { withSameOriginRedirects } from "../src/http/redirects.ts"
import { startsTheClock, withAttemptTimeout } from "../src/http/timeout.ts"
import { drive, failureOf, testNow } from "./support/clock.ts"
import { type Answer, recordingBudget, scriptedClient, watchedStream } from "./support/scripted.ts"

const origin = "https://a.example"

/** The transport's timing stack over a scripted client; the budget waits `permitMillis` per hop. */
const timed = (answers: ReadonlyArray<Answer>, permitMillis = 0) => {
  const { client, hops } = scriptedClient(answers)
  const { budget, record } = recordingBudget({ permit: Effect.sleep(permitMillis) })
  return {
    client: client.pipe(
      withTransportErrors,
      startsTheClock,
      withPermit(budget, "jobs-read"),
      withSameOriginRedirects(origin, (text) => text),
      withBodyCap(1000),
      withAttemptTimeout(Duration.seconds(1)),
    ),
    hops,
    record,
  }
}

/** Runs `effect` under a test clock; returns its exit and the clock's time when it ended. */
const clocked = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const exit = yield* drive(effect, { step: "10 millis" })
      return { exit, at: yield* testNow }
    }).pipe(Effect.provide(TestClock.layer())),
  )

const execute = <E>(client: HttpClient.HttpClient.With<E>, request = HttpClientRequest.get(`${origin}/a`)) =>
  client.execute(request)

describe("withAttemptTimeout", () => {
  it("runs from the first send: the budget's wait before it is not counted", async () => {
    const { client, hops } = timed([{ hang: true }], 10_000)
    const { at, exit } = await clocked(execute(client))
    expect(hops.map((hop) => hop.at)).toEqual([10_000])
    expect(at).toBe(11_000)
    expect(failureOf(exit)).toMatchObject({
      _tag: "TransportError",
      kind: "timeout",
      method: "GET",
      url: `${origin}/a`,
      detail: "no complete answer within the per-attempt timeout of 1s",
    })
    expect(failureOf(exit)).not.toHaveProperty("jobMayExist")
  })

  it("counts every hop of a redirect from the first send, and names the request that started them", async () => {
    const { client, hops } = timed([
      { status: 307, headers: { location: "/b" }, delayMillis: 600 },
      { status: 200, delayMillis: 600 },
    ])
    const { at, exit } = await clocked(execute(client))
    expect(hops.map((hop) => [hop.url, hop.at])).toEqual([[`${origin}/a`, 0], [`${origin}/b`, 600]])
    expect(at).toBe(1000)
    expect(failureOf(exit)).toMatchObject({ kind: "timeout", url: `${origin}/a` })
  })

  it("counts the budget's wait before a later hop (the attempt was sent)", async () => {
    const { client, hops } = timed([{ status: 307, headers: { location: "/b" } }, { status: 200 }], 1200)
    const { at, exit } = await clocked(execute(client))
    // First sent at 1200 ms; the second hop's permit would come at 2400 ms: the attempt ends while
    // it waits, 1 s after the first send.
    expect(hops.map((hop) => hop.at)).toEqual([1200])
    expect(at).toBe(2200)
    expect(failureOf(exit)).toMatchObject({ kind: "timeout" })
  })

  it("covers the body: an answer whose body never ends times out, and its stream is let go", async () => {
    const body = watchedStream(["{"], { end: false })
    const { client } = timed([{ status: 200, body: body.stream }])
    const { at, exit } = await clocked(execute(client))
    expect([at, failureOf(exit)?._tag, body.state.cancelled]).toEqual([1000, "TransportError", true])
  })

  it("says that a POST past it may have created the job", async () => {
    const { client } = timed([{ hang: true }])
    const { exit } = await clocked(execute(client, HttpClientRequest.post(`${origin}/jobs`)))
    expect(failureOf(exit)).toMatchObject({ kind: "timeout", method: "POST", jobMayExist: true })
  })

  it("lets an answer complete in time through, and each run (a retry) starts its own clock", async () => {
    const { client, hops } = timed([{ hang: true }, { status: 200, body: "{}", delayMillis: 900 }], 100)
    const { at, exit } = await clocked(
      Effect.retry(execute(client), Schedule.recurs(1)).pipe(Effect.flatMap((response) => response.text)),
    )
    expect(exit).toMatchObject({ _tag: "Success", value: "{}" })
    // First run: sent at 100, timed out at 1100; the retry waits 100 for its permit, then 900.
    expect(hops.map((hop) => hop.at)).toEqual([100, 1200])
    expect(at).toBe(2100)
  })
})
