/**
 * The documents the simulated Klaviyo writes: a job resource (its attributes under the
 * revision's names, sparse as asked, its relationship to its records), and included resources
 * read from the stores, each attribute named by its resource's Schema.
 *
 * @internal
 */
import type { ResourceSpec } from "../internal/jsonapi.ts"
import type { Revision } from "../revision.ts"
import { relationshipIds } from "./progress.ts"
import { type JobRoute, resourcePath } from "./routes.ts"
import type { StoredResource } from "./store.ts"
import type { SimulatedJob } from "./types.ts"
import { formatDate, wireValue } from "./wire.ts"

/** Keeps the members a fieldset names (all without one). */
export const pick = (
  attributes: Record<string, unknown>,
  names: ReadonlyArray<string> | undefined,
): Record<string, unknown> =>
  names === undefined
    ? attributes
    : Object.fromEntries(Object.entries(attributes).filter(([name]) => names.includes(name)))

/** A job as a JSON:API resource, as its GET, its list and its POST serve it. */
export const jobResource = (
  route: JobRoute,
  job: SimulatedJob,
  revision: Revision,
  origin: string,
  fields: ReadonlyArray<string> | undefined,
): Record<string, unknown> => {
  const legacy = revision.jobIdAttribute
  const self = `${origin}${route.path}/${encodeURIComponent(job.id)}/`
  const attributes = pick({
    ...(legacy ? { job_id: job.id } : {}),
    status: job.status,
    created_at: formatDate(job.created_at, legacy),
    total_count: job.total_count,
    completed_count: job.completed_count === undefined ? 0 : job.completed_count,
    failed_count: job.failed_count === undefined ? 0 : job.failed_count,
    completed_at: formatDate(job.completed_at ?? null, legacy),
    errors: job.errors === undefined ? [] : job.errors,
    expires_at: formatDate(job.expires_at ?? null, legacy),
  }, fields)
  const linkage = relationshipIds(route, job).map((id) => ({ type: route.resource, id }))
  return {
    type: route.job,
    ...(legacy ? {} : { id: job.id }),
    attributes,
    relationships: {
      [route.collection]: {
        data: linkage,
        links: { self: `${self}relationships/${route.collection}/`, related: `${self}${route.collection}/` },
      },
    },
    links: { self },
  }
}

/** A stored catalog resource as an included resource: every attribute its Schema names, sparse as asked. */
export const includedResource = (
  spec: ResourceSpec,
  resource: StoredResource,
  revision: Revision,
  origin: string,
  fields: ReadonlyArray<string> | undefined,
): Record<string, unknown> => ({
  type: spec.type,
  id: resource.id,
  attributes: pick(
    Object.fromEntries(
      Object.keys(spec.attributes).map((name) => [name, wireValue(resource[name], revision.jobIdAttribute)]),
    ),
    fields,
  ),
  links: { self: `${origin}${resourcePath(spec.type)}/${encodeURIComponent(resource.id)}/` },
})

/** The content type of a revision's answers. */
export const contentType = (revision: Revision): string =>
  revision.legacyPath ? "application/json" : "application/vnd.api+json"
