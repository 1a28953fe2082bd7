/**
 * Where the in-flight cap keeps its leases: a table per scope of `member -> expiry`, in this
 * process's memory (by `Clock`) or in Redis (one sorted set per scope, scored by expiry, every
 * operation one Lua script timed by the Redis server's own clock, so that the hosts of a fleet
 * need not agree on the time).
 *
 * Why not the `RateLimiterStore` itself: its operations are counters with one expiry per key,
 * with no owner and no delete. Leases per holder over it would need one key per slot, a scan of
 * up to `maxInFlight` keys for each acquisition, and could not tell a holder's lease from the
 * one a successor took after it expired. Redis is the same server the budget's store runs its
 * scripts on (`effect/persistence/Redis`, the service `RateLimiter.layerStoreRedis` reads). The
 * Redis table is in in-flight-redis.ts, loaded by `InFlightCap.layerRedis` when it is built.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as RateLimiter from "effect/persistence/RateLimiter"

/** What a take answers: taken or not, the slots held after it, and when the earliest lease ends. */
export interface Taken {
  readonly taken: boolean
  /** Slots held in the scope once the take was applied (this one included when taken). */
  readonly held: number
  /** When the earliest lease of a full table expires, in milliseconds from now (0 when taken). */
  readonly nextExpiryMillis: number
}

/** The operations of a lease table; `key` names the scope's table. */
export interface SlotStore {
  /** Takes a slot for `member` unless `limit` are held (a member that holds one keeps it, renewed). */
  readonly take: (
    key: string,
    member: string,
    limit: number,
    leaseMillis: number,
  ) => Effect.Effect<Taken, RateLimiter.RateLimiterError>
  /** Renews `member`'s lease (re-registers it if it was lost: its job is still in progress). */
  readonly renew: (
    key: string,
    member: string,
    leaseMillis: number,
  ) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /** Releases `member`'s slot. */
  readonly release: (key: string, member: string) => Effect.Effect<void, RateLimiter.RateLimiterError>
  /** The slots held now (expired leases left out). */
  readonly held: (key: string) => Effect.Effect<number, RateLimiter.RateLimiterError>
}

/** A lease table in this process's memory, its time read from `Clock` (a `TestClock` moves it). */
export const makeMemorySlotStore = (): SlotStore => {
  const tables = new Map<string, Map<string, number>>()
  const live = (key: string, now: number): Map<string, number> => {
    let table = tables.get(key)
    if (table === undefined) {
      table = new Map()
      tables.set(key, table)
    }
    for (const [member, expiresAt] of table) if (expiresAt <= now) table.delete(member)
    return table
  }
  return {
    take: (key, member, limit, leaseMillis) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const table = live(key, now)
        if (table.has(member) || table.size < limit) {
          table.set(member, now + leaseMillis)
          return { taken: true, held: table.size, nextExpiryMillis: 0 }
        }
        let earliest = Number.POSITIVE_INFINITY
        for (const expiresAt of table.values()) earliest = Math.min(earliest, expiresAt)
        return { taken: false, held: table.size, nextExpiryMillis: Math.max(0, earliest - now) }
      }),
    renew: (key, member, leaseMillis) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        live(key, now).set(member, now + leaseMillis)
      }),
    release: (key, member) =>
      Effect.sync(() => {
        tables.get(key)?.delete(member)
      }),
    held: (key) => Effect.map(Clock.currentTimeMillis, (now) => live(key, now).size),
  }
}
