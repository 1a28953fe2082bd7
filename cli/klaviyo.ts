/**
 * Which Klaviyo the command-line program talks to: the real API when `KLAVIYO_API_KEY` (or
 * `KLAVIYO_ACCESS_TOKEN`) is set, the library's simulated Klaviyo otherwise, with a few demo jobs
 * that move while you watch them.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Layer from "effect/Layer"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import {
  KlaviyoClient,
  type KlaviyoClientOptions,
  type KlaviyoError,
  KlaviyoSimulator,
  type KlaviyoSimulatorOptions,
  SIMULATED_API_KEY,
  type SimulatedCategory,
  type SimulatedJob,
} from "../mod.ts"
import type { ConfigError } from "effect/Config"

/** The environment the program reads (a plain record, so that tests can pass their own). */
export type Env = Readonly<Record<string, string | undefined>>

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]
  return value === undefined || value === "" ? undefined : value
}

/** The demo jobs of the simulated Klaviyo, besides the library's own `SIMULATED_JOB_ID`. */
export const DEMO_JOBS = {
  /** Queued for a second, then 240 category updates in about 4 s, none failing (`npm start`). */
  complete: "demo-complete",
  /** 120 updates in about 3 s, 3 of which fail. */
  failures: "demo-failures",
  /** Cancelled after 50 of 120 updates. */
  cancelled: "demo-cancelled",
} as const

const demoCategories = (prefix: string, count: number): ReadonlyArray<SimulatedCategory> =>
  Array.from({ length: count }, (_, index) => {
    const externalId = `${prefix}-${`${index + 1}`.padStart(3, "0")}`
    return {
      id: `$custom:::$default:::${externalId}`,
      external_id: externalId,
      name: `Demo category ${index + 1}`,
      updated: new Date("2026-11-20T09:30:00Z"),
    }
  })

/**
 * The simulated jobs, created at `now`. `speed` divides every duration (the tests set the
 * undocumented `KLAVIYO_SIMULATOR_SPEED` to finish the demo jobs in about a second).
 */
export const simulatedModel = (now: Date, speed: number): KlaviyoSimulatorOptions => {
  const defaults = KlaviyoSimulator.model()
  const groups = [
    { id: DEMO_JOBS.complete, categories: demoCategories("DEMO", 240), perSecond: 60 },
    {
      id: DEMO_JOBS.failures,
      categories: demoCategories("FAIL", 120),
      perSecond: 40,
      failures: [17, 58, 93],
    },
    { id: DEMO_JOBS.cancelled, categories: demoCategories("STOP", 120), perSecond: 40, cancelAfter: 50 },
  ]
  const jobs: ReadonlyArray<SimulatedJob> = groups.map((group) => ({
    id: group.id,
    status: "queued",
    created_at: now,
    total_count: group.categories.length,
    categories: group.categories.map((category) => category.id),
    progress: {
      queuedMillis: 1_000 / speed,
      perSecond: group.perSecond * speed,
      ...(group.failures === undefined ? {} : { failures: group.failures }),
      ...(group.cancelAfter === undefined ? {} : { cancelAfter: group.cancelAfter }),
    },
  }))
  return {
    // The jobs `write` creates: a second queued, then 50 records a second (each job of 100 in about 3 s).
    processing: { queuedMillis: 1_000 / speed, perSecond: 50 * speed },
    jobs: [...defaults.jobs.values(), ...jobs],
    categories: [...defaults.categories.values(), ...groups.flatMap((group) => group.categories)],
    items: [...defaults.items.values()],
    variants: [...defaults.variants.values()],
  }
}

/** Where the program's requests go, and how to say so. */
export interface Target {
  /** One line for stderr: which Klaviyo, and why. */
  readonly notice: string
  /** The client, ready to use. */
  readonly layer: Layer.Layer<KlaviyoClient, KlaviyoError | ConfigError>
  /** Whether it is the built-in simulated Klaviyo (in this process: its jobs end with it). */
  readonly simulated: boolean
  /** The bounds of the watch's polling schedule (shorter against the simulator). */
  readonly interval: { readonly min: Duration.Duration; readonly max: Duration.Duration } | undefined
}

/** Chooses the real API or the simulated one from the environment. */
export const target = (env: Env, now: Date): Target => {
  const apiKey = read(env, "KLAVIYO_API_KEY") !== undefined
  const live = apiKey || read(env, "KLAVIYO_ACCESS_TOKEN") !== undefined
  if (live) {
    return {
      notice: `Asking Klaviyo at ${read(env, "KLAVIYO_BASE_URL") ?? "https://a.klaviyo.com"} (${
        apiKey ? "KLAVIYO_API_KEY" : "KLAVIYO_ACCESS_TOKEN"
      } is set).`,
      layer: KlaviyoClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer)),
      simulated: false,
      interval: undefined,
    }
  }
  const speed = Number(read(env, "KLAVIYO_SIMULATOR_SPEED") ?? "1")
  const factor = Number.isFinite(speed) && speed > 0 ? speed : 1
  const revision = read(env, "KLAVIYO_REVISION")
  const options: KlaviyoClientOptions = revision === undefined
    ? { apiKey: SIMULATED_API_KEY }
    : { apiKey: SIMULATED_API_KEY, revision }
  return {
    notice: "No KLAVIYO_API_KEY set: asking the built-in simulated Klaviyo.",
    layer: KlaviyoClient.layer(options).pipe(
      Layer.provide(KlaviyoSimulator.layer(simulatedModel(now, factor))),
    ),
    simulated: true,
    interval: { min: Duration.millis(250 / factor), max: Duration.seconds(1) },
  }
}
