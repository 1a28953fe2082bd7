/**
 * Plain-code twins of attribute schemas, derived from the schema itself: a walk over its AST
 * that knows a few shapes (string, number, boolean, literals, `NullOr`, arrays, open records,
 * the library's `UtcDateTime` and `Integer`) and gives up on everything else. A twin returns
 * what the schema would decode, or {@link DECLINE} for a value it is not sure of (the schema
 * then decides, and reports). No resource has twins written by hand.
 *
 * @internal
 */
import type * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import { DECLINE, Integer, parseUtcDateTime, UtcDateTime } from "./schemas.ts"

/** A plain-code decoder: the decoded value, or {@link DECLINE}. */
export type Twin = (value: unknown) => unknown

const plain = (ast: SchemaAST.AST): boolean =>
  ast.encoding === undefined && ast.checks === undefined && ast.context === undefined

const string: Twin = (value) => typeof value === "string" ? value : DECLINE
const number: Twin = (value) => typeof value === "number" && Number.isFinite(value) ? value : DECLINE
const boolean: Twin = (value) => typeof value === "boolean" ? value : DECLINE
const integer: Twin = (value) => Number.isSafeInteger(value) ? value : DECLINE
const dateTime: Twin = (value) => typeof value === "string" ? parseUtcDateTime(value) ?? DECLINE : DECLINE

const isOpenObject = (value: unknown): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The twin of an AST, or `undefined` when the schema must decide every value. */
const twinOfAst = (ast: SchemaAST.AST): Twin | undefined => {
  // The library's own schemas, recognised by identity (their AST carries checks or an encoding).
  if (ast === UtcDateTime.ast) return dateTime
  if (ast === Integer.ast) return integer
  if (!plain(ast)) return undefined
  switch (ast._tag) {
    case "String":
      return string
    case "Number":
      return number
    case "Boolean":
      return boolean
    case "Unknown":
      return (value) => value
    case "Literal": {
      const literal = ast.literal
      return (value) => value === literal ? value : DECLINE
    }
    case "Union": {
      const members = ast.types
      if (members.every((member) => member._tag === "Literal" && plain(member))) {
        const allowed = new Set(members.map((member) => (member as SchemaAST.Literal).literal))
        return (value) => allowed.has(value as SchemaAST.LiteralValue) ? value : DECLINE
      }
      const nonNull = members.filter((member) => member._tag !== "Null")
      if (members.length === 2 && nonNull.length === 1) {
        const twin = twinOfAst(nonNull[0]!)
        return twin === undefined ? undefined : (value) => value === null ? null : twin(value)
      }
      return undefined
    }
    case "Arrays": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
      const element = twinOfAst(ast.rest[0]!)
      // Elements the schema must decide (a job's errors): an empty list is still plain.
      if (element === undefined) return (value) => Array.isArray(value) && value.length === 0 ? [] : DECLINE
      return (value) => {
        if (!Array.isArray(value)) return DECLINE
        // The parsed array itself while every element decodes to itself (strings, numbers, ...):
        // a copy only from the first element that decodes to another value (a date).
        let out: Array<unknown> | undefined
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i]
          const decoded = element(item)
          if (decoded === DECLINE) return DECLINE
          if (out !== undefined) out.push(decoded)
          else if (decoded !== item) {
            out = value.slice(0, i)
            out.push(decoded)
          }
        }
        return out ?? value
      }
    }
    case "Objects": {
      // An open record of anything (`custom_metadata`): every object, as it came.
      const [index, ...others] = ast.indexSignatures
      return ast.propertySignatures.length === 0 && index !== undefined && others.length === 0 &&
          index.parameter._tag === "String" && index.type._tag === "Unknown"
        ? (value) => isOpenObject(value) ? value : DECLINE
        : undefined
    }
    default:
      return undefined
  }
}

/** The plain-code twin of a schema, or `undefined` when there is none. */
export const twinOf = (schema: Schema.Top): Twin | undefined => twinOfAst(schema.ast)
