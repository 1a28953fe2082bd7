/**
 * The join of a finished job's `errors` to the records of its chunk: one outcome per record.
 *
 * Klaviyo names a failed record two ways (see DESIGN.md, wire facts): `source.pointer`, the
 * record's index in the POSTed body (`/data/attributes/categories/1` on the wire, although the
 * body we send nests them one level deeper, `/data/attributes/categories/data/1`), and
 * `meta.external_id`. The rules, in order:
 *
 * 1. The index is the first segment of the pointer that is a whole number (not the last:
 *    `/data/attributes/items/data/3/attributes/images/0` is about record 3, not 0). A pointer
 *    without one, or with one past the chunk's end, gives no index.
 * 2. An index whose record agrees with `meta.external_id` (or where `meta.external_id` is
 *    absent) joins the error to that record. A record agrees when the name is its
 *    `external_id`, its `id`, or the last `:::` part of its `id`.
 * 3. Where the index is missing, or its record disagrees with `meta.external_id`, the error
 *    joins the one record of the chunk that agrees with the name, if exactly one does.
 * 4. Any other error is kept at the job level (`unjoined`).
 *
 * Then, for a `complete` job, a record with joined errors `failed`; every other record
 * `succeeded` only if no error was left unjoined and `failed_count` (where sent) matches the
 * records (or errors) joined; otherwise those records are `unknown`, each carrying the unjoined
 * errors, because one of them may be its own. For a `cancelled` job, or one that expired or
 * vanished before it ended, the records with joined errors are `failed` and the others
 * `unknown`.
 *
 * @internal
 */
import type { BulkJobError } from "../resources/bulk-job.ts"
import type { BulkWriteFailed, BulkWriteOutcome } from "./outcome.ts"
import type { PlannedJob, PlannedRecord } from "./plan.ts"

/** What the join needs of a job, as last seen. */
export interface FinishedJob {
  /** The job's id. */
  readonly id: string
  /** How it ended: `expired` for a job that vanished (404) or passed `expires_at` before it said. */
  readonly status: "complete" | "cancelled" | "expired" | "queued" | "processing"
  readonly errors?: ReadonlyArray<BulkJobError> | null | undefined
  readonly failed_count?: number | null | undefined
}

/** The outcomes of a job's records (in the chunk's order) and the errors that named none. */
export interface Joined {
  readonly outcomes: ReadonlyArray<BulkWriteOutcome>
  readonly unjoined: ReadonlyArray<BulkJobError>
}

const wholeNumber = /^(0|[1-9][0-9]*)$/

/** The record index a pointer names: its first whole-number segment. */
export const pointerIndex = (pointer: string | null | undefined): number | undefined => {
  if (typeof pointer !== "string") return undefined
  for (const segment of pointer.split("/")) {
    if (wholeNumber.test(segment)) return Number(segment)
  }
  return undefined
}

/** The names a record answers to: its external id, its id, and the last `:::` part of the id. */
const namesOf = (record: unknown): ReadonlyArray<string> => {
  if (typeof record !== "object" || record === null) return []
  const { external_id, id } = record as { readonly external_id?: unknown; readonly id?: unknown }
  const names: Array<string> = []
  if (typeof external_id === "string") names.push(external_id)
  if (typeof id === "string") {
    names.push(id)
    const at = id.lastIndexOf(":::")
    if (at >= 0) names.push(id.slice(at + 3))
  }
  return names
}

/** Which position of the chunk each error belongs to, or `undefined`. */
const positionOf = (
  records: ReadonlyArray<PlannedRecord>,
  byName: () => Map<string, number | "ambiguous">,
  error: BulkJobError,
): number | undefined => {
  const index = pointerIndex(error.source?.pointer)
  const name = typeof error.meta?.external_id === "string" ? error.meta.external_id : undefined
  const atIndex = index !== undefined && index < records.length ? records[index] : undefined
  if (atIndex !== undefined && (name === undefined || namesOf(atIndex.record).includes(name))) return index
  if (name === undefined) return undefined
  const found = byName().get(name)
  return typeof found === "number" ? found : undefined
}

const reasonOf = (errors: ReadonlyArray<BulkJobError>): string => {
  const parts = errors.map((error) => error.detail ?? error.title ?? error.code ?? undefined)
  const said = parts.filter((part): part is string => typeof part === "string" && part !== "")
  return said.length > 0 ? said.join("; ") : "Klaviyo reported an error for this record (with no detail)"
}

/** Joins a finished job to its chunk: one outcome for each of the chunk's records. */
export const joinJob = (chunk: PlannedJob, job: FinishedJob): Joined => {
  const records = chunk.records
  let names: Map<string, number | "ambiguous"> | undefined
  const byName = () => {
    if (names !== undefined) return names
    names = new Map()
    records.forEach((entry, position) => {
      for (const name of new Set(namesOf(entry.record))) {
        names!.set(name, names!.has(name) ? "ambiguous" : position)
      }
    })
    return names
  }
  const joined = new Map<number, Array<BulkJobError>>()
  const unjoined: Array<BulkJobError> = []
  let joinedErrors = 0
  for (const error of job.errors ?? []) {
    const position = positionOf(records, byName, error)
    if (position === undefined) unjoined.push(error)
    else {
      joinedErrors++
      const list = joined.get(position)
      if (list === undefined) joined.set(position, [error])
      else list.push(error)
    }
  }
  const counted = job.failed_count
  const consistent = unjoined.length === 0 &&
    (counted === null || counted === undefined || counted === joined.size || counted === joinedErrors)
  const unknownReason = job.status === "complete"
    ? `job ${job.id} reported ${
      counted ?? "an unknown number of"
    } failed, but its errors name only ${joined.size} of its records (${unjoined.length} name none, neither by source.pointer nor by meta.external_id): this record may have failed`
    : job.status === "cancelled"
    ? `job ${job.id} was cancelled before it said what became of this record`
    : job.status === "expired"
    ? `job ${job.id} expired before it said what became of this record`
    : `job ${job.id} had not ended (${job.status})`
  const outcomes = records.map((entry, position): BulkWriteOutcome => {
    const key = entry.key === undefined ? {} : { key: entry.key }
    const errors = joined.get(position)
    if (errors !== undefined) {
      const failed: BulkWriteFailed = {
        outcome: "failed",
        index: entry.index,
        ...key,
        record: entry.record,
        job: job.id,
        reason: reasonOf(errors),
        errors,
      }
      return failed
    }
    if (job.status === "complete" && consistent) {
      return { outcome: "succeeded", index: entry.index, ...key, job: job.id }
    }
    return {
      outcome: "unknown",
      index: entry.index,
      ...key,
      record: entry.record,
      job: job.id,
      reason: unknownReason,
      errors: unjoined,
    }
  })
  return { outcomes, unjoined }
}
