/**
 * Klaviyo's validation of a job-creating POST, read from the row: the JSON:API body of the
 * spec's request schema (the job type, `attributes.{collection}.data`, each resource's type, id,
 * attributes and relationships), at most 100 records, each record checked by the row's Schema.
 * Every problem is one error with its `source.pointer`.
 *
 * @internal
 */
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { JobRoute } from "./routes.ts"
import type { SimulatedRecord } from "./types.ts"
import { invalidPointer, type WireError } from "./wire.ts"

const formatter = /* @__PURE__ */ SchemaIssue.makeFormatterStandardSchemaV1()

type Json = { readonly [member: string]: unknown }

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`

/** The relationship ids of one resource, flat, or the errors of its `relationships`. */
const relationshipsOf = (
  route: JobRoute,
  at: string,
  relationships: unknown,
  errors: Array<WireError>,
): Record<string, unknown> => {
  const flat: Record<string, unknown> = {}
  if (relationships === undefined) return flat
  if (!isObject(relationships)) {
    errors.push(invalidPointer(`${at}/relationships`, `Expected an object, found ${kindOf(relationships)}.`))
    return flat
  }
  for (const [name, value] of Object.entries(relationships)) {
    const declared = route.relationships[name]
    const pointer = `${at}/relationships/${name}`
    if (declared === undefined) {
      errors.push(
        invalidPointer(
          pointer,
          `'${name}' is not a valid relationship for the resource '${route.resource}'.`,
        ),
      )
      continue
    }
    const data = isObject(value) ? value["data"] : undefined
    const linkage = declared.many
      ? (Array.isArray(data) ? data : undefined)
      : isObject(data)
      ? [data]
      : undefined
    if (linkage === undefined) {
      const expected = declared.many ? "a list of resource identifiers" : "a resource identifier"
      errors.push(invalidPointer(`${pointer}/data`, `Expected ${expected} under 'data'.`))
      continue
    }
    const ids: Array<unknown> = []
    linkage.forEach((identifier: unknown, j) => {
      const where = declared.many ? `${pointer}/data/${j}` : `${pointer}/data`
      if (
        !isObject(identifier) || identifier["type"] !== declared.type || typeof identifier["id"] !== "string"
      ) {
        errors.push(
          invalidPointer(
            where,
            `Expected a resource identifier of type '${declared.type}' with a string id.`,
          ),
        )
      } else ids.push(identifier["id"])
    })
    flat[name] = declared.many ? ids : ids[0]
  }
  return flat
}

/** Where a record's member sits in the resource it came from. */
const pointerOf = (route: JobRoute, at: string, keys: ReadonlyArray<string>): string => {
  const first = keys[0] ?? ""
  if (first === "id") return `${at}/id`
  if (Object.hasOwn(route.relationships, first)) return `${at}/relationships/${keys.join("/")}`
  return `${at}/attributes${keys.length === 0 ? "" : `/${keys.join("/")}`}`
}

/** The errors of a flat record, as the row's Schema finds them. */
const recordErrors = (route: JobRoute, at: string, record: SimulatedRecord): ReadonlyArray<WireError> => {
  const exit = Schema.decodeUnknownExit(route.record)(record, { errors: "all", onExcessProperty: "error" })
  if (Exit.isSuccess(exit)) return []
  const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
  if (failure === undefined || !Schema.isSchemaError(failure.error)) {
    return [invalidPointer(at, `Invalid ${route.resource}.`)]
  }
  return formatter(failure.error.issue).issues.map(({ message, path }) => {
    const keys = (path ?? []).map((key) =>
      typeof key === "object" && key !== null && "key" in key ? String(key.key) : String(key)
    )
    const name = keys.join(".")
    const detail = message === "Missing key"
      ? `'${name}' is a required field for the resource '${route.resource}'.`
      : message === "Expected no excess property"
      ? `'${name}' is not a valid field for the resource '${route.resource}'.`
      : `Invalid value for '${name}': ${message}.`
    return invalidPointer(pointerOf(route, at, keys), detail)
  })
}

/** One resource of the body as a flat record, its errors pushed. */
const resourceOf = (
  route: JobRoute,
  index: number,
  resource: unknown,
  errors: Array<WireError>,
): SimulatedRecord => {
  const at = `/data/attributes/${route.collection}/data/${index}`
  if (!isObject(resource)) {
    errors.push(
      invalidPointer(at, `Expected a ${route.resource} resource object, found ${kindOf(resource)}.`),
    )
    return {}
  }
  const before = errors.length
  if (resource["type"] !== route.resource) {
    errors.push(invalidPointer(`${at}/type`, `Expected type '${route.resource}'.`))
  }
  const { attributes, relationships } = resource
  if (route.shape === "delete" && attributes !== undefined) {
    errors.push(invalidPointer(`${at}/attributes`, `A ${route.resource} to delete takes no attributes.`))
  }
  if (route.shape !== "delete" && !isObject(attributes)) {
    errors.push(
      invalidPointer(`${at}/attributes`, `Expected an object of attributes, found ${kindOf(attributes)}.`),
    )
  }
  if (route.shape === "create" && resource["id"] !== undefined) {
    errors.push(
      invalidPointer(
        `${at}/id`,
        `A ${route.resource} to create takes no id: it is made from its external_id.`,
      ),
    )
  }
  const flatAttributes = isObject(attributes) && route.shape !== "delete" ? attributes : {}
  for (const name of Object.keys(flatAttributes)) {
    if (name === "id" || Object.hasOwn(route.relationships, name)) {
      errors.push(
        invalidPointer(
          `${at}/attributes/${name}`,
          `'${name}' is not a valid field for the resource '${route.resource}'.`,
        ),
      )
    }
  }
  const record: SimulatedRecord = {
    ...flatAttributes,
    ...(route.shape === "create" || resource["id"] === undefined ? {} : { id: resource["id"] }),
    ...relationshipsOf(route, at, relationships, errors),
  }
  if (errors.length === before) errors.push(...recordErrors(route, at, record))
  return record
}

/** The records of a POST body, or every error found in it. */
export const readRecords = (
  route: JobRoute,
  body: unknown,
  maxRecords: number,
): { readonly records: ReadonlyArray<SimulatedRecord> } | { readonly errors: ReadonlyArray<WireError> } => {
  const data = isObject(body) ? body["data"] : undefined
  if (!isObject(data)) return { errors: [invalidPointer("/data", `'data' is a required object.`)] }
  if (data["type"] !== route.job) {
    return { errors: [invalidPointer("/data/type", `Expected type '${route.job}' for this endpoint.`)] }
  }
  const attributes = data["attributes"]
  const collection = isObject(attributes) ? attributes[route.collection] : undefined
  const list = isObject(collection) ? collection["data"] : undefined
  const at = `/data/attributes/${route.collection}/data`
  if (!Array.isArray(list)) {
    return {
      errors: [
        invalidPointer(
          at,
          `'${route.collection}' is a required field: an object with a 'data' list of ${route.resource} resources.`,
        ),
      ],
    }
  }
  if (list.length === 0) {
    return { errors: [invalidPointer(at, `At least one ${route.resource} is required.`)] }
  }
  if (list.length > maxRecords) {
    return {
      errors: [
        invalidPointer(
          at,
          `Too many ${route.collection}: ${list.length} given, at most ${maxRecords} are allowed per request.`,
        ),
      ],
    }
  }
  const errors: Array<WireError> = []
  const records = list.map((resource, index) => resourceOf(route, index, resource, errors))
  return errors.length === 0 ? { records } : { errors }
}
