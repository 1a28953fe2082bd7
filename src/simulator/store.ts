/**
 * The simulator's catalog: items, variants and categories by id, and what a processed record
 * does to them (create, update, delete), or why it fails.
 *
 * @internal
 */
import type { JobRoute } from "./routes.ts"
import type { SimulatedCategory, SimulatedItem, SimulatedRecord, SimulatedVariant } from "./types.ts"
import { compoundId, externalIdOf, nounOf } from "./wire.ts"

/** A stored resource, read generically. */
export type StoredResource = { readonly id: string } & { readonly [member: string]: unknown }

/** The three stores. */
export interface Stores {
  readonly items: Map<string, SimulatedItem>
  readonly variants: Map<string, SimulatedVariant>
  readonly categories: Map<string, SimulatedCategory>
}

/** The store of a resource type. */
export const storeOf = (stores: Stores, type: string): Map<string, StoredResource> | undefined =>
  (type === "catalog-item"
    ? stores.items
    : type === "catalog-variant"
    ? stores.variants
    : type === "catalog-category"
    ? stores.categories
    : undefined) as Map<string, StoredResource> | undefined

/** The id a record names: the compound id a create makes, or the `id` of an update or delete. */
export const recordId = (route: Pick<JobRoute, "shape">, record: SimulatedRecord): string =>
  route.shape === "create" ? compoundId(record) : String(record["id"])

/** The external id a record's error names it by (`meta.external_id`). */
export const recordExternalId = (route: Pick<JobRoute, "shape">, record: SimulatedRecord): string =>
  route.shape === "create" ? String(record["external_id"]) : externalIdOf(String(record["id"]))

/** The members of a record a stored resource keeps: its resource's attributes and its relationships. */
const kept = (route: JobRoute, record: SimulatedRecord): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(record).filter(([member]) =>
      Object.hasOwn(route.resourceSpec.attributes, member) || Object.hasOwn(route.relationships, member)
    ),
  )

/** The timestamps a resource has (`created`, `updated`), set to `at`. */
const stamped = (route: JobRoute, names: ReadonlyArray<string>, at: Date): Record<string, Date> =>
  Object.fromEntries(
    names.filter((name) => Object.hasOwn(route.resourceSpec.attributes, name)).map((name) => [name, at]),
  )

/**
 * Applies one processed record at `at` (created and updated are then), or says why it fails:
 * a create of an id that exists, an update or delete of one that does not.
 */
export const applyRecord = (
  route: JobRoute,
  stores: Stores,
  record: SimulatedRecord,
  at: Date,
): string | undefined => {
  const store = storeOf(stores, route.resource)
  if (store === undefined) return `There is no ${route.resource} here.`
  const id = recordId(route, record)
  const existing = store.get(id)
  const noun = nounOf(route.resource)
  const a = /^[aeiou]/.test(noun) ? "An" : "A"
  switch (route.shape) {
    case "create":
      if (existing !== undefined) {
        return `${a} ${noun} with the external id \`${recordExternalId(route, record)}\` already exists.`
      }
      store.set(id, { id, ...kept(route, record), ...stamped(route, ["created", "updated"], at) })
      return undefined
    case "update":
      if (existing === undefined) return `${a} ${noun} with the id \`${id}\` does not exist.`
      store.set(id, { ...existing, ...kept(route, record), id, ...stamped(route, ["updated"], at) })
      return undefined
    case "delete":
      if (existing === undefined) return `${a} ${noun} with the id \`${id}\` does not exist.`
      store.delete(id)
      return undefined
  }
}
