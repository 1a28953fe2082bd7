/**
 * Reading Klaviyo's answers where they are not documents: error bodies and `Retry-After`.
 *
 * @internal
 */
import * as Duration from "effect/Duration"
import type { JsonApiErrorObject } from "../errors.ts"

const str = (value: unknown): string | undefined => typeof value === "string" ? value : undefined

/** Reads one JSON:API error object leniently: members of the wrong type are left out. */
const readErrorObject = (value: unknown): JsonApiErrorObject | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const record = value as Record<string, unknown>
  const out: { -readonly [K in keyof JsonApiErrorObject]: JsonApiErrorObject[K] } = {}
  for (const key of ["id", "code", "title", "detail"] as const) {
    const member = str(record[key])
    if (member !== undefined) out[key] = member
  }
  const status = typeof record["status"] === "number"
    ? record["status"]
    : Number(str(record["status"]) ?? Number.NaN)
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

/**
 * Reads the JSON:API `errors` of a non-2xx body. A body that is not JSON:API (an HTML page, an
 * empty body) gives no errors; the caller keeps the text instead.
 */
export const parseApiErrorBody = (text: string): { readonly errors: ReadonlyArray<JsonApiErrorObject> } => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { errors: [] }
  }
  const errors = typeof json === "object" && json !== null
    ? (json as Record<string, unknown>)["errors"]
    : undefined
  if (!Array.isArray(errors)) return { errors: [] }
  return { errors: errors.flatMap((item) => readErrorObject(item) ?? []) }
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
