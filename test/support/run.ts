/** Helpers to run the library against a test server. */
import { Effect, Exit, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { KlaviyoClient, type KlaviyoClientBaseOptions, SIMULATED_API_KEY } from "../../mod.ts"
import type { TestServer } from "./server.ts"

/** The client layer pointed at the server, over fetch. */
export const clientLayer = (
  server: TestServer,
  options: KlaviyoClientBaseOptions & { readonly apiKey?: string; readonly accessToken?: string } = {},
): Layer.Layer<KlaviyoClient, unknown> => {
  const { accessToken, apiKey, ...rest } = options
  const credential = accessToken !== undefined ? { accessToken } : { apiKey: apiKey ?? SIMULATED_API_KEY }
  return KlaviyoClient.layer({ baseUrl: server.url, ...rest, ...credential }).pipe(
    Layer.provide(FetchHttpClient.layer),
  )
}

/** Runs an effect against the server and returns its exit. */
export const runExit = <A, E>(
  effect: Effect.Effect<A, E, KlaviyoClient>,
  server: TestServer,
  options?: Parameters<typeof clientLayer>[1],
): Promise<Exit.Exit<A, unknown>> =>
  Effect.runPromiseExit(effect.pipe(Effect.provide(clientLayer(server, options))))

/** Runs an effect against the server and returns its value (the test fails on an error). */
export const run = <A, E>(
  effect: Effect.Effect<A, E, KlaviyoClient>,
  server: TestServer,
  options?: Parameters<typeof clientLayer>[1],
): Promise<A> => Effect.runPromise(effect.pipe(Effect.provide(clientLayer(server, options))))

/** Runs an effect that must fail, and returns its error. */
export const runError = async <A, E>(
  effect: Effect.Effect<A, E, KlaviyoClient>,
  server: TestServer,
  options?: Parameters<typeof clientLayer>[1],
): Promise<E & { readonly _tag: string; readonly message: string }> => {
  const exit = await runExit(effect, server, options)
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
  if (failure === undefined) throw new Error(`expected a typed failure, got ${String(exit.cause)}`)
  return failure.error as E & { readonly _tag: string; readonly message: string }
}

/** Which runtime runs the tests. */
export const runtimeName = (): "deno" | "bun" | "node" =>
  "Deno" in globalThis ? "deno" : "Bun" in globalThis ? "bun" : "node"
