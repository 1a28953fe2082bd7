/** The in-flight cap in memory, under TestClock: slots, waiting, leases, renewals, exact counts. */
import { Duration, Effect, Exit, Fiber, Layer, Random } from "effect"
import { TestClock } from "effect/testing"
import { describe, expect, it } from "vitest"
import { InFlightCap, type InFlightCapShape } from "../mod.ts"
import { makeInFlightCap } from "../src/bulk-write/in-flight.ts"
import { makeMemorySlotStore, type SlotStore } from "../src/internal/in-flight-store.ts"
import { testNow } from "./support/clock.ts"

const KEY = "test:in-flight:account:acme"
const options = { key: KEY, leaseMillis: 30_000, pollMillis: 500, storeTimeout: undefined }

/** A store that counts its takes (the polls a waiting process sends). */
const counted = (inner: SlotStore) => {
  const counts = { takes: 0 }
  const store: SlotStore = {
    ...inner,
    take: (...args) => Effect.andThen(Effect.sync(() => counts.takes++), inner.take(...args)),
  }
  return { store, counts }
}

const run = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.runPromise(effect.pipe(Effect.provide(TestClock.layer())) as Effect.Effect<A, E>)

/** Holds a slot of `limit` for `millis`, recording when it got it. */
const hold = (cap: InFlightCapShape, limit: number, millis: number, starts: Array<number>) =>
  Effect.scoped(Effect.gen(function* () {
    yield* cap.acquire(limit)
    starts.push(yield* testNow)
    yield* Effect.sleep(Duration.millis(millis))
  }))

describe("InFlightCap in memory", () => {
  it("never more than limit slots: the fourth and fifth wait, each woken by a release of its process", async () => {
    const { counts, store } = counted(makeMemorySlotStore())
    // Polls a minute apart: any take before then is a wake-up by a release of this process.
    const cap = makeInFlightCap(store, { ...options, pollMillis: 60_000 })
    const result = await run(Effect.gen(function* () {
      const starts: Array<number> = []
      const fibers = yield* Effect.forEach(
        [1000, 1500, 2000, 500, 500],
        (millis) => Effect.forkChild(hold(cap, 3, millis, starts)),
      )
      yield* TestClock.adjust("1 millis")
      const heldAtOnce = yield* cap.held
      yield* TestClock.adjust("999 millis")
      const heldAt1000 = yield* cap.held
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.joinAll(fibers)
      return { starts, heldAtOnce, heldAt1000, after: yield* cap.held }
    }))
    expect(result.heldAtOnce).toBe(3)
    // Released at 1000 ms and 1500 ms: each waiter took its slot at that very moment.
    expect(result.heldAt1000).toBe(3)
    expect(result.starts).toEqual([0, 0, 0, 1000, 1500])
    expect(result.after).toBe(0)
    // Three takes at 0, the fourth's (full); at 1000 ms the fourth's and the fifth's (full); at 1500 ms the fifth's.
    expect(counts.takes).toBe(7)
  })

  it("a waiting process polls once per pollInterval at most, whatever the number of waiters", async () => {
    const { counts, store } = counted(makeMemorySlotStore())
    const cap = makeInFlightCap(store, options)
    const waited = await run(Effect.gen(function* () {
      // A slot held by another process (its lease renewed far away): this one waits 10 s.
      yield* store.take(KEY, "other-process:1", 1, 60_000)
      const waiters = yield* Effect.forEach(
        Array.from({ length: 10 }),
        () => Effect.forkChild(Effect.scoped(cap.acquire(1))),
      )
      yield* TestClock.adjust("10 seconds")
      const polls = counts.takes
      yield* Effect.forEach(waiters, Fiber.interrupt)
      return { polls, held: yield* cap.held }
    }))
    // 10 s of waiting at one poll every 250 to 500 ms: from 20 to 41, never ten waiters' worth.
    expect(waited.polls).toBeGreaterThanOrEqual(20)
    expect(waited.polls).toBeLessThanOrEqual(41)
    // Interrupted while waiting: nothing held but the other process's slot.
    expect(waited.held).toBe(1)
  })

  it("a crashed process's slot comes back once its lease runs out, not before", async () => {
    const store = makeMemorySlotStore()
    const cap = makeInFlightCap(store, options)
    const got = await run(
      Effect.gen(function* () {
        // Taken by a process that then died: nobody renews it.
        yield* store.take(KEY, "crashed:1", 1, 30_000)
        const starts: Array<number> = []
        const fiber = yield* Effect.forkChild(hold(cap, 1, 0, starts))
        yield* TestClock.adjust("29999 millis")
        const before = [...starts]
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(fiber)
        return { before, starts }
        // The polls' jitter seeded: unseeded, one run in a few hundred polls at exactly 30,000 ms
        // (a jittered sleep that ends where the lease does) and takes the slot then.
      }).pipe(Random.withSeed("in-flight")),
    )
    expect(got.before).toEqual([])
    // The earliest lease's end bounds the poll's sleep: taken 1 ms after it expired.
    expect(got.starts).toEqual([30_001])
  })

  it("a live holder renews its lease: held for 100 s (three leases), no other process gets the slot", async () => {
    const store = makeMemorySlotStore()
    const first = makeInFlightCap(store, options)
    const second = makeInFlightCap(store, options)
    const got = await run(Effect.gen(function* () {
      const starts: Array<number> = []
      const holder = yield* Effect.forkChild(hold(first, 1, 100_000, starts))
      yield* TestClock.adjust("1 millis")
      const waiter = yield* Effect.forkChild(hold(second, 1, 0, starts))
      yield* TestClock.adjust("99999 millis")
      const heldAt100s = [...starts]
      yield* TestClock.adjust("1 second")
      yield* Fiber.joinAll([holder, waiter])
      return { heldAt100s, starts }
    }))
    expect(got.heldAt100s).toEqual([0])
    // The second process polls (no wake-up across processes): within one pollInterval of the release.
    expect(got.starts).toHaveLength(2)
    expect(got.starts[1]).toBeGreaterThanOrEqual(100_000)
    expect(got.starts[1]).toBeLessThanOrEqual(100_500)
  })

  it("a slot is released when its scope fails or is interrupted", async () => {
    const cap = makeInFlightCap(makeMemorySlotStore(), options)
    const held = await run(Effect.gen(function* () {
      const failed = yield* Effect.exit(Effect.scoped(Effect.andThen(cap.acquire(2), Effect.fail("boom"))))
      const fiber = yield* Effect.forkChild(Effect.scoped(Effect.andThen(cap.acquire(2), Effect.never)))
      yield* TestClock.adjust("1 millis")
      const during = yield* cap.held
      yield* Fiber.interrupt(fiber)
      return { failed: Exit.isFailure(failed), during, after: yield* cap.held }
    }))
    expect(held).toEqual({ failed: true, during: 1, after: 0 })
  })

  it("layerMemory refuses a lease of 0 with an InvalidRequest", async () => {
    const exit = await Effect.runPromiseExit(
      Layer.build(InFlightCap.layerMemory({ lease: "0 millis" })).pipe(Effect.scoped),
    )
    expect(
      Exit.isFailure(exit) && exit.cause.reasons[0]?._tag === "Fail"
        ? exit.cause.reasons[0].error
        : undefined,
    )
      .toMatchObject({
        _tag: "InvalidRequest",
        input: "maxInFlight",
        reason: "inFlightCap.lease must be a finite duration of 1 ms or more",
      })
  })

  it("layerMemory: writes of one process that share it hold its slots together", async () => {
    const counts = await Effect.gen(function* () {
      const cap = yield* InFlightCap
      yield* Effect.scoped(Effect.gen(function* () {
        yield* cap.acquire(5)
        yield* cap.acquire(5)
      }))
      const during = yield* Effect.scoped(Effect.andThen(cap.acquire(5), cap.held))
      return { during, after: yield* cap.held }
    }).pipe(Effect.provide(InFlightCap.layerMemory({ account: "acme" })), Effect.runPromise)
    expect(counts).toEqual({ during: 1, after: 0 })
  })
})
