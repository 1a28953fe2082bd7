/**
 * Keeping the credential out of errors. A client builds one {@link Scrubber} from its secret,
 * once; every error leaves a stage of a call through it (the attempt, each span of the
 * pipeline, the watch), so that what is printed, logged or recorded in a span never holds the
 * secret, whole or in part, in any of the forms a server or the platform may give it back in.
 *
 * A text is searched after it is decoded (`\uXXXX` and the other JSON and JavaScript escapes,
 * `%XX`, numeric HTML entities; up to three layers) and case-folded (ASCII, as host names
 * are). Any run of {@link FRAGMENT} characters or more that is also a run of the secret is
 * replaced, in the original text, by `<redacted>`: an exact match alone would miss the piece
 * of a key V8 quotes in a `JSON.parse` error, or the key lower-cased in a host name.
 *
 * Nothing of this runs on a successful call: it is applied to failures only.
 *
 * @internal
 */

/** The shortest run of the secret that is redacted wherever it appears. */
export const FRAGMENT = 8

/** What replaces each run of the secret. */
export const REDACTED = "<redacted>"

/** How deep into an error's fields (its `errors`, its `cause` and theirs) strings are scrubbed. */
export const MAX_DEPTH = 10

/** What stands for a value nested deeper than {@link MAX_DEPTH}: it was not checked, so it is not kept. */
export const TOO_DEEP = "<omitted: nested too deep to check for the credential>"

/** Removes the credential from texts and from the values an error holds. */
export interface Scrubber {
  /** The text with every run of the secret ({@link FRAGMENT} characters or more, in any form) redacted. */
  readonly text: (text: string) => string
  /**
   * The value with every string in it scrubbed, to {@link MAX_DEPTH}: plain objects, arrays and
   * errors (their message, stack and cause included) are copied with their prototype and
   * property flags; other objects (dates, durations, spans) are kept as they are. A value with
   * nothing to remove is returned itself.
   */
  readonly value: <A>(value: A) => A
}

/** A text decoded one layer, with the range of the original each of its characters came from. */
interface Decoded {
  readonly text: string
  readonly from: ArrayLike<number>
  readonly to: ArrayLike<number>
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
}

const isHex = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102)

const hexRun = (text: string, start: number, length: number): boolean => {
  if (start + length > text.length) return false
  for (let i = start; i < start + length; i++) if (!isHex(text.charCodeAt(i))) return false
  return true
}

/** The escape at `i`, if one starts there: the character it stands for and its length. */
const escapeAt = (text: string, i: number): readonly [string, number] | undefined => {
  const c = text[i]
  if (c === "%" && hexRun(text, i + 1, 2)) {
    return [String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16)), 3]
  }
  if (c === "\\") {
    const next = text[i + 1]
    if (next === "u" && hexRun(text, i + 2, 4)) {
      return [String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), 6]
    }
    if (next === "x" && hexRun(text, i + 2, 2)) {
      return [String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16)), 4]
    }
    const simple = next === undefined ? undefined : simpleEscapes[next]
    if (simple !== undefined) return [simple, 2]
  }
  if (c === "&" && text[i + 1] === "#") {
    const match = /^&#(?:x([0-9a-f]{1,6})|(\d{1,7}));/i.exec(text.slice(i, i + 12))
    if (match !== null) {
      const code = match[1] !== undefined ? parseInt(match[1], 16) : Number(match[2])
      if (code <= 0xffff) return [String.fromCharCode(code), match[0].length]
    }
  }
  return undefined
}

/** The characters an escape starts with. */
const escapeStart = /[%\\&]/g

/** Where the first escape of `text` at or after `from` starts, or -1. */
const nextEscape = (text: string, from: number): number => {
  escapeStart.lastIndex = from
  for (let match = escapeStart.exec(text); match !== null; match = escapeStart.exec(text)) {
    if (escapeAt(text, match.index) !== undefined) return match.index
  }
  return -1
}

/**
 * Decodes one layer of escapes, or gives `undefined` when the text holds none. Nothing is built
 * until an escape is found (a text without a backslash, `%` or `&` is answered by one regular
 * expression search), and the text between escapes is copied a run at a time.
 */
const decodeLayer = (text: string): Decoded | undefined => {
  let escape = nextEscape(text, 0)
  if (escape < 0) return undefined
  const parts: Array<string> = []
  // A decoded text is never longer than the original.
  const from = new Int32Array(text.length)
  const to = new Int32Array(text.length)
  let length = 0
  let at = 0
  while (at < text.length) {
    const end = escape < 0 ? text.length : escape
    if (end > at) {
      parts.push(text.slice(at, end))
      for (let i = at; i < end; i++, length++) {
        from[length] = i
        to[length] = i + 1
      }
      at = end
    }
    if (escape < 0) break
    const [decoded, size] = escapeAt(text, escape)!
    parts.push(decoded)
    from[length] = escape
    to[length] = escape + size
    length++
    at = escape + size
    escape = nextEscape(text, at)
  }
  return { text: parts.join(""), from: from.subarray(0, length), to: to.subarray(0, length) }
}

/** ASCII lower case, one code unit for one (so that positions stay put). */
const foldAscii = (text: string): string => text.replace(/[A-Z]+/g, (run) => run.toLowerCase())

/** Merges ranges into sorted, disjoint ones. */
const merge = (ranges: Array<readonly [number, number]>): Array<readonly [number, number]> => {
  ranges.sort((a, b) => a[0] - b[0])
  const out: Array<[number, number]> = []
  for (const [start, end] of ranges) {
    const last = out[out.length - 1]
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }
  return out
}

/** Builds the scrubber of one secret: its runs are computed here, once per client. */
export const makeScrubber = (secret: string): Scrubber => {
  const folded = foldAscii(secret)
  // A secret shorter than a fragment is matched whole.
  const size = Math.min(FRAGMENT, folded.length)
  const runs = new Set<string>()
  for (let i = 0; i + size <= folded.length; i++) runs.add(folded.slice(i, i + size))
  const alphabet = new Set(folded)

  /** The ranges of `text` (folded) where a run of the secret is. */
  const find = (text: string): Array<readonly [number, number]> => {
    const found: Array<readonly [number, number]> = []
    if (size === 0) return found
    let i = 0
    while (i + size <= text.length) {
      // A window with a character the secret does not have cannot match: skip past it.
      let skip = -1
      for (let j = i + size - 1; j >= i; j--) {
        if (!alphabet.has(text[j]!)) {
          skip = j
          break
        }
      }
      if (skip >= 0) {
        i = skip + 1
        continue
      }
      if (runs.has(text.slice(i, i + size))) found.push([i, i + size])
      i++
    }
    return found
  }

  const text = (input: string): string => {
    if (input.length < size || size === 0) return input
    // The ranges are searched in the text itself and in each decoded layer of it, and mapped
    // back to the original text.
    const ranges: Array<readonly [number, number]> = [...find(foldAscii(input))]
    let layer: Decoded = { text: input, from: [], to: [] }
    let from = (i: number): number => i
    let to = (i: number): number => i
    for (let depth = 0; depth < 3; depth++) {
      const next = decodeLayer(layer.text)
      if (next === undefined) break
      const [outerFrom, outerTo] = [from, to]
      from = (i) => outerFrom(next.from[i]!)
      to = (i) => outerTo(next.to[i - 1]!)
      for (const [start, end] of find(foldAscii(next.text))) ranges.push([from(start), to(end)])
      layer = next
    }
    if (ranges.length === 0) return input
    let out = ""
    let at = 0
    for (const [start, end] of merge(ranges)) {
      out += input.slice(at, start) + REDACTED
      at = end
    }
    return out + input.slice(at)
  }

  /** Whether anything in the value would change (`scrub`: {@link text}, remembered per value). */
  const dirty = (
    value: unknown,
    depth: number,
    seen: Set<object>,
    scrub: (text: string) => string,
  ): boolean => {
    if (typeof value === "string") return scrub(value) !== value
    if (!isCopied(value) || seen.has(value)) return false
    if (depth >= MAX_DEPTH) return true
    seen.add(value)
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === "string" && scrub(key) !== key) return true
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)
      if (
        descriptor !== undefined && "value" in descriptor && dirty(descriptor.value, depth + 1, seen, scrub)
      ) {
        return true
      }
    }
    return false
  }

  const copy = (
    value: unknown,
    depth: number,
    copies: Map<object, unknown>,
    scrub: (text: string) => string,
  ): unknown => {
    if (typeof value === "string") return scrub(value)
    if (!isCopied(value)) return value
    const known = copies.get(value)
    if (known !== undefined) return known
    if (depth >= MAX_DEPTH) return TOO_DEEP
    const target = emptyLike(value)
    copies.set(value, target)
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)
      if (descriptor === undefined) continue
      if ("value" in descriptor) descriptor.value = copy(descriptor.value, depth + 1, copies, scrub)
      Reflect.defineProperty(target, typeof key === "string" ? scrub(key) : key, descriptor)
    }
    if (Object.isFrozen(value)) Object.freeze(target)
    else if (Object.isSealed(value)) Object.seal(target)
    else if (!Object.isExtensible(value)) Object.preventExtensions(target)
    return target
  }

  /** Values known to hold nothing of the secret: an error that goes through several stages is checked once. */
  const clean = new WeakSet<object>()

  const value = <A>(input: A): A => {
    if (typeof input === "string") return text(input) as A
    if (!isCopied(input)) return input
    if (clean.has(input)) return input
    // Each string is scrubbed once per value: the copy reuses what the check found.
    const scrubbed = new Map<string, string>()
    const scrub = (one: string): string => {
      let out = scrubbed.get(one)
      if (out === undefined) {
        out = text(one)
        scrubbed.set(one, out)
      }
      return out
    }
    if (!dirty(input, 0, new Set(), scrub)) {
      clean.add(input)
      return input
    }
    const out = copy(input, 0, new Map(), scrub) as A
    if (typeof out === "object" && out !== null) clean.add(out)
    return out
  }

  return { text, value }
}

/** The objects that are copied: plain objects, arrays and errors. */
const isCopied = (value: unknown): value is object => {
  if (typeof value !== "object" || value === null) return false
  if (Array.isArray(value) || value instanceof Error) return true
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** An empty object of the same kind: an array, an error (a real one, of the same class), an object. */
const emptyLike = (value: object): object => {
  const prototype: object | null = Object.getPrototypeOf(value)
  if (Array.isArray(value)) return []
  if (value instanceof Error) {
    const constructor: unknown = value.constructor
    // A native error of the same class whose own constructor does not run: its fields are
    // copied from the original, stack included.
    const error: object = typeof constructor === "function"
      ? Reflect.construct(Error, [], constructor)
      : new Error()
    Object.setPrototypeOf(error, prototype)
    for (const key of Reflect.ownKeys(error)) Reflect.deleteProperty(error, key)
    return error
  }
  return Object.create(prototype)
}
