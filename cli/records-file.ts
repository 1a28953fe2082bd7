/**
 * The records file of `write`: JSON Lines, read line by line (never whole), once to count its
 * records and hash it (the write's default id), once to write them. A blank line is skipped; a
 * line that is not JSON becomes a record the write refuses, whose reason names the line.
 *
 * @module
 */
import { createHash } from "node:crypto"
import { resolve } from "node:path"
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import type * as PlatformError from "effect/PlatformError"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"

/** The lines of a file, without their line breaks, as they are read. */
const lines = (fs: FileSystem.FileSystem, path: string): Stream.Stream<string, PlatformError.PlatformError> =>
  fs.stream(path).pipe(Stream.decodeText(), Stream.splitLines)

const blank = (line: string): boolean => line.trim() === ""

/** What the first reading of a file finds: how many records it holds, and its write's default id. */
export interface Scanned {
  readonly records: number
  readonly id: string
}

/**
 * Counts the records of a file and derives the default id of its write from what is written
 * (the kind), where (the absolute path) and the content: the same command on the same file
 * gives the same id, and so resumes the write.
 */
export const scanFile = (
  fs: FileSystem.FileSystem,
  path: string,
  kind: { readonly resource: string; readonly operation: string },
): Effect.Effect<Scanned, PlatformError.PlatformError> =>
  Effect.suspend(() => {
    const hash = createHash("sha256").update(`${kind.resource}\n${kind.operation}\n${resolve(path)}\n`)
    let records = 0
    return lines(fs, path).pipe(
      Stream.runForEach((line) =>
        Effect.sync(() => {
          hash.update(`${line}\n`)
          if (!blank(line)) records++
        })
      ),
      Effect.map(() => ({
        records,
        id: `cli-${kind.resource}-${kind.operation}-${hash.digest("hex").slice(0, 24)}`,
      })),
    )
  })

/** Where each record of a file came from: its line, and why a line that is not JSON is not. */
export interface LineBook {
  /** The line (from 1) of the record at `index` (from 0). */
  readonly lineOf: (index: number) => number
  /** The reason for a record that was a line of text that is not JSON, by index. */
  readonly notJson: (index: number) => string | undefined
}

/** Where the line of the records from `index` on stops being `index + 1` (or the previous offset). */
export interface LineBreak {
  readonly index: number
  readonly offset: number
}

/**
 * The book of a file read with `breaks` (in order of `index`): a record's line is its index plus
 * the offset of the last break at or before it, `first` before any.
 */
export const lineBook = (
  breaks: ReadonlyArray<LineBreak>,
  first: number,
  bad: ReadonlyMap<number, string>,
): LineBook => ({
  lineOf: (index) => {
    let low = 0
    let high = breaks.length - 1
    let offset = first
    while (low <= high) {
      const middle = (low + high) >> 1
      if (breaks[middle]!.index <= index) {
        offset = breaks[middle]!.offset
        low = middle + 1
      } else high = middle - 1
    }
    return index + offset
  },
  notJson: (index) => bad.get(index),
})

/**
 * The records of a file, in order, and the book of their lines (filled as they are read). The
 * book keeps one entry for each run of blank lines and each line that is not JSON, not one a
 * record.
 */
export const readRecords = (
  fs: FileSystem.FileSystem,
  path: string,
): { readonly records: Stream.Stream<unknown, PlatformError.PlatformError>; readonly book: LineBook } => {
  // From breaks[k].index on, a record's line is its index + breaks[k].offset (1 + the blank lines).
  const breaks: Array<LineBreak> = []
  const bad = new Map<number, string>()
  const records = Stream.suspend(() => {
    let line = 0
    let index = 0
    let skipped = 0
    return lines(fs, path).pipe(
      Stream.filterMap((text) => {
        line++
        if (blank(text)) {
          skipped++
          if (breaks.at(-1)?.index === index) breaks.pop()
          breaks.push({ index, offset: 1 + skipped })
          return Result.fail(undefined)
        }
        const at = index++
        try {
          return Result.succeed(JSON.parse(text) as unknown)
        } catch (cause) {
          const why = cause instanceof Error ? cause.message : String(cause)
          bad.set(at, `line ${line} is not JSON (${why})`)
          return Result.succeed<unknown>(text)
        }
      }),
    )
  })
  return { records, book: lineBook(breaks, 1, bad) }
}
