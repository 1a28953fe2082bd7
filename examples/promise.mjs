// The Promise facade from plain JavaScript (Node 20, no TypeScript, no `await using`): fetches the
// demo job from the built-in simulator, then shows a rejection, and closes the client whatever
// happens. Against Klaviyo, leave out `httpClient` and pass your key:
// makeKlaviyoClient({ apiKey: process.env.KLAVIYO_API_KEY }).
import {
  KlaviyoSimulator,
  makeKlaviyoClient,
  SIMULATED_API_KEY,
  SIMULATED_JOB_ID,
} from "@effect-klaviyo/catalog-jobs"

const klaviyo = makeKlaviyoClient({ apiKey: SIMULATED_API_KEY, httpClient: KlaviyoSimulator.layer() })
try {
  const job = await klaviyo.getCatalogCategoryBulkUpdateJob(SIMULATED_JOB_ID, { include: ["categories"] })
  console.log(`${job.id}: ${job.status}, ${job.completed_count} of ${job.total_count} completed`)
  console.log(`categories: ${job.categories.map((category) => category.name).join(", ")}`)
  try {
    await klaviyo.getCatalogCategoryBulkUpdateJob("no-such-job")
  } catch (error) {
    // Rejections are the library's tagged errors: tell them apart by `_tag`.
    if (error._tag === "KlaviyoApiError") console.log(`${error._tag} ${error.status}`)
    else throw error
  }
} finally {
  await klaviyo.close()
}
