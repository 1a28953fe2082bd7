/**
 * The scrubber every error leaves through: which forms of the key it finds, and what it does to
 * the values an error holds.
 */
import { describe, expect, it } from "vitest"
import { KlaviyoApiError, TransportError } from "../mod.ts"
import { makeScrubber, MAX_DEPTH, REDACTED, TOO_DEEP } from "../src/internal/scrub.ts"

const KEY = "pk_0123456789abcdefXYZ"
const { text, value } = makeScrubber(KEY)

describe("the scrubber's texts", () => {
  it("redacts the key plain, lower-cased, JSON-escaped, percent-encoded, as HTML entities", () => {
    const escaped = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")
    const encoded = [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join("")
    const entities = [...KEY].map((c) => `&#${c.charCodeAt(0)};`).join("")
    expect(text(`a ${KEY} b`)).toBe(`a ${REDACTED} b`)
    expect(text(`https://${KEY.toLowerCase()}.example.com`)).toBe(`https://${REDACTED}.example.com`)
    expect(text(`"${escaped}"`)).toBe(`"${REDACTED}"`)
    expect(text(`?k=${encoded}&x=1`)).toBe(`?k=${REDACTED}&x=1`)
    expect(text(`<p>${entities}</p>`)).toBe(`<p>${REDACTED}</p>`)
    // Two layers: a percent-encoded JSON escape.
    expect(text(`%5Cu0070k_0123456789`)).toBe(REDACTED)
  })

  it("redacts any run of 8 characters of the key, and leaves a run of 7", () => {
    expect(text(`"Klaviyo-API-Key ${KEY.slice(0, 8)}"... is not valid JSON`)).toBe(
      `"Klaviyo-API-Key ${REDACTED}"... is not valid JSON`,
    )
    expect(text(`x${KEY.slice(5, 13)}y`)).toBe(`x${REDACTED}y`)
    expect(text(`x${KEY.slice(5, 12)}y`)).toBe(`x${KEY.slice(5, 12)}y`)
  })

  it("leaves a text without the key as it is, and matches a key shorter than 8 characters whole", () => {
    const plain = "Klaviyo answered 503 to GET https://a.klaviyo.com/api/x: upstream trouble"
    expect(text(plain)).toBe(plain)
    const short = makeScrubber("pk_ab")
    expect(short.text("a pk_ab b PK_AB c pk_a")).toBe(`a ${REDACTED} b ${REDACTED} c pk_a`)
  })
})

describe("the scrubber's values", () => {
  it("returns a value with nothing to remove itself", () => {
    const error = new KlaviyoApiError({ status: 503, method: "GET", url: "u", revision: "r", errors: [] })
    expect(value(error)).toBe(error)
  })

  it("copies an error with its class, tag, fields, JSON, stack and nested cause scrubbed", () => {
    const inner = new TypeError(`fetch failed for ${KEY}`, { cause: { code: KEY } })
    const error = new TransportError({
      kind: "network",
      method: "GET",
      url: `u?k=${KEY}`,
      detail: "d",
      cause: inner,
    })
    const copy = value(error)
    expect(copy).not.toBe(error)
    expect(copy).toBeInstanceOf(TransportError)
    expect(copy._tag).toBe("TransportError")
    expect(copy.url).toBe(`u?k=${REDACTED}`)
    expect(copy.message).toBe(`Network error on GET u?k=${REDACTED}: d`)
    expect(JSON.stringify(copy)).toBe(
      JSON.stringify({ ...(error.toJSON() as object), url: `u?k=${REDACTED}` }),
    )
    expect(copy.stack).not.toContain(KEY)
    const cause = copy.cause as TypeError & { cause: { code: string } }
    expect(cause).toBeInstanceOf(TypeError)
    expect(cause.message).toBe(`fetch failed for ${REDACTED}`)
    expect(cause.cause.code).toBe(REDACTED)
    // The original is left as it was.
    expect(error.url).toBe(`u?k=${KEY}`)
  })

  it("keeps cycles, dates and frozen objects, and replaces what is nested past the bound", () => {
    const cyclic: Record<string, unknown> = { detail: KEY, at: new Date(0) }
    cyclic["self"] = cyclic
    const copy = value(Object.freeze(cyclic))
    expect(copy["detail"]).toBe(REDACTED)
    expect(copy["self"]).toBe(copy)
    expect(copy["at"]).toBe(cyclic["at"])
    expect(Object.isFrozen(copy)).toBe(true)
    // A chain of objects with the key at the top: each level down is one `next`.
    let chain: unknown = "clean"
    for (let i = 0; i < MAX_DEPTH + 1; i++) chain = { next: chain }
    let reached: unknown = value({ key: KEY, next: chain })
    for (let depth = 0; depth < MAX_DEPTH; depth++) reached = (reached as { next: unknown }).next
    expect(reached).toBe(TOO_DEEP)
  })
})
