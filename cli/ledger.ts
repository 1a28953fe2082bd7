/**
 * The writes a state file has held, in a table of its own beside the engine's: which write of
 * which file, and whether it finished. A changed records file is a new write (its id is derived
 * from the content); the ledger lets `write` say so when the state file still holds an
 * unfinished write of the file as it was, instead of leaving it unsaid.
 *
 * @module
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as SqlClient from "effect/sql/SqlClient"
import type { SqlError } from "effect/sql/SqlError"

/** A write the state file holds. */
export interface LedgerEntry {
  readonly id: string
  readonly file: string
}

/** What the ledger of a state file does. */
export interface WriteLedgerShape {
  /**
   * Records that the write `id` of `file` is under way; its value is the other writes left
   * unfinished, which are no longer expected to finish (they are marked superseded).
   */
  readonly start: (id: string, file: string) => Effect.Effect<ReadonlyArray<LedgerEntry>, SqlError>
  /** Records that the write `id` finished. */
  readonly finish: (id: string) => Effect.Effect<void, SqlError>
}

const WriteLedgerBase: Context.ServiceClass<WriteLedger, "cli/WriteLedger", WriteLedgerShape> = Context
  .Service<
    WriteLedger,
    WriteLedgerShape
  >()("cli/WriteLedger")

/** The ledger of a state file. */
export class WriteLedger extends WriteLedgerBase {}

/** No ledger: a write in memory leaves nothing behind. */
export const ledgerNone: Layer.Layer<WriteLedger> = Layer.succeed(WriteLedger, {
  start: () => Effect.succeed([]),
  finish: () => Effect.void,
})

/** The ledger in the state file's own table `cli_write` (`state`: 0 under way, 1 finished, 2 superseded). */
export const ledgerSql: Layer.Layer<WriteLedger, SqlError, SqlClient.SqlClient> = Layer.effect(
  WriteLedger,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS cli_write (id TEXT PRIMARY KEY, file TEXT NOT NULL, state INTEGER NOT NULL)`
    return {
      start: (id, file) =>
        sql.withTransaction(Effect.gen(function* () {
          const others = yield* sql<
            LedgerEntry
          >`SELECT id, file FROM cli_write WHERE state = 0 AND id <> ${id}`
          yield* sql`UPDATE cli_write SET state = 2 WHERE state = 0 AND id <> ${id}`
          yield* sql`INSERT INTO cli_write (id, file, state) VALUES (${id}, ${file}, 0) ON CONFLICT (id) DO NOTHING`
          return others
        })),
      finish: (id) => Effect.asVoid(sql`UPDATE cli_write SET state = 1 WHERE id = ${id}`),
    }
  }),
)
