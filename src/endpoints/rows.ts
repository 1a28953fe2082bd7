/**
 * The row each function of the table was derived from, kept beside the function: what the
 * simulator's routes read (path, job type, includes, limit class, record schema) instead of
 * restating the table.
 *
 * @internal
 */
import type { ResourceSpec } from "../internal/jsonapi.ts"
import type { CreateRow } from "./create.ts"
import type { Row } from "./define.ts"

/** A "get one job" row, read generically: what `include` accepts, relationship to resource. */
export interface AnyGetRow extends Row<string> {
  readonly includes: Readonly<Record<string, ResourceSpec>>
}

/** A row of the table, by the shape of operation it declares. */
export type TableRow =
  | { readonly kind: "get"; readonly row: AnyGetRow }
  | { readonly kind: "list"; readonly row: Row<string> }
  | { readonly kind: "create"; readonly row: CreateRow<string, unknown> }

const rows = /* @__PURE__ */ new WeakMap<object, TableRow>()

/** Records the row a derived function was built from, and gives the function back. */
export const withRow = <F extends object>(derived: F, row: TableRow): F => {
  rows.set(derived, row)
  return derived
}

/** The row a function of the table was derived from, or `undefined` for anything else. */
export const rowOf = (derived: unknown): TableRow | undefined =>
  typeof derived === "function" ? rows.get(derived) : undefined

/**
 * The functions of one shape in a module of the table (`table.ts`, `table-list.ts`,
 * `table-create.ts`), by the job type of their row, in the module's order.
 */
export const functionsByJob = <F>(module: object, kind: TableRow["kind"]): ReadonlyMap<string, F> =>
  new Map(
    Object.values(module).flatMap((derived): ReadonlyArray<readonly [string, F]> => {
      const entry = rowOf(derived)
      return entry?.kind === kind ? [[entry.row.job, derived as F]] : []
    }),
  )
