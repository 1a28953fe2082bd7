/** Driving effects under `TestClock` from the outside. */
import { type Duration, Effect, Exit, Fiber } from "effect"
import { TestClock } from "effect/testing"

/**
 * Runs `effect` in a fiber and moves the test clock in `step`s until it ends (at most
 * `maxSteps` of them), so that its sleeps and timeouts pass without real waiting. Returns its exit.
 */
export const drive = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: { readonly step?: Duration.Input; readonly maxSteps?: number } = {},
): Effect.Effect<Exit.Exit<A, E>, never, R> =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.exit(effect))
    let exit = fiber.pollUnsafe()
    for (let i = 0; i < (options.maxSteps ?? 100_000) && exit === undefined; i++) {
      yield* TestClock.adjust(options.step ?? "5 millis")
      exit = fiber.pollUnsafe()
    }
    return yield* Fiber.join(fiber)
  })

/** The clock's current time, in milliseconds. */
export const testNow: Effect.Effect<number> = TestClock.testClockWith((clock) =>
  Effect.succeed(clock.currentTimeMillisUnsafe())
)

/** The typed error a failed exit holds, if any. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E | undefined =>
  Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail" ? exit.cause.reasons[0].error : undefined
