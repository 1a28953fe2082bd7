/**
 * Watching a catalog bulk job to its end: a `Stream` of snapshots that emits when something
 * changed and ends when the job is `complete` or `cancelled`, and the final job as one
 * `Effect`, for a job of any of the 9 types (`watchBulkJob`, `awaitBulkJob`) or by the names
 * the category update watch had first (`watchCatalogCategoryBulkUpdateJob`, ...).
 *
 * Polling runs on a `Schedule`: quick at first, slower while nothing moves, paced by the
 * observed progress rate while the job runs. Every poll is an ordinary GET of the job's row
 * (`getCatalogItemBulkCreateJob`, ...), so it shares the client's rate-limit budget and retry
 * policy. Watchers of the same job (same client, type, id, `fields`, `include` and intervals)
 * in one process share one poll.
 *
 * The code lives in `src/watch/`: progress, schedule, shared polls, the poll, the watch.
 *
 * @module
 */
export { type JobProgress, jobProgress } from "./watch/progress.ts"
export { pollDelay } from "./watch/schedule.ts"
export { type BulkJobGetRow, type BulkJobIncludes, type BulkJobRef, type BulkJobType } from "./watch/rows.ts"
export {
  type JobSnapshot,
  JobWatchError,
  type JobWatchErrorFields,
  type JobWatchFailure,
  type WatchBulkJobOptions,
  type WatchedBulkJob,
  type WatchedJobField,
  type WatchedJobView,
  type WatchTiming,
} from "./watch/types.ts"
export { awaitBulkJob, watchBulkJob } from "./watch/watch.ts"
export {
  awaitCatalogCategoryBulkUpdateJob,
  watchCatalogCategoryBulkUpdateJob,
  type WatchCatalogCategoryBulkUpdateJobOptions,
  type WatchedJob,
} from "./watch/category.ts"
