/**
 * The plan of a bulk write: records in (a `Stream`, read once, in order), jobs out. Each record
 * is checked with its row's Schema, encoded once as the JSON the POST's body holds (that text is
 * both its exact size and its part of the body, sent as it is), and checked for a duplicate; the
 * records that pass are grouped into jobs of at most 100 records and 5 MB of body, each job
 * emitted as soon as its last record is read (the input is read 100 records at a time, so the
 * first POST waits for 100 records, not for a whole chunk of the source). A record that cannot
 * be sent comes out on its own, refused, with an `InvalidRequest` that names it. Memory: the job
 * being filled, and the duplicate table.
 *
 * @internal
 */
import * as Stream from "effect/Stream"
import { MAX_BODY_BYTES, MAX_RECORDS } from "../endpoints/create.ts"
import { InvalidRequest } from "../errors.ts"
import { type DuplicateTable, makeDuplicateTable } from "./duplicates.ts"
import { type KindSpec, utf8Length } from "./kind.ts"

/** A record in a planned job. */
export interface PlannedRecord {
  /** Its position in the input, from 0. */
  readonly index: number
  /** The record as given. */
  readonly record: unknown
  /** Its `external_id` (create) or `id`. */
  readonly key: string | undefined
}

/** A job to post: its sequence number in the write, its records, its body's exact size. */
export interface PlannedJob {
  readonly _tag: "Job"
  /** From 0, in the order of the input: the same input gives the same jobs. */
  readonly seq: number
  readonly records: ReadonlyArray<PlannedRecord>
  /** The UTF-8 bytes of the body `bulkCreateCatalogItems` (...) sends for these records. */
  readonly bodyBytes: number
  /**
   * The body itself, as JSON text (what `bulkCreateCatalogItems` (...) would send for these
   * records), until the POST lets it go: `text` is `undefined` afterwards (and without it the
   * POST encodes the records again).
   */
  readonly body?: { text: string | undefined }
}

/** Why a record is not sent. */
export type Refusal = "invalid" | "duplicate" | "too-large"

/** A record that is not sent, and why. */
export interface RefusedRecord {
  readonly _tag: "Refused"
  readonly index: number
  readonly record: unknown
  readonly key: string | undefined
  readonly refusal: Refusal
  /** For a duplicate: the index of the earlier record that is sent in its place. */
  readonly duplicateOf?: number
  /** `input: "records"`, the reason naming the record. */
  readonly error: InvalidRequest
}

/** What the plan emits, in input order of the jobs' last records. */
export type Planned = PlannedJob | RefusedRecord

/** The limits of one job (Klaviyo's by default; smaller ones for tests). */
export interface PlanLimits {
  readonly maxRecords: number
  readonly maxBodyBytes: number
}

const defaults: PlanLimits = { maxRecords: MAX_RECORDS, maxBodyBytes: MAX_BODY_BYTES }

/** How a message names a record: its index, and its id or external id. */
export const recordName = (index: number, key: string | undefined): string =>
  `record ${index}${key === undefined ? "" : ` (${JSON.stringify(key.slice(0, 80))})`}`

interface State {
  index: number
  seq: number
  records: Array<PlannedRecord>
  /** The records' JSON, in order: the body's `data`. */
  texts: Array<string>
  bytes: number
}

/** The body's text around its records' JSON: `{"data":{"type":...,"attributes":{"items":{"data":[` and `]}}}}`. */
const bodyParts = (spec: KindSpec): readonly [string, string] => {
  const empty = JSON.stringify({
    data: { type: spec.row.job, attributes: { [spec.row.collection]: { data: [] } } },
  })
  const at = empty.lastIndexOf("[]")
  return [empty.slice(0, at + 1), empty.slice(at + 1)]
}

/** The step of the plan for one record: refused, or added to the job being filled (maybe closing it). */
const step = (
  spec: KindSpec,
  parts: readonly [string, string],
  limits: PlanLimits,
  duplicates: DuplicateTable,
  state: State,
  record: unknown,
): ReadonlyArray<Planned> => {
  const index = state.index++
  const key = spec.key(record)
  const refuse = (refusal: Refusal, reason: string, duplicateOf?: number): ReadonlyArray<Planned> => [{
    _tag: "Refused",
    index,
    record,
    key,
    refusal,
    ...(duplicateOf === undefined ? {} : { duplicateOf }),
    error: new InvalidRequest({ input: "records", reason }),
  }]
  const invalid = spec.refusal(index, record)
  if (invalid !== undefined) return refuse("invalid", invalid)
  let resource: string
  try {
    resource = JSON.stringify(spec.toResource(record as { readonly [key: string]: unknown }))
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    return refuse("invalid", `${recordName(index, key)} cannot be written as JSON: ${why}`)
  }
  const size = utf8Length(resource)
  if (spec.overheadBytes + size > limits.maxBodyBytes) {
    return refuse(
      "too-large",
      `${
        recordName(index, key)
      } is ${size} bytes of JSON: with the body around it (${spec.overheadBytes} bytes) it is over the ${limits.maxBodyBytes} bytes a job takes, so it cannot be sent`,
    )
  }
  const identity = spec.identity(record)
  const earlier = identity === undefined ? undefined : duplicates.check(identity, index)
  if (earlier !== undefined) {
    const what = spec.row.shape === "create" ? "external_id (and catalog)" : "id"
    return refuse(
      "duplicate",
      `${recordName(index, key)} has the same ${what} as record ${earlier}: only record ${earlier} is sent`,
      earlier,
    )
  }
  const out: Array<Planned> = []
  // The job being filled is full: this record does not fit in its body (a full count closed it).
  if (state.records.length > 0 && spec.overheadBytes + state.bytes + size + 1 > limits.maxBodyBytes) {
    out.push(close(spec, parts, state))
  }
  state.bytes += state.records.length === 0 ? size : size + 1
  state.records.push({ index, record, key })
  state.texts.push(resource)
  // A job of the most records a job takes is posted now, without waiting for the next record.
  if (state.records.length >= limits.maxRecords) out.push(close(spec, parts, state))
  return out
}

/** Closes the job being filled and starts the next. */
const close = (spec: KindSpec, parts: readonly [string, string], state: State): PlannedJob => {
  const job: PlannedJob = {
    _tag: "Job",
    seq: state.seq++,
    records: state.records,
    bodyBytes: spec.overheadBytes + state.bytes,
    body: { text: `${parts[0]}${state.texts.join(",")}${parts[1]}` },
  }
  state.records = []
  state.texts = []
  state.bytes = 0
  return job
}

/**
 * The plan of a write: every input record comes out exactly once, in a job or refused. The
 * stream is read once; `index` is the record's position in it.
 */
export const plan = <E, R>(
  spec: KindSpec,
  records: Stream.Stream<unknown, E, R>,
  limits: PlanLimits = defaults,
): Stream.Stream<Planned, E, R> =>
  Stream.suspend(() => {
    const duplicates = makeDuplicateTable()
    const parts = bodyParts(spec)
    return records.pipe(
      // A chunk of the source is planned at once: 100 records (one job's) at a time, not 4,096,
      // so that the first job is posted as soon as its records are planned.
      Stream.rechunk(Math.max(1, Math.min(limits.maxRecords, MAX_RECORDS))),
      Stream.mapAccum(
        (): State => ({ index: 0, seq: 0, records: [], texts: [], bytes: 0 }),
        (state, record) => [state, step(spec, parts, limits, duplicates, state, record)] as const,
        { onHalt: (state) => (state.records.length === 0 ? [] : [close(spec, parts, state)]) },
      ),
    )
  })
