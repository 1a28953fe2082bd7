/**
 * Klaviyo's limit classes for the catalog bulk-job operations, per revision: the pairs of fixed
 * windows (burst, 1 s; steady, 1 min) that the spec's `x-klaviyo-ratelimit` gives each operation.
 *
 * ## What the spec says, revision by revision
 * Read from `openapi/stable.json` on each revision branch of Klaviyo's public OpenAPI repository
 * (github.com/klaviyo/openapi; branches 2022-10-17 to 2026-07-15):
 * - 2022-10-17 to 2025-10-15: every job-creating POST 75/s and 700/m; every GET 350/s and 3500/m.
 * - 2026-01-15: the POSTs 75/s and 750/m; every GET still 350/s and 3500/m.
 * - 2026-04-15 and 2026-07-15: the POSTs 75/s and 750/m, and so are the GETs (one job and the
 *   list) of item and variant create and update jobs; the GETs of category jobs and of every
 *   delete job 350/s and 3500/m.
 * The SDKs Klaviyo generates from that spec say the same: klaviyo-api (npm) 20.0.0, revision
 * 2025-10-15, documents 700/m for the POSTs and 350/s for every GET; 23.0.0, revision 2026-07-15,
 * 750/m and 75/s for the item and variant GETs.
 *
 * ## What that means on the server
 * Both changes were made to the spec of a revision already out, on the repository's `main`
 * branch: on 2026-04-08 (commit ff15f59, revision 2026-01-15) 68 operations of the API went from
 * 700/m to 750/m at once (Klaviyo's "L" tier), and on 2026-06-30 (commit b33bb5c, revision
 * 2026-04-15) the eight item and variant job GETs went from 350/s and 3500/m to 75/s and 750/m. A
 * revision branch is no longer updated once the next revision is out, so the older branches
 * still show the older numbers. That reads as limits changed on the server for every revision,
 * documented in the current revision only; nothing says so outright. The classes here are the
 * conservative reading, never more than either reading allows:
 * - an operation's class is its class in revision 2026-07-15, for every revision (an item or
 *   variant job GET counts against `jobs-write` even where its revision's spec says 350/s);
 * - `jobs-write`'s steady window is 700/m for a revision whose spec says 700/m (before
 *   2026-01-15), 750/m since.
 *
 * ## Per class, not per operation
 * Klaviyo counts per account (per account and app for OAuth). Its documentation gives each
 * endpoint its limits and does not say whether the operations that share a pair share one count;
 * its staff describe the tiers as "the different limits for endpoints". A budget keeps one count
 * per class, for all the operations of that class together: if Klaviyo counts per operation,
 * this is stricter than needed (two operations of one class share what each could have alone),
 * never looser.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import { type ApiRequest, type LimitClass, methodOf } from "../http/request.ts"
import { InvalidRequest } from "../errors.ts"
import { DEFAULT_REVISION, parseRevision, type Revision } from "../revision.ts"

/**
 * The windows of one limit class, resolved: at most `burst.limit` requests per `burst.window`
 * and `steady.limit` per `steady.window`.
 *
 * @example
 * ```ts
 * import { Duration } from "effect"
 * import type { RateLimitClassLimits } from "@effect-klaviyo/catalog-jobs"
 *
 * const perMinute = (limits: RateLimitClassLimits): number =>
 *   limits.steady.limit * Duration.toMillis("1 minute") / Duration.toMillis(limits.steady.window)
 * ```
 *
 * @since 0.2.0
 * @category rate limit
 */
export interface RateLimitClassLimits {
  /** The short window (Klaviyo's is 1 second). */
  readonly burst: { readonly limit: number; readonly window: Duration.Duration }
  /** The long window (Klaviyo's is 1 minute); the `RateLimit-*` headers describe this one. */
  readonly steady: { readonly limit: number; readonly window: Duration.Duration }
  /**
   * The revision whose spec gave both windows; `undefined` when the options set either of them.
   */
  readonly revision: string | undefined
}

/** The limit classes, in a fixed order. */
export const LIMIT_CLASSES: ReadonlyArray<LimitClass> = ["jobs-read", "jobs-write"]

/** Whether `value` names a limit class. */
export const isLimitClass = (value: unknown): value is LimitClass =>
  value === "jobs-read" || value === "jobs-write"

/**
 * The class a request counts against: the one its row declares, else `jobs-write` for a POST
 * (every job-creating POST is) and `jobs-read` for a GET (the class of
 * `getCatalogCategoryBulkUpdateJob`, and what the budget counted every request against before it
 * knew classes).
 */
export const limitClassOf = (request: ApiRequest): LimitClass =>
  isLimitClass(request.limitClass)
    ? request.limitClass
    : methodOf(request) === "POST"
    ? "jobs-write"
    : "jobs-read"

/** Each class's `[burst per second, steady per minute]`, from the first revision whose spec gives it. */
const history: ReadonlyArray<{
  readonly since: string
  readonly pairs: Readonly<Record<LimitClass, readonly [number, number]>>
}> = [
  { since: "2026-01-15", pairs: { "jobs-read": [350, 3500], "jobs-write": [75, 750] } },
  { since: "2022-10-17", pairs: { "jobs-read": [350, 3500], "jobs-write": [75, 700] } },
]

const second = /* @__PURE__ */ Duration.seconds(1)
const minute = /* @__PURE__ */ Duration.minutes(1)

/** The classes' limits for a parsed revision. */
export const classLimitsOf = (revision: Revision): Readonly<Record<LimitClass, RateLimitClassLimits>> => {
  // Dates compare as strings (YYYY-MM-DD); the oldest entry covers every revision parseRevision accepts.
  const entry = history.find((candidate) => revision.date >= candidate.since) ?? history[history.length - 1]!
  const limits = (limitClass: LimitClass): RateLimitClassLimits => {
    const [burst, steady] = entry.pairs[limitClass]
    return {
      burst: { limit: burst, window: second },
      steady: { limit: steady, window: minute },
      revision: revision.value,
    }
  }
  return { "jobs-read": limits("jobs-read"), "jobs-write": limits("jobs-write") }
}

/**
 * The limits of each class for a revision, as its spec gives them (read conservatively: where
 * the spec is unclear, the lower figure): `jobs-write` (every job-creating POST, and the GETs of item and
 * variant create and update jobs) 75 per second and 750 per minute since 2026-01-15, 700 per
 * minute before; `jobs-read` (the other GETs) 350 per second and 3500 per minute. Fails with an
 * {@link InvalidRequest} (input `revision`) for a malformed revision.
 *
 * @example
 * ```ts
 * import { rateLimitClasses } from "@effect-klaviyo/catalog-jobs"
 *
 * const classes = rateLimitClasses("2025-10-15")
 * if (!(classes instanceof Error)) console.log(classes["jobs-write"].steady.limit) // 700
 * ```
 *
 * @since 0.2.0
 * @category rate limit
 */
export const rateLimitClasses = (
  revision: string = DEFAULT_REVISION,
): Readonly<Record<LimitClass, RateLimitClassLimits>> | InvalidRequest => {
  const parsed = parseRevision(revision)
  return parsed instanceof InvalidRequest ? parsed : classLimitsOf(parsed)
}
