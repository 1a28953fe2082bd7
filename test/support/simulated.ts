/** Helpers to run the library against the simulator's layer, under `TestClock` from a fixed date. */
import { Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import {
  KlaviyoClient,
  type KlaviyoClientBaseOptions,
  type KlaviyoModel,
  KlaviyoSimulator,
  SIMULATED_API_KEY,
  type SimulatorResponse,
} from "../../mod.ts"

/** When every simulated test starts: 2026-12-01T10:00:00Z. */
export const START: number = Date.parse("2026-12-01T10:00:00Z")

/** The id of the `n`th job a model creates at {@link START}: its time, then `n`, in Crockford's base 32. */
export const idAtStart = (n: number): string => {
  let tail = ""
  for (let rest = n; rest > 0; rest = Math.floor(rest / 32)) {
    tail = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[rest % 32] + tail
  }
  return `01M8RGR080${tail.padStart(16, "0")}`
}

/** Runs `effect` against `model` through its layer, the `TestClock` set to {@link START}. */
export const simulate = <A, E>(
  model: KlaviyoModel,
  effect: Effect.Effect<A, E, KlaviyoClient>,
  options: Partial<KlaviyoClientBaseOptions> = {},
): Promise<A> =>
  Effect.gen(function* () {
    yield* TestClock.setTime(START)
    return yield* effect
  }).pipe(
    Effect.provide(
      KlaviyoClient.layer({ apiKey: SIMULATED_API_KEY, retry: false, rateLimit: false, ...options }).pipe(
        Layer.provide(KlaviyoSimulator.layer(model)),
      ),
    ),
    Effect.provide(TestClock.layer()),
    Effect.runPromise,
  )

/** One request straight to the model at `START + offset`, with the demo key and the latest revision. */
export const ask = (
  model: KlaviyoModel,
  method: "GET" | "POST",
  target: string,
  options: {
    readonly body?: unknown
    readonly offset?: number
    readonly headers?: Readonly<Record<string, string | undefined>>
  } = {},
): SimulatorResponse & { readonly json: () => { readonly [key: string]: unknown } } => {
  const answer = model.handle({
    method,
    url: `https://a.klaviyo.com${target}`,
    headers: {
      authorization: `Klaviyo-API-Key ${SIMULATED_API_KEY}`,
      revision: "2026-07-15",
      ...options.headers,
    },
    body: options.body === undefined
      ? undefined
      : typeof options.body === "string"
      ? options.body
      : JSON.stringify(options.body),
  }, START + (options.offset ?? 0))
  return { ...answer, json: () => JSON.parse(answer.body) }
}

/** The JSON:API body of a POST of `records` (each a resource of `resource`) for `job`. */
export const postBody = (
  job: string,
  collection: string,
  resources: ReadonlyArray<unknown>,
): { readonly data: unknown } => ({
  data: { type: job, attributes: { [collection]: { data: resources } } },
})
