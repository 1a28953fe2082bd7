/**
 * How the simulated Klaviyo writes things: error documents, date-times, job ids, and the names
 * of records in its messages.
 *
 * @internal
 */
import type { SimulatorResponse } from "./api.ts"

/** A JSON:API error object as Klaviyo sends it. */
export interface WireError {
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly source?: { readonly pointer?: string; readonly parameter?: string }
}

const JSON_API = "application/vnd.api+json"

/** An error answer holding one or more errors, in Klaviyo's shape (`id`, `status`, `links`, `meta`). */
export const errorsResponse = (status: number, errors: ReadonlyArray<WireError>): SimulatorResponse => ({
  status,
  headers: { "content-type": JSON_API },
  body: JSON.stringify({
    errors: errors.map((error) => ({
      id: crypto.randomUUID(),
      status: error.status,
      code: error.code,
      title: error.title,
      detail: error.detail,
      source: error.source ?? { pointer: "/data/" },
      links: {},
      meta: {},
    })),
  }),
})

/** An error answer of one error. */
export const errorResponse = (
  status: number,
  code: string,
  title: string,
  detail: string,
  source?: { readonly pointer?: string; readonly parameter?: string },
): SimulatorResponse =>
  errorsResponse(status, [{ status, code, title, detail, ...(source === undefined ? {} : { source }) }])

/** A 400 `invalid` error about a query parameter. */
export const invalidParameter = (parameter: string, detail: string): SimulatorResponse =>
  errorResponse(400, "invalid", "Invalid input.", detail, { parameter })

/** A 400 `invalid` error about a member of the body. */
export const invalidPointer = (pointer: string, detail: string): WireError => ({
  status: 400,
  code: "invalid",
  title: "Invalid input.",
  detail,
  source: { pointer },
})

/**
 * Klaviyo writes date-times as Python's `isoformat` does: microseconds when there are any
 * (`2025-05-03T17:51:08.502977+00:00`), then `+00:00`; old revisions wrote them without an offset.
 */
export const formatDate = (date: Date | null | undefined, legacy: boolean): string | null | undefined => {
  if (date === null || date === undefined) return date
  const text = date.toISOString()
  if (legacy) return text.slice(0, 19)
  const millis = text.slice(20, 23)
  return `${text.slice(0, 19)}${millis === "000" ? "" : `.${millis}000`}+00:00`
}

/** Any value as the wire has it: dates formatted, `undefined` as `null`. */
export const wireValue = (value: unknown, legacy: boolean): unknown =>
  value instanceof Date ? formatDate(value, legacy) : value === undefined ? null : value

/** The external id within a compound id (`$custom:::$default:::SHOES` is `SHOES`). */
export const externalIdOf = (id: string): string => {
  const at = id.lastIndexOf(":::")
  return at < 0 ? id : id.slice(at + 3)
}

/** The compound id a create record gets: `{integration}:::{catalog}:::{external_id}`. */
export const compoundId = (record: { readonly [member: string]: unknown }): string => {
  const integration = typeof record["integration_type"] === "string" ? record["integration_type"] : "$custom"
  const catalog = typeof record["catalog_type"] === "string" ? record["catalog_type"] : "$default"
  return `${integration}:::${catalog}:::${String(record["external_id"])}`
}

/** The short name of a catalog resource in a message: `item`, `variant`, `category`. */
export const nounOf = (resource: string): string => resource.replace(/^catalog-/, "")

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const base32 = (value: bigint, length: number): string => {
  let out = ""
  let rest = value
  for (let i = 0; i < length; i++) {
    out = CROCKFORD[Number(rest % 32n)]! + out
    rest /= 32n
  }
  return out
}

/**
 * A job id as Klaviyo makes them, a 26-character ULID: the creation time in milliseconds (10
 * characters), then the model's count of jobs created so far (16 characters) instead of
 * randomness, so that ids are foreseeable and sort by creation.
 */
export const jobId = (nowMillis: number, sequence: number): string =>
  `${base32(BigInt(Math.max(0, Math.floor(nowMillis))), 10)}${base32(BigInt(sequence), 16)}`
