/**
 * Faults on demand: a queue of statuses, resets and delays, each waiting for the first request
 * it targets, served instead of the model's answer or on top of it.
 *
 * @internal
 */
import type { SimulatorRequest, SimulatorResponse } from "./api.ts"
import type { SimulatedFault } from "./options.ts"
import { errorResponse } from "./wire.ts"

/** The queue of a model. */
export interface Faults {
  readonly inject: (...faults: ReadonlyArray<SimulatedFault>) => void
  readonly pending: () => number
  /** Takes the first fault that targets this request, if any. */
  readonly take: (request: SimulatorRequest) => SimulatedFault | undefined
}

const check = (fault: SimulatedFault): void => {
  if ("status" in fault && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
    throw new RangeError(
      `a simulated fault's status must be a whole number from 200 to 599, not ${fault.status}`,
    )
  }
  if ("delayMillis" in fault && !(Number.isFinite(fault.delayMillis) && fault.delayMillis >= 0)) {
    throw new RangeError(`a simulated fault's delayMillis must be a finite number of at least 0`)
  }
  if (fault.method !== undefined && fault.method !== "GET" && fault.method !== "POST") {
    throw new RangeError(
      `a simulated fault's method must be "GET" or "POST", not ${JSON.stringify(fault.method)}`,
    )
  }
}

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname
  } catch {
    return ""
  }
}

/** A fresh queue. */
export const makeFaults = (): Faults => {
  const queue: Array<SimulatedFault> = []
  return {
    inject: (...faults) => {
      for (const fault of faults) check(fault)
      queue.push(...faults)
    },
    pending: () => queue.length,
    take: (request) => {
      const at = queue.findIndex((fault) =>
        (fault.method === undefined || fault.method === request.method) &&
        (fault.path === undefined || pathOf(request.url).startsWith(fault.path))
      )
      return at < 0 ? undefined : queue.splice(at, 1)[0]
    },
  }
}

/**
 * Serves a fault: `answer` gives the model's own answer (called first for a fault that lets the
 * request be handled, and for a delay).
 */
export const serveFault = (fault: SimulatedFault, answer: () => SimulatorResponse): SimulatorResponse => {
  if ("delayMillis" in fault) return { ...answer(), delayMillis: fault.delayMillis }
  if (fault.handled === true) answer()
  if ("reset" in fault) return { status: 0, headers: {}, body: "", reset: true }
  // Worded without "simulated": the demo key is `pk_simulated_key`, and the client redacts any
  // run of 8 of its characters from an error.
  const injected = errorResponse(
    fault.status,
    "error",
    "Injected fault.",
    `A ${fault.status} injected by the simulator.`,
  )
  return fault.retryAfter === undefined
    ? injected
    : { ...injected, headers: { ...injected.headers, "retry-after": String(fault.retryAfter) } }
}
