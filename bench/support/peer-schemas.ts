/**
 * The Schemas a user would write by hand for the "HttpClient + Schema" peer of the overhead
 * benchmark: the documents of the three calls as plain structs (strings stay strings, no join of
 * `included`, no sparse fieldsets), decoded by `HttpClientResponse.schemaBodyJson`. They check
 * less than the library does: it also turns timestamps into `Date`s, joins the included
 * resources and keeps the wire facts the spec gets wrong.
 */
import * as Schema from "effect/Schema"

const JobStatus = Schema.Literals(["cancelled", "complete", "processing", "queued"])

const JobError = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  code: Schema.NullOr(Schema.String),
  title: Schema.NullOr(Schema.String),
  detail: Schema.String,
  source: Schema.Struct({ pointer: Schema.optional(Schema.String) }),
})

const JobAttributes = Schema.Struct({
  status: JobStatus,
  created_at: Schema.String,
  total_count: Schema.Number,
  completed_count: Schema.Number,
  failed_count: Schema.Number,
  completed_at: Schema.NullOr(Schema.String),
  errors: Schema.Array(JobError),
  expires_at: Schema.String,
})

const Identifier = Schema.Struct({ type: Schema.String, id: Schema.String })
const Links = Schema.Struct({ self: Schema.String })

const Job = (type: string) =>
  Schema.Struct({
    type: Schema.Literal(type),
    id: Schema.String,
    attributes: JobAttributes,
    relationships: Schema.Struct({
      categories: Schema.Struct({ data: Schema.optional(Schema.Array(Identifier)) }),
    }),
    links: Links,
  })

const Category = Schema.Struct({
  type: Schema.Literal("catalog-category"),
  id: Schema.String,
  attributes: Schema.Struct({
    external_id: Schema.String,
    name: Schema.NullOr(Schema.String),
    updated: Schema.String,
  }),
  links: Links,
})

/** The GET of a category update job with its included categories. */
export const JobDocument: Schema.Decoder<unknown> = Schema.Struct({
  data: Job("catalog-category-bulk-update-job"),
  included: Schema.Array(Category),
})

/** The POST's answer: the created job. */
export const CreateAnswer: Schema.Decoder<unknown> = Schema.Struct({
  data: Job("catalog-category-bulk-create-job"),
})

/** A page of the list of category create jobs. */
export const ListPage: Schema.Decoder<unknown> = Schema.Struct({
  data: Schema.Array(Job("catalog-category-bulk-create-job")),
  links: Schema.Struct({ self: Schema.String, next: Schema.NullOr(Schema.String) }),
})
