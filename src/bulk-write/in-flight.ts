/**
 * The cap on jobs in progress, shared by every process of a fleet: `InFlightCap`. A slot is a
 * lease in a table per account (in memory, or in Redis beside the rate-limit budget's keys):
 * taken before a job's POST, renewed while its watch runs, released when it ends. A process that
 * dies stops renewing, and its slots come back once their lease runs out.
 *
 * Waiting for a slot is one poll of the store per process at a time (the others queue behind it
 * in the process), every `pollInterval` with jitter, sooner when the earliest lease expires, and
 * at once when a slot of the same process is released.
 *
 * @module
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as RateLimiter from "effect/persistence/RateLimiter"
import type * as Redis from "effect/persistence/Redis"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Semaphore from "effect/Semaphore"
import { InvalidRequest } from "../errors.ts"
import { makeRedisSlotStore } from "../internal/in-flight-redis.ts"
import { makeMemorySlotStore, type SlotStore } from "../internal/in-flight-store.ts"
import { budgetScope } from "../rate-limit/budget.ts"
import { lazy } from "../internal/lazy.ts"

/**
 * The options of {@link InFlightCap}'s layers.
 *
 * @example
 * ```ts
 * import type { InFlightCapOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: InFlightCapOptions = { account: "acme", lease: "30 seconds", pollInterval: "500 millis" }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface InFlightCapOptions {
  /**
   * The Klaviyo account the cap is for: caps with the same account (and `key`) share their slots,
   * as budgets with the same account share their limits.
   */
  readonly account?: string | undefined
  /** The API key or access token whose hash scopes the cap when no `account` is given (never stored). */
  readonly credential?: string | undefined
  /**
   * The store key prefix.
   * @default "klaviyo:catalog-bulk-jobs"
   */
  readonly key?: string | undefined
  /**
   * How long a slot outlives its last renewal (a live process renews every third of it): the
   * time a crashed process's slots take to come back.
   * @default "30 seconds"
   */
  readonly lease?: Duration.Input | undefined
  /**
   * How often a waiting process asks the store again (jittered between half and all of it).
   * @default "500 millis"
   */
  readonly pollInterval?: Duration.Input | undefined
  /**
   * How long a store operation may take before it counts as failed (Redis's default: 5 seconds;
   * none in memory).
   */
  readonly storeTimeout?: Duration.Input | undefined
}

/**
 * What the {@link InFlightCap} service does.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { InFlightCap } from "@effect-klaviyo/catalog-jobs"
 *
 * // Hold one of 10 slots of the fleet while the work runs.
 * const guarded = Effect.flatMap(Effect.service(InFlightCap), (cap) =>
 *   Effect.scoped(Effect.andThen(cap.acquire(10), Effect.log("one job in progress"))))
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface InFlightCapShape {
  /**
   * Takes one of `limit` slots (waiting while every process together holds `limit`), held until
   * the scope closes, its lease renewed meanwhile. Fails when the store does not answer.
   */
  readonly acquire: (limit: number) => Effect.Effect<void, RateLimiter.RateLimiterError, Scope.Scope>
  /** The slots every process holds now. */
  readonly held: Effect.Effect<number, RateLimiter.RateLimiterError>
}

/** The options, checked. */
interface Resolved {
  readonly key: string
  readonly leaseMillis: number
  readonly pollMillis: number
  readonly storeTimeout: Duration.Duration | undefined
}

const positive = (input: Duration.Input | undefined, fallback: Duration.Input, name: string) => {
  const duration = Option.getOrUndefined(Duration.fromInput(input ?? fallback))
  return duration === undefined || !Duration.isFinite(duration) || Duration.toMillis(duration) < 1
    ? new InvalidRequest({
      input: "maxInFlight",
      reason: `inFlightCap.${name} must be a finite duration of 1 ms or more`,
    })
    : duration
}

const resolve = (
  options: InFlightCapOptions,
  defaultTimeout: Duration.Input | undefined,
): Effect.Effect<Resolved, InvalidRequest> =>
  Effect.gen(function* () {
    const lease = positive(options.lease, "30 seconds", "lease")
    if (lease instanceof InvalidRequest) return yield* lease
    const poll = positive(options.pollInterval, "500 millis", "pollInterval")
    if (poll instanceof InvalidRequest) return yield* poll
    const timeoutInput = options.storeTimeout ?? defaultTimeout
    const timeout = timeoutInput === undefined
      ? undefined
      : positive(timeoutInput, timeoutInput, "storeTimeout")
    if (timeout instanceof InvalidRequest) return yield* timeout
    const scope = yield* budgetScope({ account: options.account, credential: options.credential })
    return {
      key: `${options.key ?? "klaviyo:catalog-bulk-jobs"}:in-flight:${scope}`,
      leaseMillis: Duration.toMillis(lease),
      pollMillis: Duration.toMillis(poll),
      storeTimeout: timeout,
    }
  })

/** Builds a cap over a lease table. Each cap is one holder (a process) with its own members. */
export const makeInFlightCap = (store: SlotStore, options: Resolved): InFlightCapShape => {
  const holder = globalThis.crypto.randomUUID()
  let taken = 0
  const timed = <A>(effect: Effect.Effect<A, RateLimiter.RateLimiterError>) =>
    options.storeTimeout === undefined ? effect : Effect.timeoutOrElse(effect, {
      duration: options.storeTimeout,
      orElse: () => Effect.fail(noAnswer(options.storeTimeout!)),
    })
  // One poller at a time in this process; a release here wakes it at once.
  const turn = Semaphore.makeUnsafe(1)
  let released = Deferred.makeUnsafe<void>()
  const wake = Effect.sync(() => {
    const woken = released
    released = Deferred.makeUnsafe()
    Deferred.doneUnsafe(woken, Exit.void)
  })
  const poll = (member: string, limit: number): Effect.Effect<void, RateLimiter.RateLimiterError> =>
    Effect.gen(function* () {
      while (true) {
        const signal = released
        const answer = yield* timed(store.take(options.key, member, limit, options.leaseMillis))
        if (answer.taken) return
        const jittered = yield* Random.nextBetween(options.pollMillis / 2, options.pollMillis)
        const delay = Math.max(1, Math.ceil(Math.min(jittered, answer.nextExpiryMillis + 1)))
        // Interruptible only here: nothing is held while it waits.
        yield* Effect.interruptible(
          Effect.raceFirst(Deferred.await(signal), Effect.sleep(Duration.millis(delay))),
        )
      }
    })
  const renewEvery = Duration.millis(Math.max(1, Math.floor(options.leaseMillis / 3)))
  const renewals = (member: string) =>
    timed(store.renew(options.key, member, options.leaseMillis)).pipe(
      Effect.ignore,
      Effect.delay(renewEvery),
      Effect.forever,
    )
  const release = (member: string) =>
    timed(store.release(options.key, member)).pipe(
      Effect.retry({ times: 2 }),
      // A release that never arrives leaves the lease to expire.
      Effect.ignore,
      Effect.andThen(wake),
    )
  return {
    acquire: (limit) =>
      Effect.gen(function* () {
        const member = `${holder}:${++taken}`
        yield* Effect.acquireRelease(turn.withPermits(1)(poll(member, limit)), () => release(member))
        yield* Effect.forkScoped(renewals(member))
      }),
    held: timed(store.held(options.key)),
  }
}

const noAnswer = (timeout: Duration.Duration): RateLimiter.RateLimiterError =>
  new RateLimiter.RateLimiterError({
    reason: new RateLimiter.RateLimitStoreError({
      message: `the in-flight store did not answer within ${Duration.format(timeout)}`,
    }),
  })

const InFlightCapBase: Context.ServiceClass<
  InFlightCap,
  "@effect-klaviyo/catalog-jobs/InFlightCap",
  InFlightCapShape
> = /* @__PURE__ */ Context.Service<InFlightCap, InFlightCapShape>()(
  "@effect-klaviyo/catalog-jobs/InFlightCap",
)

/**
 * The cap on jobs in progress that `bulkWrite` keeps, shared by every write and every process
 * that uses the same cap: provide one (in memory for the writes of one process, over Redis for a
 * fleet) and each write's `maxInFlight` bounds the jobs in progress of all of them together.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { InFlightCap } from "@effect-klaviyo/catalog-jobs"
 *
 * const cap: Layer.Layer<InFlightCap, unknown> = InFlightCap.layerMemory({ account: "acme" })
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export class InFlightCap extends InFlightCapBase {
  /**
   * A cap in this process's memory: the writes of one process share it.
   *
   * @example
   * ```ts
   * import { InFlightCap } from "@effect-klaviyo/catalog-jobs"
   *
   * const cap = InFlightCap.layerMemory({ pollInterval: "250 millis" })
   * ```
   */
  static layerMemory(options: InFlightCapOptions = {}): Layer.Layer<InFlightCap, InvalidRequest> {
    return Layer.effect(
      InFlightCap,
      Effect.map(resolve(options, undefined), (resolved) => makeInFlightCap(makeMemorySlotStore(), resolved)),
    )
  }

  /**
   * A cap in Redis (the `Redis` service of `effect/persistence`, the one the budget's
   * `RateLimiter.layerStoreRedis()` uses): every process with the same account and key shares it.
   *
   * @example
   * ```ts
   * import * as NodeRedis from "@effect/platform-node/NodeRedis"
   * import { Layer } from "effect"
   * import { InFlightCap } from "@effect-klaviyo/catalog-jobs"
   *
   * const cap = InFlightCap.layerRedis({ account: "acme" }).pipe(
   *   Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379" })),
   * )
   * ```
   */
  static layerRedis(options: InFlightCapOptions = {}): Layer.Layer<InFlightCap, InvalidRequest, Redis.Redis> {
    return Layer.effect(
      InFlightCap,
      Effect.gen(function* () {
        const resolved = yield* resolve(options, "5 seconds")
        // effect/persistence/Redis is loaded when the layer is built, not at import.
        const Redis = yield* Effect.promise(() => import("effect/persistence/Redis"))
        return makeInFlightCap(yield* makeRedisSlotStore(Redis), resolved)
      }),
    )
  }
}

/**
 * Runs `effect` holding a slot of `cap` (none when `cap` is undefined). While the store cannot be
 * reached no slot is taken and nothing runs: the caller waits for it, asking again with backoff.
 *
 * @internal
 */
export const withInFlightSlot = <A, E, R>(
  cap: InFlightCapShape | undefined,
  limit: number,
  effect: Effect.Effect<A, E, R>,
): Effect.Effect<A, E, Exclude<R, Scope.Scope>> =>
  cap === undefined ? effect as Effect.Effect<A, E, Exclude<R, Scope.Scope>> : Effect.scoped(
    Effect.andThen(
      // Retried for as long as it takes: the schedule never ends, so the error never reaches here.
      Effect.orDie(Effect.retry(cap.acquire(limit), untilTheStoreAnswers())),
      effect,
    ),
  )

/** The lease's retry: built on first use, not at import (about 1 ms of Node's cold import). */
const untilTheStoreAnswers = /* @__PURE__ */ lazy(() =>
  Schedule.min([Schedule.exponential("200 millis"), Schedule.spaced("5 seconds")])
)
