/**
 * The records a bulk write did not write, as JSON Lines: one line a record, to fix and submit
 * again. Each line is an object whose last member is the record as given; the members before
 * it say what happened:
 *
 * ```text
 * {"outcome":"failed","index":3,"key":"SHIRT-3","job":"01J…","reason":"A category … does not exist.","errors":[…],"record":{…}}
 * ```
 *
 * `readFailedRecords` takes such lines back to records (`record` of each), so that a fixed file
 * feeds a new `bulkWrite` as it is.
 *
 * @module
 */
import type { BulkWriteFailed, BulkWriteReport, BulkWriteUnknown } from "./outcome.ts"

/** A bigint, which JSON cannot hold, written as its digits. */
const safe = (_key: string, value: unknown): unknown => typeof value === "bigint" ? value.toString() : value

/**
 * One line of the failed-records file (no line break): what happened, then the record.
 *
 * @example
 * ```ts
 * import { failedRecordLine } from "@effect-klaviyo/catalog-jobs"
 *
 * const line = failedRecordLine({
 *   outcome: "failed",
 *   index: 3,
 *   key: "SHIRT-3",
 *   job: "01J0000000000000000000000A",
 *   reason: "A category with the external id `shoes` does not exist.",
 *   errors: [],
 *   record: { external_id: "SHIRT-3", title: "Shirt", description: "Blue", url: "https://example.com/3" },
 * })
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export const failedRecordLine = (outcome: BulkWriteFailed | BulkWriteUnknown): string => {
  const { record, ...about } = outcome
  const head = JSON.stringify(about, safe)
  let body: string
  try {
    body = JSON.stringify(record, safe) ?? "null"
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    body = JSON.stringify({ unencodable: why })
  }
  return `${head.slice(0, -1)},"record":${body}}`
}

/**
 * Every line of the failed-records file of a report, in input order: the failed records, and,
 * unless `unknown: false`, those whose fate is unknown.
 *
 * @example
 * ```ts
 * import { type BulkWriteReport, failedRecordLines } from "@effect-klaviyo/catalog-jobs"
 *
 * const file = (report: BulkWriteReport): string => [...failedRecordLines(report)].map((line) => `${line}\n`).join("")
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export function* failedRecordLines(
  report: BulkWriteReport,
  options?: { readonly unknown?: boolean },
): Generator<string, void, undefined> {
  const failed = report.failed
  const unknown = options?.unknown === false ? [] : report.unknown
  let f = 0
  let u = 0
  while (f < failed.length || u < unknown.length) {
    const next = u >= unknown.length || (f < failed.length && failed[f]!.index < unknown[u]!.index)
      ? failed[f++]!
      : unknown[u++]!
    yield failedRecordLine(next)
  }
}

/**
 * The records of failed-records lines (fixed or not), ready for another `bulkWrite`. A blank
 * line is skipped; a line that is not such an object comes through as the text it is, and the
 * write then refuses it, naming it.
 *
 * @example
 * ```ts
 * import { readFailedRecords } from "@effect-klaviyo/catalog-jobs"
 *
 * const records = [...readFailedRecords(['{"outcome":"failed","index":0,"reason":"…","errors":[],"record":{"id":"$custom:::$default:::A"}}'])]
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export function* readFailedRecords(lines: Iterable<string>): Generator<unknown, void, undefined> {
  for (const line of lines) {
    if (line.trim() === "") continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      yield line
      continue
    }
    yield typeof parsed === "object" && parsed !== null && Object.hasOwn(parsed, "record")
      ? (parsed as { readonly record: unknown }).record
      : line
  }
}
