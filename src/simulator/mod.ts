/**
 * A simulated Klaviyo for tests and demos: an in-memory model of the catalog bulk-job API that
 * serves the 27 operations of the library's table as Klaviyo does (sparse fieldsets, `include`,
 * lists paged by cursor, POSTed jobs that move over `Clock` time and change the catalog as they
 * go, failing the records a test asks for in Klaviyo's job-error shape; 404, 401, 400, 410, 413,
 * 429; each revision's wire shape; each limit class's rate limits), with no network.
 *
 * `KlaviyoSimulator.layer(...)` stands in for the `HttpClient`; `KlaviyoSimulator.model(...)`
 * gives the same model as a plain request handler, to mount behind a real HTTP server.
 *
 * @module
 */
export type {
  KlaviyoModel,
  KlaviyoSimulatorApi,
  SimulatedRoute,
  SimulatorRequest,
  SimulatorResponse,
  SimulatorStats,
} from "./api.ts"
export { SIMULATED_API_KEY, SIMULATED_JOB_ID, SIMULATED_JOB_IDS } from "./demo.ts"
export { KlaviyoSimulator } from "./layer.ts"
export { makeKlaviyoModel } from "./model.ts"
export type {
  KlaviyoSimulatorOptions,
  SimulatedFailRecords,
  SimulatedFault,
  SimulatedFaultTarget,
  SimulatedLimits,
  SimulatedRateLimit,
  SimulatedRateLimits,
} from "./options.ts"
export { KLAVIYO_RATE_LIMITS } from "./throttle.ts"
export type {
  SimulatedCategory,
  SimulatedItem,
  SimulatedJob,
  SimulatedJobProgress,
  SimulatedJobType,
  SimulatedProcessing,
  SimulatedRecord,
  SimulatedVariant,
} from "./types.ts"
