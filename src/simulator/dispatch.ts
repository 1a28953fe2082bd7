/**
 * One request through the simulated Klaviyo: its route (a collection or one job of a type), its
 * method, its credential, its limit class's windows and its revision, then the operation.
 *
 * @internal
 */
import type { SimulatorRequest, SimulatorResponse } from "./api.ts"
import type { Context } from "./context.ts"
import { SIMULATED_API_KEY } from "./demo.ts"
import { getJob, listJobs } from "./get.ts"
import type { KlaviyoSimulatorOptions } from "./options.ts"
import { postJob } from "./post.ts"
import { isResponse, revisionOf } from "./query.ts"
import { matchPath } from "./routes.ts"
import { isAnswer, makeThrottle } from "./throttle.ts"
import { errorResponse } from "./wire.ts"

/** Why a credential is refused, or `undefined` for one it takes. */
const refusal = (
  options: KlaviyoSimulatorOptions,
  header: string | undefined,
): SimulatorResponse | undefined => {
  if (header === `Klaviyo-API-Key ${options.apiKey ?? SIMULATED_API_KEY}`) return undefined
  if (options.accessToken !== undefined && header === `Bearer ${options.accessToken}`) return undefined
  return header === undefined
    ? errorResponse(
      401,
      "not_authenticated",
      "Authentication credentials were not provided.",
      "Missing or invalid private key.",
    )
    : errorResponse(
      401,
      "authentication_failed",
      "Incorrect authentication credentials.",
      "Missing or invalid private key.",
    )
}

/** The model's answer to a request at `now` (the state advanced to `now` first). */
export const makeDispatch = (
  context: Context,
  options: KlaviyoSimulatorOptions,
): (request: SimulatorRequest, now: number) => SimulatorResponse => {
  const throttle = makeThrottle(options.rateLimit, options.rateLimits, context.stats)
  return (request, now) => {
    const url = new URL(request.url)
    const target = matchPath(url.pathname)
    if (target === undefined) {
      return errorResponse(404, "not_found", "Not found.", `No route for ${url.pathname}.`)
    }
    const method = request.method
    if (method !== "GET" && !(method === "POST" && target.kind === "collection")) {
      return errorResponse(
        405,
        "method_not_allowed",
        "Method not allowed.",
        `Method "${method}" not allowed.`,
      )
    }
    const refused = refusal(options, request.headers["authorization"])
    if (refused !== undefined) return refused
    const { route } = target
    if (method === "POST") context.stats.posts[route.job]++
    const limitClass = target.kind === "job"
      ? route.limitClass.get
      : method === "GET"
      ? route.limitClass.list
      : route.limitClass.post
    const limited = throttle(limitClass, now)
    if (isAnswer(limited)) return limited
    const revision = revisionOf(request, options.retiredBefore)
    const answer = isResponse(revision)
      ? revision
      : target.kind === "job"
      ? getJob(context, route, target.id, url, revision, now)
      : method === "GET"
      ? listJobs(context, route, url, revision, now)
      : postJob(context, route, url, request.body, revision, now)
    return { ...answer, headers: { ...limited, ...answer.headers } }
  }
}
