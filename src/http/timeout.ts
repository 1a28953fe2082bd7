/**
 * The per-attempt timeout: from the first send to the last byte of the body. Waits for the
 * rate-limit budget before the first send are not part of it (a call queued behind the budget
 * does not time out for waiting its turn); the hops of a redirect and the reading of the body
 * are. Each run of the attempt (each retry) starts its own clock.
 *
 * Two transforms make it: {@link withAttemptTimeout}, above the redirects and the body cap, runs
 * the attempt on a child fiber and interrupts it when a timer fires; {@link startsTheClock}, below
 * the budget, starts that timer when the first hop goes out. `Effect.timeoutOrElse` is not used:
 * its clock starts with the effect, which here begins with waiting for the budget (and, like
 * `Effect.raceFirst`, it forks a fiber for the timer too). Nor `HttpClient.tapRequest` to start
 * the clock: it runs while the request is prepared, before every transform (so before the wait).
 *
 * The timer is a plain `setTimeout` when the fiber's `Clock` is Effect's own (one child fiber per
 * attempt, no fiber for the timer); under another clock (a `TestClock`) it is that clock's
 * `sleep`, run on a fiber of its own, so that tests move the time.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { TransportError } from "../errors.ts"
import { postOutcome } from "./failure.ts"
import { lazy } from "../internal/lazy.ts"

/** Starts the timer of the attempt running on this fiber (called when its first hop goes out). */
interface AttemptClock {
  readonly start: () => void
}

const AttemptSent: Context.Reference<AttemptClock | undefined> = /* @__PURE__ */ Context.Reference<
  AttemptClock | undefined
>(
  "@effect-klaviyo/catalog-jobs/AttemptSent",
  { defaultValue: () => undefined },
)

/**
 * Starts the attempt's clock when a hop goes out (a transform; placed right above the client that
 * sends, below the budget). Only the first hop's start counts.
 */
export const startsTheClock = <E, R>(
  self: HttpClient.HttpClient.With<E, R>,
): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) =>
    Effect.withFiber((fiber) => {
      fiber.getRef(AttemptSent)?.start()
      return effect
    }))

/** The error of an attempt past its timeout, named by the request that started it. */
const timedOut = (request: HttpClientRequest.HttpClientRequest, timeout: Duration.Duration): TransportError =>
  new TransportError({
    kind: "timeout",
    method: request.method,
    url: request.url,
    detail: `no complete answer within the per-attempt timeout of ${Duration.format(timeout)}`,
    // The clock starts when the request goes out: a POST past it may have been acted on.
    ...postOutcome(request.method, true),
  })

/** Effect's own clock (the default of `Clock.Clock`): its `sleep` is a `setTimeout`. */
const liveClock = /* @__PURE__ */ lazy(() => Context.get(Context.empty(), Clock.Clock))
const isLive = (clock: Clock.Clock): boolean => clock === liveClock()

/** Calls `fire` after `timeout` on `clock`; returns what cancels it. */
const startTimer = (clock: Clock.Clock, timeout: Duration.Duration, fire: () => void): () => void => {
  if (isLive(clock)) {
    const handle = setTimeout(fire, Duration.toMillis(timeout))
    return () => clearTimeout(handle)
  }
  const sleeper = Effect.runFork(clock.sleep(timeout))
  sleeper.addObserver((exit) => {
    if (exit._tag === "Success") fire()
  })
  return () => sleeper.interruptUnsafe()
}

/** One run of an attempt under its timeout: the attempt on a child fiber, the timer beside it. */
const runTimed = <E, R>(
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, E, R>,
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.Duration,
): Effect.Effect<HttpClientResponse.HttpClientResponse, E | TransportError, R> =>
  Effect.withFiber((parent) => {
    const clock = parent.getRef(Clock.Clock)
    let cancel: (() => void) | undefined
    let expired = false
    let onExpiry: (() => void) | undefined
    const sent: AttemptClock = {
      start: () => {
        if (cancel !== undefined) return
        cancel = startTimer(clock, timeout, () => {
          expired = true
          onExpiry?.()
        })
      },
    }
    return Effect.flatMap(
      Effect.forkChild(Effect.provideService(effect, AttemptSent, sent), { startImmediately: true }),
      (child) =>
        Effect.callback<HttpClientResponse.HttpClientResponse, E | TransportError>((resume) => {
          let settled = false
          const expire = () => {
            if (settled) return
            settled = true
            resume(Effect.andThen(Fiber.interrupt(child), Effect.fail(timedOut(request, timeout))))
          }
          child.addObserver((exit) => {
            if (settled) return
            settled = true
            cancel?.()
            resume(exit)
          })
          if (expired) expire()
          else onExpiry = expire
          // Interrupted from outside: the timer stops, the attempt (and its request) is aborted.
          return Effect.suspend(() => {
            settled = true
            cancel?.()
            return Fiber.interrupt(child)
          })
        }),
    )
  })

/**
 * Fails an attempt with a `TransportError` of kind `timeout` when its answer is not complete
 * `timeout` after its first hop went out (a transform; the clock is started by
 * {@link startsTheClock} further down). The attempt is interrupted: its request is aborted and
 * its connection let go.
 */
export const withAttemptTimeout =
  (timeout: Duration.Duration) =>
  <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | TransportError, R> =>
    // `transform` calls this for each run of the attempt: each run gets a clock of its own.
    HttpClient.transform(self, (effect, request) => runTimed(effect, request, timeout))
