/**
 * Spans only when someone records them: with no tracer installed (the `Tracer` reference is
 * Effect's `nativeTracer`, which exports nothing) or tracing turned off, a span is not built at
 * all, and the fiber's context is left as it is.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as References from "effect/References"
import * as Tracer from "effect/Tracer"

/** Whether spans made on `fiber` are recorded: a tracer other than the native one, and tracing on. */
export const isTraced = <A, E>(fiber: Fiber.Fiber<A, E>): boolean =>
  fiber.getRef(Tracer.Tracer) !== Tracer.nativeTracer && fiber.getRef(References.TracerEnabled)

/**
 * `Effect.withSpan(name, options)` (no stack trace captured) when the fiber {@link isTraced};
 * `options` given as a function are only made then.
 */
export const withSpanIfTraced = (
  name: string,
  options?: Tracer.SpanOptionsNoTrace | (() => Tracer.SpanOptionsNoTrace),
): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> => {
  const fixed: Tracer.SpanOptions | undefined = typeof options === "function"
    ? undefined
    : { ...options, captureStackTrace: false }
  const made = typeof options === "function" ? options : undefined
  return (effect) =>
    Effect.withFiber((fiber) =>
      isTraced(fiber)
        ? Effect.withSpan(effect, name, fixed ?? { ...made?.(), captureStackTrace: false })
        : effect
    )
}
