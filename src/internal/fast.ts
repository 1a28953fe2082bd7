/**
 * Plain-code twins of attribute schemas, derived from the schema itself: a walk over its AST
 * that knows a few shapes (string, number, boolean, literals, `NullOr`, arrays, open records,
 * the library's `UtcDateTime` and `Integer`) and gives up on everything else. A twin returns
 * what the schema would decode, or {@link DECLINE} for a value it is not sure of (the schema
 * then decides, and reports). No resource has twins written by hand. The same walk gives the
 * check of a job's records before its POST ({@link recordCheckOf}): a record it passes is one
 * the record's Schema accepts unchanged, and the Schema decides every other one.
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

/** Effect's id of its `isFinite` check (`Schema.isFinite()`), as the check's annotations carry it. */
const FINITE = "effect/schema/isFinite"

/**
 * A number whose only checks are `isFinite`: the `number` twin decides it as it stands (it
 * declines NaN and the infinities, and every finite number passes the check).
 */
const isFiniteNumber = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Number" && ast.encoding === undefined && ast.checks !== undefined &&
  ast.checks.every((check) => check._tag === "Filter" && check.annotations?.representation?.id === FINITE)

/**
 * The twin of an AST, or `undefined` when the schema must decide every value. `input`: the value
 * is part of a record some code built, not parsed JSON, so a list must be a plain array and an
 * open object a plain object with no symbol key (the schema would copy another array or object
 * into a plain one, and an enumerable symbol key is excess under `onExcessProperty: "error"`).
 */
const twinOfAst = (ast: SchemaAST.AST, input: boolean): Twin | undefined =>
  ast.context === undefined ? twinOfType(ast, input) : undefined

/** The twin of an AST, whatever its key context (`optionalKey`) says: {@link twinOfAst}'s walk. */
const twinOfType = (ast: SchemaAST.AST, input: boolean): Twin | undefined => {
  // The library's own schemas, recognised by identity (their AST carries checks or an encoding).
  if (ast === UtcDateTime.ast) return dateTime
  if (ast === Integer.ast) return integer
  if (isFiniteNumber(ast)) return number
  if (ast.encoding !== undefined || ast.checks !== undefined) return undefined
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
        const twin = twinOfAst(nonNull[0]!, input)
        return twin === undefined ? undefined : (value) => value === null ? null : twin(value)
      }
      return undefined
    }
    case "Arrays": {
      if (ast.elements.length > 0 || ast.rest.length !== 1) return undefined
      const element = twinOfAst(ast.rest[0]!, input)
      // Elements the schema must decide (a job's errors): an empty list is still plain.
      if (element === undefined) return (value) => Array.isArray(value) && value.length === 0 ? [] : DECLINE
      return (value) => {
        // A record's list some code built: a plain array (the schema would copy another one).
        if (!Array.isArray(value) || (input && Object.getPrototypeOf(value) !== Array.prototype)) {
          return DECLINE
        }
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
      if (
        ast.propertySignatures.length > 0 || index === undefined || others.length > 0 ||
        index.parameter._tag !== "String" || !plain(index.parameter) || index.type._tag !== "Unknown" ||
        !plain(index.type)
      ) return undefined
      // A record some code built: a plain object of string keys, or the schema decides (it would
      // copy another object into a plain one, and count an enumerable symbol key as excess).
      return input
        ? (value) =>
          isOpenObject(value) && Object.getPrototypeOf(value) === Object.prototype &&
            Object.getOwnPropertySymbols(value).length === 0
            ? value
            : DECLINE
        : (value) => isOpenObject(value) ? value : DECLINE
    }
    default:
      return undefined
  }
}

/** The plain-code twin of a schema, or `undefined` when there is none. */
export const twinOf = (schema: Schema.Top): Twin | undefined => twinOfAst(schema.ast, false)

/**
 * A plain-code check of a record: `true` when the schema surely accepts it, unchanged (decoded
 * with `errors: "all"` and `onExcessProperty: "error"`, it gives an equal value); `false` when it
 * does not know, and the schema must decide (and report).
 */
export type RecordCheck = (record: unknown) => boolean

const unknown: RecordCheck = () => false

/**
 * The {@link RecordCheck} of a struct schema, derived from its AST in one walk: each member's
 * twin (see {@link twinOf}), and whether the member may be absent. A struct with checks, an
 * encoding or index signatures, or a member with a default, gets a check that never knows; a
 * member whose schema has no twin makes every record that holds it one to leave to the schema.
 * It reads the record as the schema does (each member as `name in record`), and knows only a
 * plain object whose members are its own enumerable keys, with no other key (an excess key, a
 * symbol, a member not enumerable or found on the prototype: the schema decides).
 *
 * @example
 * ```ts
 * import * as Schema from "effect/Schema"
 * import { recordCheckOf } from "./fast.ts"
 *
 * const check = recordCheckOf(Schema.Struct({ id: Schema.String }))
 * check({ id: "a" }) // true
 * check({ id: 1 }) // false: the schema decides
 * ```
 */
export const recordCheckOf = (schema: Schema.Top): RecordCheck => {
  const ast = schema.ast
  if (ast._tag !== "Objects" || !plain(ast) || ast.indexSignatures.length > 0) return unknown
  const names: Array<string> = []
  const twins: Array<Twin | undefined> = []
  const required: Array<boolean> = []
  for (const property of ast.propertySignatures) {
    const { name, type } = property
    // `__proto__` is read another way (own keys only); a number or symbol key: not worth it.
    if (typeof name !== "string" || name === "__proto__") return unknown
    if (type.context?.constructorDefault !== undefined) return unknown
    names.push(name)
    twins.push(twinOfType(type, true))
    required.push(type.context?.isOptional !== true)
  }
  const members = new Set(names)
  const count = names.length
  return (record) => {
    // A plain object (the schema would copy another one into a plain one).
    if (typeof record !== "object" || record === null || Object.getPrototypeOf(record) !== Object.prototype) {
      return false
    }
    // Every enumerable key a member, and no symbol key: the schema decides an excess key.
    // (`Object.keys` costs a fraction of `Reflect.ownKeys`; a hidden member is counted below.)
    const keys = Object.keys(record)
    if (keys.length > count) return false
    for (let i = 0; i < keys.length; i++) if (!members.has(keys[i]!)) return false
    if (Object.getOwnPropertySymbols(record).length > 0) return false
    const fields = record as { readonly [key: string]: unknown }
    let present = 0
    for (let i = 0; i < count; i++) {
      const name = names[i]!
      // Read as the schema reads it (`in`, the prototype too).
      if (!(name in fields)) {
        if (required[i]) return false
        continue
      }
      present++
      const twin = twins[i]
      if (twin === undefined) return false
      const value = fields[name]
      const decoded = twin(value)
      // Accepted unchanged: the twin gives the value back (a date would be another value).
      if (decoded !== value || decoded === DECLINE) return false
    }
    // A member found on the prototype, or not enumerable: the schema would decode it as one.
    return present === keys.length
  }
}
