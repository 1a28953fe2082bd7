/**
 * The records file of `write` as CSV (a file whose name ends in `.csv`): a header row naming the
 * fields, then one record a row, read as it streams (never whole) through `csv-parse`, once to
 * count its records and hash it (the write's default id), once to write them. Each cell is read
 * as its field takes it (`bulkWriteRecordFromText`); a row whose cells do not match the header,
 * or a cell that is not what its field takes, becomes a record the write refuses, whose reason
 * names the line. A file CSV cannot read (a quote never closed) fails the write before its end,
 * with the line.
 *
 * @module
 */
import { createHash } from "node:crypto"
import { createReadStream } from "node:fs"
import { resolve } from "node:path"
import { type Info, parse } from "csv-parse"
import * as Effect from "effect/Effect"
import * as PlatformError from "effect/PlatformError"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { type BulkWriteKind, bulkWriteRecordFromText } from "../mod.ts"
import { type LineBook, lineBook, type LineBreak, type Scanned } from "./records-file.ts"

/** One row as csv-parse gives it with `info`: its cells and where it ends. */
interface Row {
  readonly record: ReadonlyArray<string>
  readonly info: Info
}

/** The rows of a file, header first; blank lines skipped. */
const rows = (path: string): Stream.Stream<Row, PlatformError.PlatformError> =>
  Stream.fromAsyncIterable(
    createReadStream(path).pipe(
      parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
    ),
    (cause) =>
      PlatformError.badArgument({
        module: "csv",
        method: "parse",
        description: `${path} is not CSV: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      }),
  ) as Stream.Stream<Row, PlatformError.PlatformError>

/** Counts the records (rows after the header) and derives the write's default id from the content. */
export const scanCsvFile = (
  path: string,
  kind: { readonly resource: string; readonly operation: string },
): Effect.Effect<Scanned, PlatformError.PlatformError> =>
  Effect.suspend(() => {
    const hash = createHash("sha256").update(`${kind.resource}\n${kind.operation}\n${resolve(path)}\n`)
    let seen = 0
    return rows(path).pipe(
      Stream.runForEach((row) =>
        Effect.sync(() => {
          hash.update(`${JSON.stringify(row.record)}\n`)
          seen++
        })
      ),
      Effect.map(() => ({
        records: Math.max(0, seen - 1),
        id: `cli-${kind.resource}-${kind.operation}-${hash.digest("hex").slice(0, 24)}`,
      })),
    )
  })

/**
 * The records of a CSV file, in order, and the book of their lines (each record's last line; a
 * cell with a line break makes a record span several).
 */
export const readCsvRecords = (
  path: string,
  kind: BulkWriteKind,
): { readonly records: Stream.Stream<unknown, PlatformError.PlatformError>; readonly book: LineBook } => {
  // From breaks[k].index on, a record's line is its index + breaks[k].offset (2: the header's, and the record's own).
  const breaks: Array<LineBreak> = []
  const bad = new Map<number, string>()
  const records = Stream.suspend(() => {
    let header: ReadonlyArray<string> | undefined
    let index = 0
    // csv-parse counts a CRLF inside a quoted cell as two lines: the count, taken back.
    let overcount = 0
    return rows(path).pipe(
      Stream.filterMap((row) => {
        for (const cell of row.record) overcount += cell.split("\r\n").length - 1
        if (header === undefined) {
          header = row.record.map((name) => name.trim())
          return Result.fail(undefined)
        }
        const at = index++
        const line = row.info.lines - overcount
        const offset = line - at
        if ((breaks.at(-1)?.offset ?? 2) !== offset) breaks.push({ index: at, offset })
        if (row.record.length !== header.length) {
          const cells = `${row.record.length} ${row.record.length === 1 ? "cell" : "cells"}`
          bad.set(at, `line ${line} has ${cells}, the header ${header.length}`)
          return Result.succeed<unknown>(row.record.join(","))
        }
        const cells: { [column: string]: string } = {}
        header.forEach((name, i) => (cells[name] = row.record[i]!))
        const record = bulkWriteRecordFromText(kind, cells)
        if (Result.isSuccess(record)) return Result.succeed<unknown>(record.success)
        bad.set(
          at,
          `line ${line}: ${typeof record.failure === "string" ? record.failure : record.failure.message}`,
        )
        return Result.succeed<unknown>(row.record.join(","))
      }),
    )
  })
  return { records, book: lineBook(breaks, 2, bad) }
}
