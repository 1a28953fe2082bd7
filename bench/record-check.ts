/**
 * `npx tsx bench/record-check.ts [--batches 40 --repeat 50]`
 *
 * The check of a job's 100 records before its POST, the Schema alone (`errors: "all"`,
 * `onExcessProperty: "error"`, what every record went through before) against the plain-code
 * check derived from the record's Schema, which the Schema backs for every record it does not
 * pass (src/internal/fast.ts `recordCheckOf`); and the body's text, encoded twice (once to
 * count its UTF-8 bytes, once to send) against once. In one process, alternating batches, the
 * median batch of each; printed as ratios of the new path to the old one.
 *
 * The records: the overhead bench's 100 category records (bench/support/family-documents.ts),
 * and 100 item and 100 variant records with most of their optional attributes.
 */
import { type CreateRow, recordCodec } from "../src/endpoints/create.ts"
import { kindSpec } from "../src/bulk-write/kind.ts"
import { createRecords } from "./support/family-documents.ts"
import { arg, median } from "./support/stats.ts"

const batches = arg("batches", 40)
const repeat = arg("repeat", 50)

const rowOf = (
  resource: "catalog-item" | "catalog-variant" | "catalog-category",
): CreateRow<string, unknown> => kindSpec({ resource, operation: "create" })!.row

const items = Array.from({ length: 100 }, (_, i) => ({
  external_id: `ITEM-${i}`,
  title: `Item ${i}`,
  description: "A blue shirt of cotton, long sleeves",
  url: `https://example.com/items/${i}`,
  price: 19.5 + i,
  catalog_type: "$default",
  integration_type: "$custom" as const,
  image_full_url: `https://example.com/items/${i}.jpg`,
  images: [`https://example.com/items/${i}-1.jpg`, `https://example.com/items/${i}-2.jpg`],
  custom_metadata: { color: "blue", size: "M" },
  published: true,
  categories: ["$custom:::$default:::APPAREL", "$custom:::$default:::SHIRTS"],
}))
const variants = Array.from({ length: 100 }, (_, i) => ({
  external_id: `VAR-${i}`,
  title: `Variant ${i}`,
  description: "Medium",
  sku: `SKU-${i}`,
  inventory_quantity: i,
  price: 20 + i,
  url: `https://example.com/variants/${i}`,
  inventory_policy: 1 as const,
  published: true,
  item: `$custom:::$default:::ITEM-${i}`,
}))

const subjects = [
  {
    label: "100 category records (the overhead bench's)",
    row: rowOf("catalog-category"),
    records: createRecords(100),
  },
  { label: "100 item records", row: rowOf("catalog-item"), records: items },
  { label: "100 variant records", row: rowOf("catalog-variant"), records: variants },
]

let sink = 0
const time = (run: () => void): number => {
  const start = performance.now()
  for (let i = 0; i < repeat; i++) run()
  return (performance.now() - start) / repeat
}

/** Alternating batches of `old` and `new`, the median time of each (ms per run). */
const ab = (old: () => void, now: () => void): { old: number; now: number } => {
  for (let i = 0; i < 5; i++) (old(), now()) // warm up
  const olds: Array<number> = []
  const nows: Array<number> = []
  for (let batch = 0; batch < batches; batch++) {
    if (batch % 2 === 0) (olds.push(time(old)), nows.push(time(now)))
    else (nows.push(time(now)), olds.push(time(old)))
  }
  return { old: median(olds), now: median(nows) }
}

const utf8 = new TextEncoder()
console.log(`| records | check: Schema only | derived check | ratio | body: encoded twice | once | ratio |`)
console.log(`| ------- | ------------------ | ------------- | ----- | ------------------- | ---- | ----- |`)
for (const { label, row, records } of subjects) {
  const before = recordCodec(row, () => false)
  const after = recordCodec(row)
  const checkAll = (codec: typeof before) => () => {
    for (let index = 0; index < records.length; index++) {
      if (codec.refusal(index, records[index]) !== undefined) sink++
    }
  }
  const check = ab(checkAll(before), checkAll(after))
  const body = {
    data: { type: row.job, attributes: { [row.collection]: { data: records.map(after.toResource) } } },
  }
  const encode = ab(
    () => {
      sink += utf8.encode(JSON.stringify(body)).byteLength
      sink += JSON.stringify(body).length
    },
    () => {
      const text = JSON.stringify(body)
      sink += text.length * 3 <= 5_000_000 ? text.length : utf8.encode(text).byteLength
    },
  )
  const ms = (value: number) => `${(value * 1000).toFixed(1)} µs`
  console.log(
    `| ${label} | ${ms(check.old)} | ${ms(check.now)} | ${(check.now / check.old).toFixed(3)}x | ${
      ms(encode.old)
    } | ${ms(encode.now)} | ${(encode.now / encode.old).toFixed(3)}x |`,
  )
}
if (sink < 0) console.log(sink)
