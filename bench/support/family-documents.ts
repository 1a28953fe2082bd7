/**
 * The other two calls the overhead benchmark measures, beside the GET of one job: the POST that
 * creates a category job of 100 records, and one page of the list of category create jobs. Both
 * in the shape of the 2026-07-15 spec (`/work/shared/klaviyo/`) and of what the simulator sends:
 * the POST answers the `queued` job with its relationship linkage; the page holds `jobs`
 * complete jobs, each with its relationship links, and no `next` link.
 */

/** The id of the job the POST answers with. */
export const BENCH_CREATE_JOB_ID = "01JBENCH0CATEG0RYCREATEJ0B"

/** The collection the POST and the list use. */
export const CREATE_JOBS_PATH = "/api/catalog-category-bulk-create-jobs"

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/** The 100 records the POST sends (the same each time). */
export const createRecords = (count: number): ReadonlyArray<{ external_id: string; name: string }> =>
  Array.from({ length: count }, (_, index) => ({
    external_id: `BENCH-NEW-${pad(index, 5)}`,
    name: `New category ${index} footwear`,
  }))

/** The POST's body as Klaviyo expects it (what every client sends). */
export const createBody = (count: number): unknown => ({
  data: {
    type: "catalog-category-bulk-create-job",
    attributes: {
      categories: {
        data: createRecords(count).map((attributes) => ({ type: "catalog-category", attributes })),
      },
    },
  },
})

const jobAttributes = (status: "queued" | "complete", count: number) => ({
  status,
  created_at: "2026-11-27T14:00:00+00:00",
  total_count: count,
  completed_count: status === "complete" ? count : 0,
  failed_count: 0,
  completed_at: status === "complete" ? "2026-11-27T14:01:09.120774+00:00" : null,
  errors: [],
  expires_at: "2026-12-04T14:00:00+00:00",
})

/** The POST's answer: the queued job, with the created categories' identifiers. */
export const createAnswerText = (options: { readonly records: number; readonly origin: string }): string => {
  const self = `${options.origin}${CREATE_JOBS_PATH}/${BENCH_CREATE_JOB_ID}/`
  return JSON.stringify({
    data: {
      type: "catalog-category-bulk-create-job",
      id: BENCH_CREATE_JOB_ID,
      attributes: jobAttributes("queued", options.records),
      relationships: {
        categories: {
          data: createRecords(options.records).map((record) => ({
            type: "catalog-category",
            id: `$custom:::$default:::${record.external_id}`,
          })),
          links: { self: `${self}relationships/categories/`, related: `${self}categories/` },
        },
      },
      links: { self },
    },
  })
}

/** A list job id, a ULID-shaped string per index. */
const listJobId = (index: number): string => `01JBENCH0L1STJ0B0000${pad(index, 6)}`

/** One page of the list: `jobs` complete jobs, no next page. */
export const listPageText = (options: { readonly jobs: number; readonly origin: string }): string =>
  JSON.stringify({
    data: Array.from({ length: options.jobs }, (_, index) => {
      const self = `${options.origin}${CREATE_JOBS_PATH}/${listJobId(index)}/`
      return {
        type: "catalog-category-bulk-create-job",
        id: listJobId(index),
        attributes: jobAttributes("complete", 100),
        relationships: {
          categories: { links: { self: `${self}relationships/categories/`, related: `${self}categories/` } },
        },
        links: { self },
      }
    }),
    links: { self: `${options.origin}${CREATE_JOBS_PATH}`, next: null, prev: null },
  })
