/**
 * What the operations of a model share: its jobs (and which of them may still run), its stores,
 * its limits and counts, and how a job stands at a time.
 *
 * @internal
 */
import type { SimulatorStats } from "./api.ts"
import type { SimulatedFailRecords } from "./options.ts"
import type { Stores } from "./store.ts"
import type { SimulatedJob, SimulatedProcessing } from "./types.ts"

/**
 * The jobs by id, noting every job set as one that may still run (queued, processing, or with
 * records to apply), so that counting the jobs in progress never walks every job ever made.
 */
export class JobMap extends Map<string, SimulatedJob> {
  /** The ids of jobs that may still run. */
  readonly live: Set<string> = new Set()

  override set(id: string, job: SimulatedJob): this {
    super.set(id, job)
    this.live?.add(id)
    return this
  }

  /** Told of each job deleted (the model's state then forgets the job's record outcomes). */
  onDelete: ((id: string) => void) | undefined = undefined

  override delete(id: string): boolean {
    this.live.delete(id)
    this.onDelete?.(id)
    return super.delete(id)
  }

  override clear(): void {
    this.live.clear()
    super.clear()
  }
}

/** The limits a model enforces, defaults filled in. */
export interface Limits {
  readonly records: number
  readonly bodyBytes: number
  readonly jobsInProgress: number
  readonly pageSize: number
}

/** What the operations of a model share. */
export interface Context {
  readonly jobs: JobMap
  readonly stores: Stores
  readonly stats: SimulatorStats
  readonly limits: Limits
  readonly processing: SimulatedProcessing
  readonly failRecords: SimulatedFailRecords | undefined
  /** The origin written into links, for a request to `url`. */
  readonly origin: (url: URL) => string
  /** A job as it stands at `now` (records applied up to then), or `undefined` once gone. */
  readonly stateAt: (job: SimulatedJob, now: number) => SimulatedJob | undefined
  /** The jobs queued or processing at `now`, and when the first of them ends. */
  readonly running: (now: number) => { readonly count: number; readonly firstEnd: number }
  /** The id of the next job created at `now`. */
  readonly nextJobId: (now: number) => string
}
