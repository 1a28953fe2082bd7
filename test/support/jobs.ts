/**
 * Job documents for the watch tests: a job of any of the 9 types at each stage of its life
 * (queued, processing, complete with one failed record), as the server sends it and as the
 * library decodes it.
 */
import type { BulkJobType } from "../../mod.ts"
import type { Scripted } from "./server.ts"

/** Polls 5 ms apart: the server answers at once, the watch runs on the real clock. */
export const quick: { readonly interval: { readonly min: "5 millis"; readonly max: "5 millis" } } = {
  interval: { min: "5 millis", max: "5 millis" },
}

export type Resource = "catalog-item" | "catalog-variant" | "catalog-category"
export const resources: ReadonlyArray<readonly [Resource, string]> = [
  ["catalog-item", "items"],
  ["catalog-variant", "variants"],
  ["catalog-category", "categories"],
]
const operations = ["create", "update", "delete"] as const
/** A job type, its records' resource, and the relationship its GET includes (none on delete jobs). */
export interface JobTypeCase {
  readonly type: BulkJobType
  readonly resource: Resource
  readonly relationship: string | undefined
}

/** Every job type, with the relationship its GET includes (none on delete jobs). */
export const jobTypes: ReadonlyArray<JobTypeCase> = resources.flatMap(([resource, relationship]) =>
  operations.map((operation) => ({
    type: `${resource}-bulk-${operation}-job` as BulkJobType,
    resource,
    relationship: operation === "delete" ? undefined : relationship,
  }))
)

export const CREATED = "2026-11-27T14:00:00+00:00"
export const EXPIRES = "2026-12-04T14:00:00+00:00"
export const COMPLETED = "2026-11-27T14:00:02.123456+00:00"

/** Klaviyo's real job error: null id, code and title; `meta` names the record. */
export const wireError = (relationship: string): Readonly<Record<string, unknown>> => ({
  id: null,
  code: null,
  title: null,
  detail: "The record B could not be processed.",
  source: { pointer: `/data/attributes/${relationship}/1` },
  meta: { external_id: "B" },
})

export type Stage = "queued" | "processing" | "complete"
const counts: Readonly<Record<Stage, readonly [number, number]>> = {
  queued: [0, 0],
  processing: [1, 0],
  complete: [1, 1],
}

/** A job document at one stage of its life, with its records when `relationship` is given. */
export const jobDocument = (
  type: string,
  id: string,
  stage: Stage,
  resource: Resource,
  relationship?: string,
): unknown => {
  const [completed, failed] = counts[stage]
  return {
    data: {
      type,
      id,
      attributes: {
        status: stage,
        created_at: CREATED,
        total_count: 2,
        completed_count: completed,
        failed_count: failed,
        completed_at: stage === "complete" ? COMPLETED : null,
        expires_at: EXPIRES,
        errors: stage === "complete" ? [wireError(relationship ?? "records")] : [],
      },
      relationships: relationship === undefined ? undefined : {
        [relationship]: { data: [{ type: resource, id: "A" }, { type: resource, id: "B" }] },
      },
      links: { self: `https://a.klaviyo.com/api/${type}s/${id}/` },
    },
    included: relationship === undefined ? undefined : [
      { type: resource, id: "A", attributes: { external_id: "A" } },
      { type: resource, id: "B", attributes: { external_id: "B" } },
    ],
  }
}

export const answer = (document: unknown): Scripted => ({
  status: 200,
  headers: { "content-type": "application/vnd.api+json" },
  body: JSON.stringify(document),
})

export const stages: ReadonlyArray<Stage> = ["queued", "processing", "complete"]

/** The job as the watch decodes the `complete` document. */
export const decodedComplete = (
  type: string,
  id: string,
  resource: Resource,
  relationship?: string,
): Readonly<Record<string, unknown>> => ({
  type,
  id,
  status: "complete",
  created_at: new Date(CREATED),
  total_count: 2,
  completed_count: 1,
  failed_count: 1,
  completed_at: new Date("2026-11-27T14:00:02.123Z"),
  expires_at: new Date(EXPIRES),
  errors: [wireError(relationship ?? "records")],
  ...(relationship === undefined ? {} : {
    [relationship]: [{ type: resource, id: "A", external_id: "A" }, {
      type: resource,
      id: "B",
      external_id: "B",
    }],
    unresolved: [],
  }),
})
