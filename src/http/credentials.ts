/**
 * The headers of every request of a client: the credential, the revision and what it accepts.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type { Revision } from "../revision.ts"

/** The media type of a revision's documents: JSON:API, or plain JSON before 2024-10-15. */
export const mediaTypeOf = (revision: Revision): string =>
  revision.legacyPath ? "application/json" : "application/vnd.api+json"

/**
 * Adds the credential (`Authorization: Klaviyo-API-Key …` or `Bearer …`), the `revision` and the
 * `Accept` header of the revision to every request (`mapRequest`; the headers are made once per
 * client). The platform's spans are disabled by the transport, and `Authorization` is among the
 * header names Effect redacts wherever it prints a request.
 */
export const withCredentials = (authorization: Redacted.Redacted<string>, revision: Revision) => {
  const headers = Headers.fromInput({
    authorization: Redacted.value(authorization),
    revision: revision.value,
    accept: mediaTypeOf(revision),
  })
  return <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E, R> =>
    HttpClient.mapRequest(self, HttpClientRequest.setHeaders(headers))
}
