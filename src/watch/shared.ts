/**
 * Shared polls: watchers of the same job with the same request (type, id, fieldsets, include)
 * and the same default schedule, on the same client, read one poll. Built on effect's `RcMap`:
 * the first watcher starts the poll, the last one to leave stops it, and a poll that failed is
 * taken out of the map so that the next watcher starts afresh.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import * as RcMap from "effect/RcMap"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { KlaviyoClient, type KlaviyoClientShape } from "../client.ts"
import { type LastPolled, pollJob, type PollPlan, type WatchError } from "./poll.ts"
import type { AnyJob } from "./rows.ts"
import type { JobSnapshot } from "./types.ts"

/** A shared poll: the stream every watcher of its key reads, and the latest snapshot it made. */
export interface SharedPoll {
  readonly stream: Stream.Stream<JobSnapshot<AnyJob>, WatchError>
  readonly polled: LastPolled
}

/** A fieldset in one canonical form: names deduplicated and sorted (the order asks for nothing). */
const canonicalNames = (names: unknown): unknown =>
  Array.isArray(names) ? [...new Set(names.map((name) => String(name)))].sort() : names

/**
 * What makes two polls the same: the job's type and id, the request's fieldsets and `include`
 * (in a canonical order), and the default schedule's bounds. Two job types with the same id
 * never share.
 */
export const pollKeyOf = (plan: PollPlan): string => {
  const fields = Object.entries(plan.request.fields ?? {})
    .filter(([, names]) => names !== undefined)
    .map(([type, names]) => [type, canonicalNames(names)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([
    plan.target.type,
    plan.target.id,
    fields,
    canonicalNames(plan.request.include ?? []),
    plan.bounds.min,
    plan.bounds.max,
    plan.bounds.toEnd === true,
  ])
}

/** A shared poll's key in the `RcMap`: equal by {@link pollKeyOf}; it carries how to start the poll. */
class PollKey implements Equal.Equal {
  readonly canonical: string
  constructor(readonly plan: PollPlan) {
    this.canonical = pollKeyOf(plan)
  }
  [Equal.symbol](that: Equal.Equal): boolean {
    return that instanceof PollKey && that.canonical === this.canonical
  }
  [Hash.symbol](): number {
    return Hash.string(this.canonical)
  }
}

type Polls = RcMap.RcMap<PollKey, SharedPoll>

/** Starts a shared poll: one `pollJob`, multicast; a failure takes it out of the map. */
const startPoll = (
  client: KlaviyoClientShape,
  key: PollKey,
  polls: () => Polls,
): Effect.Effect<SharedPoll, never, Scope.Scope> =>
  Effect.gen(function* () {
    const polled: LastPolled = { last: undefined }
    const stream = yield* Stream.share(
      pollJob(key.plan, polled).pipe(
        Stream.provideService(KlaviyoClient, client),
        // A failed poll is not handed to watchers who join later: they start a new one.
        Stream.tapError(() => RcMap.invalidate(polls(), key)),
      ),
      { capacity: "unbounded", replay: 1 },
    )
    return { stream, polled }
  })

/** Each client's shared polls (a client that is gone takes its map with it). */
const pollsByClient = /* @__PURE__ */ new WeakMap<KlaviyoClientShape, Polls>()

const pollsOf = (client: KlaviyoClientShape): Polls => {
  const known = pollsByClient.get(client)
  if (known !== undefined) return known
  // Entries close when their last watcher leaves (no idle time to live), so the map's own
  // scope never needs closing: it goes with the client.
  const polls: Polls = Effect.runSync(
    RcMap.make({ lookup: (key: PollKey) => startPoll(client, key, () => polls) }).pipe(
      Scope.provide(Scope.makeUnsafe()),
    ),
  )
  pollsByClient.set(client, polls)
  return polls
}

/** Joins the shared poll of `plan` on `client` (starting it if none runs) for the current scope. */
export const joinShared = (
  client: KlaviyoClientShape,
  plan: PollPlan,
): Effect.Effect<SharedPoll, never, Scope.Scope> =>
  Effect.suspend(() => RcMap.get(pollsOf(client), new PollKey(plan)))
