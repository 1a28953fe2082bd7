/**
 * A record of a bulk write from cells of text (a row of a CSV file, a spreadsheet's export):
 * each cell read as its field's Schema wants it, so that a file of text can feed `bulkWrite`.
 *
 * @module
 */
import * as Result from "effect/Result"
import type * as SchemaAST from "effect/SchemaAST"
import { InvalidRequest } from "../errors.ts"
import { type BulkWriteKind, kindSpec } from "./kind.ts"

/** Whether a field's values are text only (a string, a string literal, or either, or null). */
const isText = (ast: SchemaAST.AST): boolean => {
  switch (ast._tag) {
    case "String":
      return true
    case "Literal":
      return typeof ast.literal === "string"
    case "Union": {
      const others = ast.types.filter((member) => member._tag !== "Null")
      return others.length > 0 && others.every(isText)
    }
    default:
      return false
  }
}

/** Whether a field holds a list of strings (read from `a;b` as well as from JSON). */
const isTextList = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Arrays"
    ? ast.rest.length === 1 && isText(ast.rest[0]!)
    : ast._tag === "Union" && ast.types.some(isTextList)

/** How each field of a kind's records is read from text, by kind. */
const readers = /* @__PURE__ */ new Map<string, ReadonlyMap<string, "text" | "list" | "json">>()

const readerOf = (kind: BulkWriteKind): ReadonlyMap<string, "text" | "list" | "json"> | undefined => {
  const name = `${kind.resource}/${kind.operation}`
  const known = readers.get(name)
  if (known !== undefined) return known
  const spec = kindSpec(kind)
  if (spec === undefined) return undefined
  const reader = new Map<string, "text" | "list" | "json">()
  for (const field of (spec.row.record.ast as SchemaAST.Objects).propertySignatures) {
    reader.set(String(field.name), isText(field.type) ? "text" : isTextList(field.type) ? "list" : "json")
  }
  readers.set(name, reader)
  return reader
}

/**
 * The record of `kind` that a row of text cells (column name to cell) stands for. A cell of a
 * text field is its text; a cell of a list of ids (`categories`, `items`, `images`) is a JSON
 * array or its items separated by `;`; a cell of another field (a number, a boolean, an
 * object such as `custom_metadata`, `null`) is read as JSON. An empty cell leaves its field
 * out; a column that is no field of the kind is kept as it is, for the write to refuse. Fails
 * with the reason when a cell is not what its field takes (`kind` unknown: an
 * `InvalidRequest`). The write checks the record itself, as it checks every record.
 *
 * @example Read a row of a CSV file
 * ```ts
 * import { Result } from "effect"
 * import { bulkWriteRecordFromText } from "@effect-klaviyo/catalog-jobs"
 *
 * const row = { external_id: "SHIRT-1", title: "Shirt", price: "19.5", categories: "$custom:::$default:::A;$custom:::$default:::B" }
 * const record = bulkWriteRecordFromText({ resource: "catalog-item", operation: "create" }, row)
 * // Result.succeed({ external_id: "SHIRT-1", title: "Shirt", price: 19.5, categories: ["$custom:::$default:::A", "$custom:::$default:::B"] })
 * const price = Result.isSuccess(record) ? record.success["price"] : undefined
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export const bulkWriteRecordFromText = (
  kind: BulkWriteKind,
  row: { readonly [column: string]: string },
): Result.Result<{ readonly [field: string]: unknown }, string | InvalidRequest> => {
  const reader = typeof kind === "object" && kind !== null ? readerOf(kind) : undefined
  if (reader === undefined) {
    return Result.fail(new InvalidRequest({ input: "kind", reason: "the kind is not a kind of bulk write" }))
  }
  const record: { [field: string]: unknown } = {}
  for (const [column, cell] of Object.entries(row)) {
    if (cell === "") continue
    const how = reader.get(column) ?? "text"
    if (how === "text") record[column] = cell
    else if (how === "list" && !cell.trimStart().startsWith("[")) {
      record[column] = cell.split(";").map((item) => item.trim()).filter((item) => item !== "")
    } else {
      try {
        record[column] = JSON.parse(cell) as unknown
      } catch (cause) {
        const why = cause instanceof Error ? cause.message : String(cause)
        return Result.fail(`the cell of ${column} is not JSON (${why})`)
      }
    }
  }
  return Result.succeed(record)
}
