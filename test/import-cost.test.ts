/**
 * What importing the library does not do: read `globalThis.crypto` (on Node its first read loads
 * Web Crypto, about 4 ms of a cold import; the library draws its random ids when it first needs
 * one). `bench/size.ts` measures the import itself; this keeps the cost from coming back.
 */
import { describe, expect, it } from "vitest"

describe("importing the library", () => {
  it("reads no globalThis.crypto", async () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, "crypto")
    const real = globalThis.crypto
    let reads = 0
    Object.defineProperty(globalThis, "crypto", {
      configurable: true,
      get: () => {
        reads++
        return real
      },
    })
    try {
      const library = await import("../mod.ts")
      expect(typeof library.bulkWrite).toBe("function")
      expect(reads).toBe(0)
    } finally {
      if (original === undefined) Reflect.deleteProperty(globalThis, "crypto")
      else Object.defineProperty(globalThis, "crypto", original)
    }
  })
})
