/**
 * Reading an answer's body: within the cap, as bytes, and decoded as UTF-8 (strictly for a
 * document, leniently for an error); the HTTP client's failures in our terms.
 *
 * @internal
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { TransportError } from "../errors.ts"

/** The method of the request a failure belongs to. */
export type Method = "GET" | "POST"

/**
 * Error codes of a connection that never opened: nothing was sent, so a POST cannot have been
 * acted on. Node's fetch (undici) reports them on the cause of its `TypeError` (`ECONNREFUSED`,
 * `ENOTFOUND`, ...), Bun on the error itself (`ConnectionRefused`).
 */
const neverOpenedCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_NONAME",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ConnectionRefused",
  "FailedToOpenSocket",
])

/** Deno words it instead: `tcp connect error: Connection refused`, `dns error: ...`. */
const neverOpenedMessage = /connection refused|dns error|failed to lookup address|name or service not known/i

const codeOf = (value: unknown): string | undefined =>
  typeof value === "object" && value !== null && "code" in value && typeof value.code === "string"
    ? value.code
    : undefined

/** Whether an error of `fetch` says that the connection never opened (so nothing was sent). */
export const connectionNeverOpened = (cause: unknown): boolean => {
  for (let error: unknown = cause, depth = 0; error !== undefined && error !== null && depth < 4; depth++) {
    const code = codeOf(error)
    if (code !== undefined && neverOpenedCodes.has(code)) return true
    if (error instanceof Error && neverOpenedMessage.test(error.message)) return true
    error = typeof error === "object" ? (error as { readonly cause?: unknown }).cause : undefined
  }
  return false
}

/**
 * What a failure of a POST says about the job: `{ jobMayExist }` (true unless nothing can have
 * reached Klaviyo), nothing for a GET.
 */
export const postOutcome = (method: Method, mayExist: boolean): { readonly jobMayExist?: boolean } =>
  method === "POST" ? { jobMayExist: mayExist } : {}

/** Maps the HTTP client's failure to ours, keeping the platform's cause but never the request. */
export const transportFailure = (
  method: Method,
  url: string,
  error: HttpClientError.HttpClientError,
): TransportError => {
  const reason = error.reason
  const kind =
    reason._tag === "TransportError" || reason._tag === "InvalidUrlError" || reason._tag === "EncodeError"
      ? "network"
      : "body"
  const cause = reason.cause
  const unsent = reason._tag === "InvalidUrlError" || reason._tag === "EncodeError" ||
    (reason._tag === "TransportError" && connectionNeverOpened(cause))
  return new TransportError({
    kind,
    method,
    url,
    detail: reason.description ?? describeCause(cause),
    cause,
    ...postOutcome(method, !unsent),
  })
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)`: the error and its cause, in words. */
const describeCause = (cause: unknown): string => {
  if (!(cause instanceof Error)) return String(cause)
  const inner: unknown = (cause as { cause?: unknown }).cause
  const innerText = inner instanceof Error ? inner.message : undefined
  const code = typeof inner === "object" && inner !== null && "code" in inner ? String(inner.code) : undefined
  return [cause.message, innerText, code === undefined || innerText?.includes(code) ? undefined : `(${code})`]
    .filter((part): part is string => part !== undefined && part !== "")
    .join(": ")
}

/**
 * What to do with a body past the cap: `fail` (a document: `oversized`, the rest never read) or
 * `cut` (an error's body: keep the first `max` bytes, stop reading, and let the answer stay what
 * its status says, so that a 5xx with a huge page is still retried as a 5xx).
 */
export type Overflow = "fail" | "cut"

const empty = new Uint8Array(0)

/** Reads a body up to `max` bytes; past it, fails `oversized` or cuts it (see {@link Overflow}). */
export const readCapped = (
  method: Method,
  response: HttpClientResponse.HttpClientResponse,
  url: string,
  max: number,
  overflow: Overflow,
): Effect.Effect<Uint8Array, TransportError> =>
  Effect.gen(function* () {
    const length = response.headers["content-length"]
    const declared = length !== undefined && /^\s*\d+\s*$/.test(length) ? Number(length) : undefined
    if (declared !== undefined && declared > max && overflow === "fail") {
      // Let the body go (its stream cancelled, the connection released) without reading it.
      yield* discard(response)
      return yield* oversized(method, url, max, `declares ${declared} bytes`)
    }
    // A body whose length is declared within the cap (and not compressed, which could inflate
    // past it): read it whole, which costs less than counting it chunk by chunk. The platform
    // fails the read if the body is shorter than declared, and stops at its length; the size is
    // checked again all the same, for a transport that would not.
    const encoding = response.headers["content-encoding"]
    if (
      declared !== undefined && declared <= max &&
      (encoding === undefined || encoding.trim().toLowerCase() === "identity")
    ) {
      const bytes = new Uint8Array(
        yield* Effect.mapError(response.arrayBuffer, (error) => transportFailure(method, url, error)),
      )
      if (bytes.byteLength <= max) return bytes
      if (overflow === "cut") return bytes.subarray(0, max)
      return yield* oversized(method, url, max, `sent ${bytes.byteLength} bytes`)
    }
    const chunks: Array<Uint8Array> = []
    let size = 0
    let tooLarge = false
    const read = yield* response.stream.pipe(
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
      Effect.mapError((error) => transportFailure(method, url, error)),
    )
    if (!read) return empty
    if (tooLarge && overflow === "fail") return yield* oversized(method, url, max, "kept going")
    if (chunks.length === 1) return chunks[0]!
    const bytes = new Uint8Array(Math.min(size, max))
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.byteLength
    }
    return bytes
  })

/** Lets go of a body that will not be read: its stream is cancelled, which releases the connection. */
export const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  response.stream.pipe(Stream.take(1), Stream.runDrain, Effect.ignore)

const oversized = (method: Method, url: string, max: number, what: string) =>
  Effect.fail(
    new TransportError({
      kind: "oversized",
      method,
      // A 2xx answer to a POST: the job was created, only its answer is too large to read.
      ...postOutcome(method, true),
      url,
      detail: `the body ${what} past the cap of ${max} bytes (maxBodyBytes); reading stopped there`,
    }),
  )

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })
const lenientUtf8 = new TextDecoder("utf-8")

/**
 * A document's body as text, or `undefined` when it is not valid UTF-8: a byte that is not UTF-8
 * inside a JSON string would otherwise become U+FFFD, and the job would carry a value Klaviyo
 * never sent.
 */
export const decodeDocument = (bytes: Uint8Array): string | undefined => {
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
