/**
 * Schemas for values that recur across Klaviyo resources.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaTransformation from "effect/SchemaTransformation"

/** Days in each month of a common year. */
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Character codes the scanner compares with (`T`, `t`, `Z`, `z` and space are written as numbers where used). */
const DASH = 45, COLON = 58, DOT = 46, PLUS = 43

/** The digit at `index` (0-9), or -1. */
const digit = (text: string, index: number): number => {
  const code = text.charCodeAt(index) - 48
  return code >= 0 && code <= 9 ? code : -1
}

/** The two-digit number at `index`, or -1. */
const twoDigits = (text: string, index: number): number => {
  const tens = digit(text, index)
  const ones = digit(text, index + 1)
  return tens < 0 || ones < 0 ? -1 : tens * 10 + ones
}

/**
 * Days from 1970-01-01 to a day of the proleptic Gregorian calendar (years 100 and later), in
 * plain arithmetic: what `Date.UTC` computes, without a call into the engine's runtime (which
 * cost more than the rest of the scan, once per timestamp).
 */
const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

/**
 * Parses an ISO 8601 date-time as Klaviyo writes it. A value without an offset
 * (`2022-11-08T00:00:00`) is UTC, whatever the machine's time zone; fractions finer than a
 * millisecond (`.mmmmmm`) are truncated, since `Date` cannot hold them and some engines refuse
 * to parse them.
 *
 * The accepted form is `YYYY-MM-DD(T|t| )HH:MM[:SS][.f+][Z|z|(+|-)HH[[:]MM]]`, read character
 * by character (every document holds one or more of these, a job with its categories hundreds).
 */
export const parseUtcDateTime = (text: string): Date | undefined => {
  const y1 = digit(text, 0), y2 = digit(text, 1), y3 = digit(text, 2), y4 = digit(text, 3)
  if (y1 < 0 || y2 < 0 || y3 < 0 || y4 < 0 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) {
    return undefined
  }
  const year = y1 * 1000 + y2 * 100 + y3 * 10 + y4
  const month = twoDigits(text, 5)
  const day = twoDigits(text, 8)
  const separator = text.charCodeAt(10)
  if (month < 0 || day < 0 || (separator !== 84 && separator !== 116 && separator !== 32)) return undefined
  const hours = twoDigits(text, 11)
  const minutes = twoDigits(text, 14)
  if (hours < 0 || text.charCodeAt(13) !== COLON || minutes < 0) return undefined
  let at = 16
  let seconds = 0
  if (text.charCodeAt(at) === COLON) {
    seconds = twoDigits(text, at + 1)
    if (seconds < 0) return undefined
    at += 3
  }
  let millis = 0
  if (text.charCodeAt(at) === DOT) {
    const start = ++at
    while (digit(text, at) >= 0) at++
    if (at === start) return undefined
    // Milliseconds: the first three digits, padded (".5" is 500).
    for (let i = start; i < start + 3; i++) millis = millis * 10 + (i < at ? digit(text, i) : 0)
  }
  let offset = 0
  const zone = text.charCodeAt(at)
  if (zone === 90 || zone === 122) {
    at++
  } else if (zone === PLUS || zone === DASH) {
    const offsetHours = twoDigits(text, at + 1)
    if (offsetHours < 0) return undefined
    at += 3
    let offsetMinutes = 0
    if (at < text.length) {
      if (text.charCodeAt(at) === COLON) at++
      offsetMinutes = twoDigits(text, at)
      if (offsetMinutes < 0) return undefined
      at += 2
    }
    // Offsets past 23:59 are refused by every engine; years before 100 (which `Date.UTC` maps
    // to 19xx) are left to the engine's own parser: both keep the slow path's reading.
    if (offsetHours > 23 || offsetMinutes > 59) return at === text.length ? parseViaString(text) : undefined
    offset = (zone === DASH ? -1 : 1) * (offsetHours * 60 + offsetMinutes)
  }
  if (at !== text.length) return undefined
  if (year < 100) return parseViaString(text)
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const daysInMonth = month === 2 && leap ? 29 : monthDays[month - 1]
  if (
    daysInMonth === undefined || day < 1 || day > daysInMonth || hours > 23 || minutes > 59 || seconds > 59
  ) return undefined
  const time = daysFromCivil(year, month, day) * 86_400_000 + hours * 3_600_000 + minutes * 60_000 +
    seconds * 1000 + millis - offset * 60_000
  const date = new Date(time)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * The same reading through the engine's own ISO parser: a canonical string built from the
 * parts, checked for a real day and time first (engines roll `02-30` or `24:00` over instead).
 */
const parseViaString = (text: string): Date | undefined => {
  const match = isoDateTimeParts.exec(text)
  if (match === null) return undefined
  const [, day, time, fraction, zone] = match
  const millis = fraction === undefined ? "" : `.${fraction.slice(0, 3).padEnd(3, "0")}`
  const offset = zone === undefined || zone === "Z" || zone === "z"
    ? "Z"
    : zone.length === 3
    ? `${zone}:00`
    : zone.includes(":")
    ? zone
    : `${zone.slice(0, 3)}:${zone.slice(3)}`
  const seconds = time!.length === 5 ? `${time}:00` : time!
  if (!isRealDateTime(day!, seconds)) return undefined
  const date = new Date(`${day}T${seconds}${millis}${offset}`)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** The form {@link parseUtcDateTime} accepts, as a pattern. */
const isoDateTimeParts =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/

/** Whether `YYYY-MM-DD` and `HH:MM:SS` name a real moment (engines roll `02-30` or `24:00` over instead). */
const isRealDateTime = (day: string, time: string): boolean => {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number]
  const [hours, minutes, seconds] = time.split(":").map(Number) as [number, number, number]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return month >= 1 && month <= 12 && date >= 1 && date <= daysInMonth && hours <= 23 && minutes <= 59 &&
    seconds <= 59
}

/** A date-time string on the wire, a `Date` in the program; see {@link parseUtcDateTime}. */
export const UtcDateTime: Schema.decodeTo<Schema.Date, Schema.String> = /* @__PURE__ */ Schema.String.pipe(
  /* @__PURE__ */ Schema.decodeTo(
    Schema.Date,
    /* @__PURE__ */ SchemaTransformation.makeTransformation({
      decode: /* @__PURE__ */ SchemaGetter.transformEffect<Date, string>((text, options) => {
        const date = parseUtcDateTime(text)
        return date === undefined
          ? Effect.fail(
            new SchemaIssue.InvalidValue(
              { message: `Expected an ISO 8601 date-time, found ${JSON.stringify(text.slice(0, 60))}` },
              text,
              options,
            ),
          )
          : Effect.succeed(date)
      }),
      encode: /* @__PURE__ */ SchemaGetter.transform((date: Date) => date.toISOString()),
    }),
  ),
)

/** A whole number; Klaviyo's counts may be negative in its examples, so no sign is imposed. */
export const Integer: Schema.Number = /* @__PURE__ */ Schema.Number.check(/* @__PURE__ */ Schema.isInt())

/** What a fast attribute decoder answers for a value it leaves to the schema. */
export const DECLINE: unique symbol = /* @__PURE__ */ Symbol("DECLINE")
