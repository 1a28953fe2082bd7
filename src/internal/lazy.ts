/**
 * A value built on first use instead of at import: the library's cold import stays the cost of
 * loading its code, not of building the Schemas, routes and lookups that only a call needs.
 *
 * @internal
 */

/** `make`'s value, made on the first call of the returned function and kept. */
export const lazy = <A>(make: () => A): () => A => {
  let made = false
  let value: A
  return () => {
    if (!made) {
      value = make()
      made = true
    }
    return value
  }
}
