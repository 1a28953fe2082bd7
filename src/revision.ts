/**
 * Klaviyo API revisions: the `revision` header, and what changed on the wire between them.
 *
 * @module
 */
import { InvalidRequest } from "./errors.ts"

/**
 * The revision sent when none is configured: the latest in the OpenAPI spec this library is
 * built from.
 *
 * @example
 * ```ts
 * import { DEFAULT_REVISION } from "@effect-klaviyo/catalog-jobs"
 *
 * console.log(DEFAULT_REVISION) // "2026-07-15"
 * ```
 *
 * @since 0.1.0
 * @category revisions
 */
export const DEFAULT_REVISION = "2026-07-15"

/**
 * A parsed revision: the date it names, and the wire conventions that date implies.
 *
 * @example
 * ```ts
 * import { parseRevision, type Revision } from "@effect-klaviyo/catalog-jobs"
 *
 * const parsed = parseRevision("2024-07-15")
 * const legacy = (revision: Revision): boolean => revision.legacyPath
 * if (!(parsed instanceof Error)) console.log(legacy(parsed)) // true
 * ```
 *
 * @since 0.1.0
 * @category revisions
 */
export interface Revision {
  /** The header value as given, for example `2026-07-15` or `2026-07-15.pre`. */
  readonly value: string
  /** The date part, `YYYY-MM-DD`. */
  readonly date: string
  /**
   * Before 2024-10-15 paths ended in `/` and the media type was `application/json`;
   * since then there is no trailing `/` and the media type is `application/vnd.api+json`.
   */
  readonly legacyPath: boolean
  /** Up to 2023-10-15 job ids travelled as the `job_id` attribute (and `fields[...]` named it). */
  readonly jobIdAttribute: boolean
}

const revisionPattern = /^(\d{4})-(\d{2})-(\d{2})(?:\.([a-z0-9]+))?$/

/** The first revision without the trailing `/` and with `application/vnd.api+json`. */
const modernWireSince = "2024-10-15"
/** The last revision whose job attributes include `job_id`. */
const jobIdAttributeUntil = "2023-10-15"
/** Klaviyo's first revision of the catalog APIs (the earliest branch of its spec). */
const firstRevision = "2022-10-17"

/**
 * Parses a `revision` header value (`YYYY-MM-DD[.suffix]`) and fails with an
 * {@link InvalidRequest} when it is malformed, names a day that does not exist, or predates
 * Klaviyo's first revision.
 *
 * @example
 * ```ts
 * import { parseRevision } from "@effect-klaviyo/catalog-jobs"
 *
 * const revision = parseRevision("2023-10-15")
 * if (!(revision instanceof Error)) console.log(revision.jobIdAttribute) // true
 * ```
 *
 * @since 0.1.0
 * @category revisions
 */
export const parseRevision = (value: string): Revision | InvalidRequest => {
  const match = revisionPattern.exec(value)
  const refuse = (why: string) =>
    new InvalidRequest({ input: "revision", reason: `${JSON.stringify(value)} ${why}` })
  if (match === null) {
    return refuse("is not of the form YYYY-MM-DD or YYYY-MM-DD.suffix (for example 2026-07-15)")
  }
  const [, y, m, d] = match
  const date = `${y}-${m}-${d}`
  const parsed = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    return refuse("names a day that does not exist")
  }
  if (date < firstRevision) return refuse(`predates Klaviyo's first API revision (${firstRevision})`)
  return {
    value,
    date,
    legacyPath: date < modernWireSince,
    jobIdAttribute: date <= jobIdAttributeUntil,
  }
}
