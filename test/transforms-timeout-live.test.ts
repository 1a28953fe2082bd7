/**
 * The per-attempt timeout under Effect's own clock (a plain timer, no `TestClock`): an attempt
 * past it fails as a timeout with its request aborted, an answer in time goes through, and an
 * attempt interrupted from outside is aborted too.
 */
import { Duration, Effect, Exit, Fiber } from "effect"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { describe, expect, it } from "vitest"
import { withTransportErrors } from "../src/http/failure.ts"
import { startsTheClock, withAttemptTimeout } from "../src/http/timeout.ts"

const origin = "https://a.example"

/** A platform client that answers after `answerMillis` (never when undefined); records its signals. */
const client = (answerMillis: number | undefined) => {
  const signals: Array<AbortSignal> = []
  const platform = HttpClient.make((request, _url, signal) => {
    signals.push(signal)
    return Effect.callback<HttpClientResponse.HttpClientResponse>((resume) => {
      if (answerMillis === undefined) return
      const handle = setTimeout(
        () =>
          resume(Effect.succeed(HttpClientResponse.fromWeb(request, new Response("{}", { status: 200 })))),
        answerMillis,
      )
      return Effect.sync(() => clearTimeout(handle))
    })
  })
  return {
    signals,
    client: platform.pipe(withTransportErrors, startsTheClock, withAttemptTimeout(Duration.millis(40))),
  }
}

describe("withAttemptTimeout under the live clock", () => {
  it("fails an attempt past it with a timeout TransportError and aborts its request", async () => {
    const { client: timed, signals } = client(undefined)
    const started = Date.now()
    const exit = await Effect.runPromiseExit(timed.execute(HttpClientRequest.get(`${origin}/a`)))
    expect(Date.now() - started).toBeGreaterThanOrEqual(35)
    expect(exit).toMatchObject({
      _tag: "Failure",
      cause: {
        reasons: [{
          _tag: "Fail",
          error: {
            _tag: "TransportError",
            kind: "timeout",
            method: "GET",
            url: `${origin}/a`,
            detail: "no complete answer within the per-attempt timeout of 40ms",
          },
        }],
      },
    })
    expect(signals.map((signal) => signal.aborted)).toEqual([true])
  })

  it("lets an answer in time through, its request not aborted", async () => {
    const { client: timed, signals } = client(5)
    const text = await Effect.runPromise(
      Effect.flatMap(timed.execute(HttpClientRequest.get(`${origin}/a`)), (response) => response.text),
    )
    expect([text, signals.map((signal) => signal.aborted)]).toEqual(["{}", [false]])
  })

  it("aborts the request of an attempt interrupted from outside, before its timeout", async () => {
    const { client: timed, signals } = client(undefined)
    const exit = await Effect.runPromise(
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(timed.execute(HttpClientRequest.get(`${origin}/a`)))
        yield* Effect.sleep(5)
        yield* Fiber.interrupt(fiber)
        return yield* Fiber.await(fiber)
      }),
    )
    expect([Exit.hasInterrupts(exit), signals.map((signal) => signal.aborted)]).toEqual([true, [true]])
  })
})
