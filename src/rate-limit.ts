/**
 * The rate-limit budget: a shared service, over `effect/persistence`'s `RateLimiterStore`, that
 * keeps every request inside Klaviyo's limits (fixed windows per account, a pair for each limit
 * class) without ever meeting a 429.
 *
 * ## Limit classes
 * Each operation counts against one class, the spec's `x-klaviyo-ratelimit` pair for it:
 * `jobs-write` (every job-creating POST, and the GETs of item and variant create and update jobs:
 * 75 per second, 750 per minute; 700 per minute for revisions before 2026-01-15) and `jobs-read`
 * (the GETs of category jobs and of every delete job: 350 per second, 3500 per minute). The
 * evidence, revision by revision, and why the reading is the conservative one, is in
 * `rate-limit/classes.ts`. The budget keeps the classes apart: each has its own windows, its own
 * store keys (the class name and its limits in the key), its own pause after a 429 (a 429 to a
 * POST pauses the POSTs, not the GETs), its own reading of the `RateLimit-*` headers and its own
 * per-process lock. Everything below holds for each class on its own. The options may replace any
 * class's windows (`classes`); `burst` and `steady` are `jobs-read`'s, as they were the only
 * class's before there were classes.
 *
 * A budget of a client's own takes its classes' limits from the client's revision. A budget
 * shared by several clients (`RateLimitBudget.layer`) takes them from its own `revision` option
 * (default 2026-07-15), and holds every client that shares it to them: a client whose revision's
 * spec allows less for a class (a client of 2025-10-15, 700 POSTs a minute, and a budget of
 * 2026-07-15, 750) refuses the budget with an `InvalidRequest` when it is built, so that nothing
 * is sent past its revision's limits; build the budget with the oldest revision among its
 * clients, or set that class's limits explicitly (they are then not checked).
 *
 * ## Why not Effect's own algorithms
 * Klaviyo counts in fixed windows whose phase the client cannot know. Effect's `fixed-window`
 * and `token-bucket` limit averages: both let more than `limit` requests into some window of
 * length `window` (measured: 450 in 300 ms against 350 per second). The budget needs the
 * stricter guarantee: **at most `limit` requests in any interval of length `window`**, whatever
 * its phase. That is a sliding-window log.
 *
 * ## The algorithm: a ring of permits
 * Each window owns `limit` permits, one store key each. Taking a permit is one atomic store
 * operation (`fixedWindow` with a limit of 1): it succeeds only if the permit is free, and then
 * holds it for `window + margin`. The n-th request takes permit `n mod limit`, the one taken
 * `limit` requests earlier, and waits exactly as long as that permit is still held (the store
 * answers with the time left). So no more than `limit` permits are held at once, each for at
 * least `window` after its request was sent: every `window`-long interval sees at most `limit`
 * requests. `margin` absorbs the spread of network latency between the client and the server.
 *
 * Every window's permit is first waited for without being taken, so that no permit is held while
 * waiting for another (it would protect the wrong interval); then the longest window's permit is
 * taken first and the shortest one's last, just before sending (should a permit be taken by
 * another caller in between, only a longer window's permit is held while waiting for a shorter
 * one, never the reverse: a short permit could run out during the wait), and each permit is held
 * longer by the time since it was taken if that was slow. Store operations that do not depend on
 * each other go together: a free request costs four store round trips in a row (the reservation,
 * a look at every permit, the pause and the reservation counter together, then one take per
 * window). Acquisitions in one process go one at a time under a lock, the reservation included
 * (reserved before the lock, a process's reservations run ahead of its sends and the fleet's
 * ring spreads worse: measured 3 s slower in 29 at 8 processes). While it waits for the lock a
 * caller probes the store (one read, not waited for), so that a store that is gone fails it
 * within `storeTimeout` of asking. Each hop of a redirect takes permits of its own.
 *
 * ## Pauses
 * A 429 pauses every caller that shares the budget for its `Retry-After` (at most `maxPause`):
 * the pause's end becomes the later of its end and now + `Retry-After` (one compare-and-set on
 * the pause key), never the sum. Callers that find the budget paused wait it out outside the
 * lock, behind one gate per process, and go together when it ends: a 429 to one of them holds
 * back the callers that come after, not the others let go with it (as long as none has to wait
 * for a permit). The retry of a 429 follows its own `Retry-After`, not the pause other 429s
 * extended, so that each call ends within its own retry policy. A caller already waiting for a
 * permit waits out a pause that began meanwhile.
 *
 * `RateLimit-Limit`, `-Remaining` and `-Reset` describe the steady window. When an answer's
 * `Remaining` leaves nothing for the requests in flight, the budget counts its steady permits
 * held past the earliest end `Reset` allows (`Reset` is whole seconds: the window ends no
 * earlier than `Reset - 1` s from now); only if its own windows would let more requests through
 * before then than the server has left (another program spends the account) does it pause until
 * `Reset`. The budget's own requests, counted by the server, already hold those permits: pausing
 * for them would only add the rounding of `Reset`. Counting looks at each steady permit once,
 * only on such an answer.
 *
 * ## When the store fails
 * `storeTimeout` bounds each store operation. Every caller's first operation is its own (the
 * reservation), so a store that is gone fails it within `storeTimeout` of asking; and any failed
 * operation fails, at once, every caller then waiting for the lock, instead of letting each try
 * the store one `storeTimeout` after the other.
 *
 * A store that comes back empty (a restart without persistence, a failover to a replica behind,
 * a flush) is seen from the reservation counter, which only grows while it is in use and lives
 * longer than every permit: an operation that finds it lower than this process saw, while it
 * could not have expired by itself, means the permits are gone. The budget then sends nothing
 * for the longest window's hold (a minute and the margin, for Klaviyo's steady window), kept in
 * the process at once and written to the store as a pause every process honours, 429 retries
 * and released callers included. The trade-off: the permits of the last window may all have
 * been in use, by processes that are idle, gone or have not noticed yet, and nothing tells how
 * many; each process re-seeding the permits it remembers would resume at once but let theirs
 * through again (a fleet could send a window's worth twice). Holding back costs one window of
 * sending after each loss and never exceeds the limit. A process that starts after the loss, or
 * whose callers have not touched the store since before it, cannot tell an emptied store from a
 * new one: it is the first caller after the loss, whichever process it is in, that sees it.
 *
 * Store keys are bounded: `limit` permits per window plus two counters, per class, so the
 * in-memory store does not grow. Keys are `<key>:<class>:<limits>:<scope>:...`, for example
 * `klaviyo:catalog-bulk-jobs:jobs-write:750per60000ms+75per1000ms:account:acme:next`: processes
 * of an older release (keys without the class) do not share a budget with this one while both
 * run.
 *
 * @module
 */
export { budgetScope, type RateLimitBudgetShape, unlimitedBudget } from "./rate-limit/budget.ts"
export {
  isLimitClass,
  LIMIT_CLASSES,
  limitClassOf,
  rateLimitClasses,
  type RateLimitClassLimits,
} from "./rate-limit/classes.ts"
export {
  type RateLimitBudgetOptions,
  type RateLimitClassOptions,
  type RateLimitOptions,
  type RateLimitWindow,
  resolveRateLimit,
} from "./rate-limit/options.ts"
export { checkSharedBudget, makeRateLimitBudget, RateLimitBudget } from "./rate-limit/service.ts"
