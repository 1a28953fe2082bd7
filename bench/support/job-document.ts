/**
 * The job document the benchmarks serve and decode: a `catalog-category-bulk-update-job` with
 * `include=categories`, in the shape of the 2026-07-15 spec (`/work/shared/klaviyo/`) and of
 * `test/fixtures/seed-example.json`: every job attribute, relationship linkage with its links,
 * and one included `catalog-category` per identifier, each with its `links.self`. Date-times
 * are written as Klaviyo writes them (`+00:00`, some with microseconds).
 */

/** The job id the benchmarks ask for (a ULID, as Klaviyo's are). */
export const BENCH_JOB_ID = "01JBENCH0CATEG0RYUPDATEJ0B"

/** The API key the bench server accepts. */
export const BENCH_API_KEY = "pk_bench_0123456789abcdef0123456789"

/** The revision the bench server expects (the library's default). */
export const BENCH_REVISION = "2026-07-15"

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** A category id in Klaviyo's compound form, `$custom:::$default:::<external id>`. */
const categoryId = (index: number): string => `$custom:::$default:::BENCH-CATEGORY-${pad(index, 5)}`

/** Builds the document (as a value) for a job that updated `categories` categories. */
export const makeJobDocument = (options: {
  readonly categories: number
  readonly origin?: string
}): unknown => {
  const origin = options.origin ?? "https://a.klaviyo.com"
  const self = `${origin}/api/catalog-category-bulk-update-jobs/${BENCH_JOB_ID}/`
  const ids = Array.from({ length: options.categories }, (_, index) => categoryId(index))
  return {
    data: {
      type: "catalog-category-bulk-update-job",
      id: BENCH_JOB_ID,
      attributes: {
        status: "complete",
        created_at: "2026-11-27T14:00:00+00:00",
        total_count: options.categories + 2,
        completed_count: options.categories,
        failed_count: 2,
        completed_at: "2026-11-27T14:03:12.482913+00:00",
        errors: [
          // As Klaviyo sends a job's errors: id, code and title null, meta naming the record.
          {
            id: null,
            code: null,
            title: null,
            detail: "The category BENCH-CATEGORY-X has no name in the payload.",
            source: { pointer: "/data/attributes/categories/3" },
            meta: { external_id: "BENCH-CATEGORY-X" },
          },
          {
            id: null,
            code: null,
            title: null,
            detail: "The category BENCH-CATEGORY-Y has an external_id longer than 255 characters.",
            source: { pointer: "/data/attributes/categories/7" },
            meta: { external_id: "BENCH-CATEGORY-Y" },
          },
        ],
        expires_at: "2026-12-04T14:00:00+00:00",
      },
      relationships: {
        categories: {
          data: ids.map((id) => ({ type: "catalog-category", id })),
          links: { self: `${self}relationships/categories/`, related: `${self}categories/` },
        },
      },
      links: { self },
    },
    included: ids.map((id, index) => ({
      type: "catalog-category",
      id,
      attributes: {
        external_id: `BENCH-CATEGORY-${pad(index, 5)}`,
        // Some categories have no name, as the spec allows.
        name: index % 10 === 9 ? null : `Sample category ${index} apparel`,
        updated: `2026-11-${pad(1 + (index % 27), 2)}T${pad(index % 24, 2)}:${pad(index % 60, 2)}:07.${
          pad(index * 7919 % 1_000_000, 6)
        }+00:00`,
      },
      links: { self: `${origin}/api/catalog-categories/${encodeURIComponent(id)}/` },
    })),
  }
}

/** The document as the server sends it. */
export const jobDocumentText = (options: { readonly categories: number; readonly origin?: string }): string =>
  JSON.stringify(makeJobDocument(options))
