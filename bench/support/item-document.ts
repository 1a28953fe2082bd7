/**
 * A `catalog-item-bulk-create-job` document with `include=items`, in the shape of the 2026-07-15
 * spec: every job attribute, the items' linkage with its links, and one included `catalog-item`
 * per identifier with every attribute the spec gives an item (a description, a price, URLs, a list
 * of images, a flat `custom_metadata` object, timestamps as Klaviyo writes them: `+00:00`, with
 * microseconds), some of them `null` as the spec allows.
 */

/** The job id of the item document. */
export const BENCH_ITEM_JOB_ID = "01JBENCH0CATAL0GITEMCREATE"

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

const itemId = (index: number): string => `$custom:::$default:::BENCH-ITEM-${pad(index, 5)}`

const stamp = (index: number): string =>
  `2026-11-${pad(1 + (index % 27), 2)}T${pad(index % 24, 2)}:${pad(index % 60, 2)}:07.${
    pad(index * 7919 % 1_000_000, 6)
  }+00:00`

/** Builds the document (as a value) for a job that created `items` items. */
export const makeItemJobDocument = (
  options: { readonly items: number; readonly origin?: string },
): unknown => {
  const origin = options.origin ?? "https://a.klaviyo.com"
  const self = `${origin}/api/catalog-item-bulk-create-jobs/${BENCH_ITEM_JOB_ID}`
  const ids = Array.from({ length: options.items }, (_, index) => itemId(index))
  return {
    data: {
      type: "catalog-item-bulk-create-job",
      id: BENCH_ITEM_JOB_ID,
      attributes: {
        status: "complete",
        created_at: "2026-11-27T14:00:00+00:00",
        total_count: options.items + 1,
        completed_count: options.items,
        failed_count: 1,
        completed_at: "2026-11-27T14:03:12.482913+00:00",
        errors: [{
          id: null,
          code: null,
          title: null,
          detail: "The item BENCH-ITEM-X has no title in the payload.",
          source: { pointer: "/data/attributes/items/3" },
          meta: { external_id: "BENCH-ITEM-X" },
        }],
        expires_at: "2026-12-04T14:00:00+00:00",
      },
      relationships: {
        items: {
          data: ids.map((id) => ({ type: "catalog-item", id })),
          links: { self: `${self}/relationships/items`, related: `${self}/items` },
        },
      },
      links: { self },
    },
    included: ids.map((id, index) => {
      const externalId = `BENCH-ITEM-${pad(index, 5)}`
      return {
        type: "catalog-item",
        id,
        attributes: {
          external_id: externalId,
          title: `Sample item ${index}: organic cotton crew-neck shirt`,
          description: index % 7 === 6
            ? null
            : `A soft, breathable shirt in organic cotton, item ${index} of the autumn collection.`,
          price: 19.5 + (index % 40),
          url: `https://shop.example.com/products/${externalId.toLowerCase()}`,
          image_full_url: `https://cdn.example.com/images/${externalId}/full.jpg`,
          image_thumbnail_url: `https://cdn.example.com/images/${externalId}/thumb.jpg`,
          images: [
            `https://cdn.example.com/images/${externalId}/1.jpg`,
            `https://cdn.example.com/images/${externalId}/2.jpg`,
          ],
          custom_metadata: {
            color: index % 2 === 0 ? "navy" : "white",
            size_run: "XS-XL",
            stock: index % 50,
          },
          published: index % 10 !== 9,
          created: stamp(index),
          updated: stamp(index + 11),
        },
        links: { self: `${origin}/api/catalog-items/${encodeURIComponent(id)}` },
      }
    }),
  }
}

/** The document as the server sends it. */
export const itemJobDocumentText = (options: { readonly items: number; readonly origin?: string }): string =>
  JSON.stringify(makeItemJobDocument(options))
