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

const isoDateTime =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * Parses an ISO 8601 date-time as Klaviyo writes it. A value without an offset
 * (`2022-11-08T00:00:00`) is UTC, whatever the machine's time zone; fractions finer than a
 * millisecond (`.mmmmmm`) are truncated, since `Date` cannot hold them and some engines refuse
 * to parse them.
 */
export const parseUtcDateTime = (text: string): Date | undefined => {
  const match = isoDateTime.exec(text)
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

/** Whether `YYYY-MM-DD` and `HH:MM:SS` name a real moment (engines roll `02-30` or `24:00` over instead). */
const isRealDateTime = (day: string, time: string): boolean => {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number]
  const [hours, minutes, seconds] = time.split(":").map(Number) as [number, number, number]
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return month >= 1 && month <= 12 && date >= 1 && date <= daysInMonth && hours <= 23 && minutes <= 59 &&
    seconds <= 59
}

/** A date-time string on the wire, a `Date` in the program; see {@link parseUtcDateTime}. */
export const UtcDateTime: Schema.decodeTo<Schema.Date, Schema.String> = Schema.String.pipe(
  Schema.decodeTo(
    Schema.Date,
    SchemaTransformation.makeTransformation({
      decode: SchemaGetter.transformEffect<Date, string>((text, options) => {
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
      encode: SchemaGetter.transform((date: Date) => date.toISOString()),
    }),
  ),
)

/** A whole number; Klaviyo's counts may be negative in its examples, so no sign is imposed. */
export const Integer: Schema.Number = Schema.Number.check(Schema.isInt())
