/**
 * Duplicate detection over any number of records, in bounded memory per record.
 *
 * A `Set` of the ids would be exact but costs what the strings cost: measured on Node 20 with
 * 1,000,000 ids of 33 characters (`$custom:::$default:::SKU-00000001`), 77 MB for a
 * `Set<string>` (85 MB for a `Map` to the index), more for longer ids. This table keeps, for
 * each identity, a 64-bit fingerprint and the index of the first record that had it, in one
 * flat `Uint32Array` (3 words a slot, open addressing, at most 3/4 full, doubled when it fills):
 * 25 MB for 1,000,000 records (12 to 24 bytes a record), whatever the ids' length, and no
 * object per record for the garbage collector.
 *
 * The price is the chance of a false duplicate: two different identities with the same 64-bit
 * fingerprint. For n records it is about n² / 2⁶⁵: 2.7 × 10⁻⁸ for a million, 2.7 × 10⁻⁶ for ten
 * million. The error is safe in direction: a false duplicate is a record reported as failed
 * ("duplicate of record j") and not sent, never a record sent twice, and the report names both
 * records so a person can check.
 *
 * @internal
 */

/** Two 32-bit lanes of a string hash (cyrb53's mixing, both lanes kept: 64 bits). */
export const fingerprint = (text: string): readonly [number, number] => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return [h1 >>> 0, h2 >>> 0]
}

/** Remembers identities; says, for a repeated one, the index of the record that first had it. */
export interface DuplicateTable {
  /** The index of the earlier record with this identity, or `undefined` (and `index` is kept). */
  readonly check: (identity: string, index: number) => number | undefined
  /** How many identities are kept. */
  readonly size: () => number
  /** The bytes the table holds now. */
  readonly bytes: () => number
}

/** An empty table (`initialSlots` a power of two, 1024 by default). */
export const makeDuplicateTable = (initialSlots = 1024): DuplicateTable => {
  let slots = initialSlots
  // Per slot: fingerprint lane 1, lane 2, index + 1 (0: empty).
  let table = new Uint32Array(slots * 3)
  let size = 0

  const place = (into: Uint32Array, mask: number, h1: number, h2: number, entry: number): void => {
    let slot = h1 & mask
    while (into[slot * 3 + 2] !== 0) slot = (slot + 1) & mask
    into[slot * 3] = h1
    into[slot * 3 + 1] = h2
    into[slot * 3 + 2] = entry
  }

  const grow = (): void => {
    const next = new Uint32Array(slots * 2 * 3)
    const mask = slots * 2 - 1
    for (let slot = 0; slot < slots; slot++) {
      const entry = table[slot * 3 + 2]!
      if (entry !== 0) place(next, mask, table[slot * 3]!, table[slot * 3 + 1]!, entry)
    }
    table = next
    slots *= 2
  }

  return {
    check: (identity, index) => {
      const [h1, h2] = fingerprint(identity)
      const mask = slots - 1
      let slot = h1 & mask
      while (true) {
        const entry = table[slot * 3 + 2]!
        if (entry === 0) break
        if (table[slot * 3] === h1 && table[slot * 3 + 1] === h2) return entry - 1
        slot = (slot + 1) & mask
      }
      table[slot * 3] = h1
      table[slot * 3 + 1] = h2
      table[slot * 3 + 2] = index + 1
      size++
      if (size * 4 > slots * 3) grow()
      return undefined
    },
    size: () => size,
    bytes: () => table.byteLength,
  }
}
