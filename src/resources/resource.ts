/**
 * A resource described once, by the Schema fields of its attributes: what the decoder needs
 * (each attribute's schema, whether a full document must carry it, its plain-code twin) is read
 * from those fields, never restated.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { twinOf } from "../internal/fast.ts"
import type { AttributeSpec, ResourceSpec } from "../internal/jsonapi.ts"
import type { Revision } from "../revision.ts"
import { lazy } from "../internal/lazy.ts"

/** The schema under an `optionalKey` (the attribute's own schema). */
const inner = (field: Schema.Top): Schema.Top =>
  SchemaAST.isOptional(field.ast) && "schema" in field ? (field.schema as Schema.Top) : field

/** Each attribute's spec, read from the struct fields of the resource's attributes. */
export const attributeSpecs = (fields: Schema.Struct.Fields): Readonly<Record<string, AttributeSpec>> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, field]) => {
      const schema = inner(field as Schema.Top)
      return [name, {
        schema: schema as unknown as Schema.Decoder<unknown>,
        required: !SchemaAST.isOptional(field.ast),
        fast: twinOf(schema),
      }]
    }),
  )

/**
 * A catalog resource (item, variant, category): its attributes, and the names `fields[type]`
 * accepts (the attributes, and `id` after revision 2023-10-15), in alphabetical order. Its
 * Schemas are built from `fields` when first read, not at import.
 */
export const catalogResource = (type: string, fields: () => Schema.Struct.Fields): ResourceSpec => {
  const spec = lazy(() => {
    const attributes = attributeSpecs(fields())
    const names = Object.keys(attributes)
    return { attributes, withId: [...names, "id"].sort(), withoutId: [...names].sort() }
  })
  return {
    type,
    get attributes() {
      return spec().attributes
    },
    fields: (revision: Revision) => revision.jobIdAttribute ? spec().withoutId : spec().withId,
  }
}

/** An attribute that may be `null` or absent, as most of the spec's are. */
export type Nullable<S extends Schema.Top> = Schema.optionalKey<Schema.NullOr<S>>

/** The schema of an attribute that may be `null` or absent. */
export const nullable = <S extends Schema.Top>(schema: S): Nullable<S> =>
  Schema.optionalKey(Schema.NullOr(schema))
