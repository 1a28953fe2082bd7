/**
 * The check a write makes before anything of it is stored or sent: one GET of the first page of
 * the kind's jobs (the list the reconciliation reads, in its class's budget). A key Klaviyo
 * refuses (401) or one without the catalog scopes (403) fails the write there, with Klaviyo's
 * error, instead of every chunk's POST failing in turn and the write ending, stored as finished,
 * with every record `failed`: fixed, the key writes them when the same write is started again.
 *
 * Any other failure of that GET (Klaviyo down, a timeout, a 5xx past its retries) is left to the
 * write itself: its POSTs are retried, reconciled and reported record by record.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { KlaviyoClient } from "../client.ts"
import type { KlaviyoApiError } from "../errors.ts"
import type { KindSpec } from "./kind.ts"

/** The statuses that say the key cannot write, whatever is sent with it. */
const refusals: ReadonlySet<number> = /* @__PURE__ */ new Set([401, 403])

/** Fails with Klaviyo's answer when it refuses the key; succeeds otherwise (whatever else happened). */
export const checkAccess = (spec: KindSpec): Effect.Effect<void, KlaviyoApiError, KlaviyoClient> =>
  spec.jobs().pipe(
    Stream.take(1),
    Stream.runDrain,
    Effect.catch((error) =>
      error._tag === "KlaviyoApiError" && refusals.has(error.status) ? Effect.fail(error) : Effect.void
    ),
  )
