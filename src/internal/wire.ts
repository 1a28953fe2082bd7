/**
 * Reading Klaviyo's answers where they are not documents: error bodies and `Retry-After`.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import type { JsonApiErrorObject } from "../errors.ts"

/** The longest member of an error object kept (`detail`, `title`, `source.pointer`, ...), in characters. */
export const MAX_MEMBER_LENGTH = 2000

/** The most error objects kept from one body; {@link ParsedErrorBody.omitted} counts the rest. */
export const MAX_ERRORS = 100

/**
 * How much wider than {@link MAX_MEMBER_LENGTH} the window scrubbed before a cut is: the
 * credential in any form it is found in (JSON-escaped: 6 characters for one) that straddles the
 * cut is inside the window whole, and so is redacted whole, not left in part before the cut.
 */
const SCRUB_WINDOW = 2 * MAX_MEMBER_LENGTH

/** What a cut member ends with: how much of it was left out. */
export const cutMarker = (left: number): string => `… [cut: ${left} more character${left === 1 ? "" : "s"}]`

/**
 * A member as kept: whole when short; otherwise scrubbed on a bounded window (never on the
 * whole text, which may be megabytes) and cut, with a marker saying how much was left out.
 */
const cut = (value: string, scrub: (text: string) => string): string =>
  value.length <= MAX_MEMBER_LENGTH
    ? value
    : `${scrub(value.slice(0, SCRUB_WINDOW)).slice(0, MAX_MEMBER_LENGTH)}${
      cutMarker(value.length - MAX_MEMBER_LENGTH)
    }`

/** Reads one JSON:API error object leniently: members of the wrong type are left out, long ones cut. */
const readErrorObject = (
  record: Record<string, unknown>,
  scrub: (text: string) => string,
): JsonApiErrorObject => {
  const str = (member: unknown): string | undefined =>
    typeof member === "string" ? cut(member, scrub) : undefined
  const out: { -readonly [K in keyof JsonApiErrorObject]: JsonApiErrorObject[K] } = {}
  for (const key of ["id", "code", "title", "detail"] as const) {
    const member = str(record[key])
    if (member !== undefined) out[key] = member
  }
  const rawStatus = record["status"]
  const status = typeof rawStatus === "number"
    ? rawStatus
    : typeof rawStatus === "string" && rawStatus.length <= 16
    ? Number(rawStatus)
    : Number.NaN
  if (Number.isInteger(status)) out.status = status
  const source = record["source"]
  if (typeof source === "object" && source !== null) {
    const pointer = str((source as Record<string, unknown>)["pointer"])
    const parameter = str((source as Record<string, unknown>)["parameter"])
    out.source = {
      ...(pointer === undefined ? {} : { pointer }),
      ...(parameter === undefined ? {} : { parameter }),
    }
  }
  return out
}

/** The JSON:API errors read from a non-2xx body. */
export interface ParsedErrorBody {
  /** The first {@link MAX_ERRORS} error objects, each member cut to {@link MAX_MEMBER_LENGTH}. */
  readonly errors: ReadonlyArray<JsonApiErrorObject>
  /** How many more error objects the body held past those kept. */
  readonly omitted: number
}

/**
 * Reads the JSON:API `errors` of a non-2xx body. A body that is not JSON:API (an HTML page, an
 * empty body) gives no errors; the caller keeps the text instead. What is kept is bounded (at
 * most {@link MAX_ERRORS} objects, each member at most {@link MAX_MEMBER_LENGTH} characters)
 * before anything scrubs or prints it: a body near the cap with one huge `detail` would
 * otherwise cost seconds of CPU on every failing attempt. `scrub` is applied to the window of a
 * long member before it is cut (a short member is scrubbed with the rest of the error).
 */
export const parseApiErrorBody = (text: string, scrub: (text: string) => string): ParsedErrorBody => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { errors: [], omitted: 0 }
  }
  const errors = typeof json === "object" && json !== null
    ? (json as Record<string, unknown>)["errors"]
    : undefined
  if (!Array.isArray(errors)) return { errors: [], omitted: 0 }
  const kept: Array<JsonApiErrorObject> = []
  let omitted = 0
  for (const item of errors) {
    if (typeof item !== "object" || item === null) continue
    if (kept.length >= MAX_ERRORS) omitted++
    else kept.push(readErrorObject(item as Record<string, unknown>, scrub))
  }
  return { errors: kept, omitted }
}

/**
 * Reads `Retry-After`: seconds, or an HTTP date (measured from `nowMillis`). A missing or
 * unreadable header (a negative number, a list, a date in another format) gives `undefined`, so
 * that the retry falls back to the client's own backoff; a date in the past gives zero.
 */
export const parseRetryAfter = (
  header: string | undefined,
  nowMillis: number,
): Duration.Duration | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  // Seconds: whole, as RFC 9110 says, or with a fraction, which some servers send.
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Duration.millis(Math.ceil(Number(trimmed) * 1000))
  // An HTTP date, strictly: "Sun, 06 Nov 1994 08:49:37 GMT". Anything else is unreadable.
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Duration.millis(Math.max(0, date - nowMillis))
}

/** Whether a text holds a C0 control character or DEL (they would break a path or a header). */
export const hasControlCharacter = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}
