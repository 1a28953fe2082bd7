/**
 * The in-flight cap's lease table in Redis (see in-flight-store.ts): one sorted set per scope,
 * every operation one Lua script timed by the Redis server's own clock. `InFlightCap.layerRedis`
 * loads effect/persistence/Redis when it is built and makes the table's scripts with it: importing
 * the library neither imports that module nor defines the scripts.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as RateLimiter from "effect/persistence/RateLimiter"
import type * as RedisModule from "effect/persistence/Redis"
import type { SlotStore } from "./in-flight-store.ts"

/** The Redis server's time in milliseconds, and its expired leases dropped; `ttl` keeps the key alive. */
const prelude = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
local function keep(lease)
  if redis.call("PTTL", KEYS[1]) < lease then redis.call("PEXPIRE", KEYS[1], lease) end
end
`

const storeError = (operation: string) => (error: RedisModule.RedisError) =>
  new RateLimiter.RateLimiterError({
    reason: new RateLimiter.RateLimitStoreError({
      message: `the in-flight cap's ${operation} failed in Redis`,
      cause: error.cause,
    }),
  })

/**
 * A lease table in Redis: one sorted set per scope, one script per operation, made with
 * effect/persistence/Redis's module (loaded by the caller).
 */
export const makeRedisSlotStore = (
  Redis: typeof RedisModule,
): Effect.Effect<SlotStore, never, RedisModule.Redis> => {
  const takeScript = Redis.script(
    (key: string, member: string, limit: number, leaseMillis: number) => [key, member, limit, leaseMillis],
    {
      numberOfKeys: 1,
      lua: `${prelude}
  local member = ARGV[1]
  local limit = tonumber(ARGV[2])
  local lease = tonumber(ARGV[3])
  local held = redis.call("ZCARD", KEYS[1])
  if redis.call("ZSCORE", KEYS[1], member) or held < limit then
    redis.call("ZADD", KEYS[1], now + lease, member)
    keep(lease)
    return { 1, redis.call("ZCARD", KEYS[1]), 0 }
  end
  local first = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
  return { 0, held, math.max(0, tonumber(first[2]) - now) }
  `,
    },
  ).withReturnType<readonly [taken: number, held: number, nextExpiryMillis: number]>()

  const renewScript = Redis.script(
    (key: string, member: string, leaseMillis: number) => [key, member, leaseMillis],
    {
      numberOfKeys: 1,
      lua: `${prelude}
  local lease = tonumber(ARGV[2])
  redis.call("ZADD", KEYS[1], now + lease, ARGV[1])
  keep(lease)
  return 1
  `,
    },
  ).withReturnType<number>()

  const releaseScript = Redis.script((key: string, member: string) => [key, member], {
    numberOfKeys: 1,
    lua: `return redis.call("ZREM", KEYS[1], ARGV[1])`,
  }).withReturnType<number>()

  const heldScript = Redis.script((key: string) => [key], {
    numberOfKeys: 1,
    lua: `${prelude}
  return redis.call("ZCARD", KEYS[1])
  `,
  }).withReturnType<number>()

  return Effect.map(
    Effect.service(Redis.Redis),
    (redis): SlotStore => {
      const take = redis.eval(takeScript)
      const renew = redis.eval(renewScript)
      const release = redis.eval(releaseScript)
      const held = redis.eval(heldScript)
      return {
        take: (key, member, limit, leaseMillis) =>
          take(key, member, limit, leaseMillis).pipe(
            Effect.map(([taken, count, next]) => ({
              taken: Number(taken) === 1,
              held: Number(count),
              nextExpiryMillis: Number(next),
            })),
            Effect.mapError(storeError("take")),
          ),
        renew: (key, member, leaseMillis) =>
          Effect.asVoid(Effect.mapError(renew(key, member, leaseMillis), storeError("renewal"))),
        release: (key, member) => Effect.asVoid(Effect.mapError(release(key, member), storeError("release"))),
        held: (key) => Effect.map(Effect.mapError(held(key), storeError("count")), Number),
      }
    },
  )
}
