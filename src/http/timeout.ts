/**
 * The per-attempt timeout: from the first send to the last byte of the body. Waits for the
 * rate-limit budget before the first send are not part of it (a call queued behind the budget
 * does not time out for waiting its turn); the hops of a redirect and the reading of the body
 * are. Each run of the attempt (each retry) starts its own clock.
 *
 * Two transforms make it: {@link withAttemptTimeout}, above the redirects and the body cap, races
 * the whole attempt against a clock that {@link startsTheClock}, below the budget, starts when the
 * first hop goes out. `Effect.timeoutOrElse` is not used as is: its clock starts with the effect,
 * which here begins with waiting for the budget. Nor `HttpClient.tapRequest` to start the clock:
 * it runs while the request is prepared, before every transform (so before the budget's wait).
 *
 * @internal
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import { TransportError } from "../errors.ts"
import { postOutcome } from "./failure.ts"

/** Done when the first hop of the attempt running on this fiber goes out. */
const AttemptSent: Context.Reference<Deferred.Deferred<void> | undefined> = Context.Reference<
  Deferred.Deferred<void> | undefined
>("@effect-klaviyo/catalog-jobs/AttemptSent", { defaultValue: () => undefined })

/**
 * Starts the attempt's clock when a hop goes out (a transform; placed right above the client that
 * sends, below the budget). Only the first hop's start counts.
 */
export const startsTheClock = <E, R>(
  self: HttpClient.HttpClient.With<E, R>,
): HttpClient.HttpClient.With<E, R> =>
  HttpClient.transform(self, (effect) =>
    Effect.withFiber((fiber) => {
      const sent = fiber.getRef(AttemptSent)
      if (sent !== undefined) Deferred.doneUnsafe(sent, Exit.void)
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
    HttpClient.transform(self, (effect, request) => {
      const sent = Deferred.makeUnsafe<void>()
      return Effect.raceFirst(
        Effect.provideService(effect, AttemptSent, sent),
        Deferred.await(sent).pipe(
          Effect.andThen(Effect.sleep(timeout)),
          Effect.flatMap(() => Effect.fail(timedOut(request, timeout))),
        ),
      )
    })
