/**
 * The body cap: an answer's body read into memory, never past `maxBodyBytes`; and its text,
 * decoded as UTF-8 (strictly for a document, leniently for an error).
 *
 * Effect enforces `MaxBodySize` only when decompressing: a cap on a fetch body is ours to count
 * while streaming.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { TransportError } from "../errors.ts"
import { postOutcome, transportFailure } from "./failure.ts"
import { ReadResponse } from "./read-response.ts"

/**
 * What to do with a body past the cap: `fail` (a document: `oversized`, the rest never read) or
 * `cut` (an error's body: keep the first `max` bytes, stop reading, and let the answer stay what
 * its status says, so that a 5xx with a huge page is still retried as a 5xx).
 */
export type Overflow = "fail" | "cut"

/**
 * A document past the cap fails the attempt (`oversized`); any other answer's body is cut at the
 * cap, so that the answer stays the `KlaviyoApiError` its status says.
 */
export const overflowOf = (status: number): Overflow => status >= 200 && status < 300 ? "fail" : "cut"

const empty = /* @__PURE__ */ new Uint8Array(0)

const oversized = (response: HttpClientResponse.HttpClientResponse, max: number, what: string) =>
  Effect.fail(
    new TransportError({
      kind: "oversized",
      method: response.request.method,
      // A 2xx answer to a POST: the job was created, only its answer is too large to read.
      ...postOutcome(response.request.method, true),
      url: response.request.url,
      detail: `the body ${what} past the cap of ${max} bytes (maxBodyBytes); reading stopped there`,
    }),
  )

/** Concatenates the chunks read (most bodies come in one). */
const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Reads a body chunk by chunk, counting, up to `max` bytes; past it, fails or cuts it. */
const readStream = (
  response: HttpClientResponse.HttpClientResponse,
  max: number,
  overflow: Overflow,
): Effect.Effect<Uint8Array, TransportError> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    let tooLarge = false
    return response.stream.pipe(
      Stream.takeUntil((chunk) => {
        const room = max - size
        size += chunk.byteLength
        if (size > max) {
          tooLarge = true
          if (overflow === "cut" && room > 0) chunks.push(chunk.subarray(0, room))
        } else chunks.push(chunk)
        return tooLarge
      }),
      Stream.runDrain,
      Effect.as(true),
      // An answer with no body at all (a 204, say) reads as empty, not as a broken body.
      Effect.catchIf((error) => error.reason._tag === "EmptyBodyError", () => Effect.succeed(false)),
      Effect.mapError((error) => transportFailure(response.request.method, response.request.url, error)),
      Effect.flatMap((read) =>
        !read
          ? Effect.succeed(empty)
          : tooLarge && overflow === "fail"
          ? oversized(response, max, "kept going")
          : Effect.succeed(concat(chunks, Math.min(size, max)))
      ),
    )
  })

/**
 * Reads a response's body up to `max` bytes into a {@link ReadResponse}; past it, fails
 * `oversized` or cuts it (see {@link Overflow}). A body declared larger than the cap is not read
 * at all when it would fail.
 */
export const readCapped = (
  response: HttpClientResponse.HttpClientResponse,
  max: number,
  overflow: Overflow,
): Effect.Effect<ReadResponse, TransportError> => {
  // The platform's headers object is built again at each access: read it once.
  const headers = response.headers
  const length = headers["content-length"]
  const declared = length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined
  if (declared !== undefined && declared > max && overflow === "fail") {
    // Let the body go (its stream cancelled, the connection released) without reading it.
    return Effect.andThen(discard(response), oversized(response, max, `declares ${declared} bytes`))
  }
  // A body whose length is declared within the cap (and not compressed, which could inflate past
  // it): read it whole, which costs less than counting it chunk by chunk. The platform fails the
  // read if the body is shorter than declared, and stops at its length; the size is checked
  // again all the same, for a transport that would not.
  const encoding = headers["content-encoding"]
  const whole = declared !== undefined && declared <= max &&
    (encoding === undefined || encoding.trim().toLowerCase() === "identity")
  if (!whole) {
    return Effect.map(
      readStream(response, max, overflow),
      (bytes) => new ReadResponse(response, headers, bytes),
    )
  }
  return response.arrayBuffer.pipe(
    Effect.mapError((error) => transportFailure(response.request.method, response.request.url, error)),
    Effect.flatMap((buffer) => {
      const bytes = new Uint8Array(buffer)
      return bytes.byteLength <= max
        ? Effect.succeed(new ReadResponse(response, headers, bytes))
        : overflow === "cut"
        ? Effect.succeed(new ReadResponse(response, headers, bytes.subarray(0, max)))
        : oversized(response, max, `sent ${bytes.byteLength} bytes`)
    }),
  )
}

/**
 * The body cap (`transformResponse`): every answer is read into memory, never past `max` bytes;
 * a 2xx past it fails with a `TransportError` of kind `oversized`, any other answer's body is cut
 * there. Placed after the redirects: a redirect that is followed is let go unread, one that is not
 * is the answer and is read here.
 */
export const withBodyCap =
  (max: number) =>
  <E, R>(self: HttpClient.HttpClient.With<E, R>): HttpClient.HttpClient.With<E | TransportError, R> =>
    HttpClient.transformResponse(
      self,
      Effect.flatMap((response) => readCapped(response, max, overflowOf(response.status))),
    )

/** Lets go of a body that will not be read: its stream is cancelled, which releases the connection. */
export const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  response.stream.pipe(Stream.take(1), Stream.runDrain, Effect.ignore)

const strictUtf8 = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true })
const lenientUtf8 = /* @__PURE__ */ new TextDecoder("utf-8")

/**
 * A document's body as text, or `undefined` when it is not valid UTF-8: a byte that is not UTF-8
 * inside a JSON string would otherwise become U+FFFD, and the job would carry a value Klaviyo
 * never sent.
 */
export const decodeDocument = (bytes: Uint8Array): string | undefined => {
  // The lenient decoder is the fast one (Deno's strict decoder takes 4-8 times as long); what
  // it gives is the strict one's text unless it holds a U+FFFD, which is then either a byte
  // that is not UTF-8 or the character itself: the strict decoder tells which.
  const text = lenientUtf8.decode(bytes)
  if (!text.includes("\uFFFD")) return text
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return undefined
  }
}

/**
 * An error body as text, leniently (a byte that is not UTF-8 becomes U+FFFD), on purpose: a
 * non-2xx answer is a `KlaviyoApiError` with its status whatever its body holds (an error page
 * from a proxy in another encoding, a body cut at the cap in the middle of a character), and its
 * text is only there to be read by a person.
 */
export const decodeErrorBody = (bytes: Uint8Array): string => lenientUtf8.decode(bytes)
