// A minimal effect/sql SqlClient over node-sqlite3-wasm (SQLite in WebAssembly, writing a real file):
// the experiment of "a SQLite file without a native binary", for SqlMessageStorage's sqlite dialect.
import { Context, Effect, Fiber, Layer, Scope, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import * as SqlClient from "effect/sql/SqlClient"
import { classifySqliteError, SqlError } from "effect/sql/SqlError"
import * as Statement from "effect/sql/Statement"
import sqlite from "node-sqlite3-wasm"

const fail = (cause, message) => new SqlError({ reason: classifySqliteError(cause, { message, operation: "execute" }) })
const bind = (params) => params.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p instanceof Date ? p.toISOString() : p))

export const make = (options) => Effect.gen(function* () {
  const db = new sqlite.Database(options.filename)
  yield* Effect.addFinalizer(() => Effect.sync(() => db.close()))
  db.exec("PRAGMA journal_mode = " + (options.journal ?? "DELETE"))
  db.exec("PRAGMA busy_timeout = 10000")
  db.exec("PRAGMA synchronous = " + (process.env.SQLITE_SYNC ?? "FULL"))
  const all = (sql, params) => Effect.try({ try: () => db.all(sql, bind(params)), catch: (e) => fail(e, "Failed to execute statement") })
  const connection = {
    execute: (sql, params, transformRows) => transformRows ? Effect.map(all(sql, params), transformRows) : all(sql, params),
    executeRaw: (sql, params) => Effect.try({ try: () => db.run(sql, bind(params)), catch: (e) => fail(e, "Failed to execute statement") }),
    executeValues: (sql, params) => Effect.map(all(sql, params), (rows) => rows.map((r) => Object.values(r))),
    executeValuesUnprepared: (sql, params) => Effect.map(all(sql, params), (rows) => rows.map((r) => Object.values(r))),
    executeUnprepared: (sql, params, transformRows) => transformRows ? Effect.map(all(sql, params ?? []), transformRows) : all(sql, params ?? []),
    executeStream: () => Stream.die("executeStream not implemented"),
  }
  const semaphore = yield* Semaphore.make(1)
  const acquirer = semaphore.withPermits(1)(Effect.succeed(connection))
  const transactionAcquirer = Effect.uninterruptibleMask((restore) => {
    const fiber = Fiber.getCurrent()
    const scope = Context.getUnsafe(fiber.context, Scope.Scope)
    return Effect.as(Effect.tap(restore(semaphore.take(1)), () => Scope.addFinalizer(scope, semaphore.release(1))), connection)
  })
  return yield* SqlClient.make({
    acquirer,
    transactionAcquirer,
    compiler: Statement.makeCompilerSqlite(),
    driver: "node-sqlite3-wasm",
    spanAttributes: [["db.system.name", "sqlite"]],
  })
})

export const layer = (options) =>
  Layer.effectContext(Effect.map(make(options), (client) => Context.make(SqlClient.SqlClient, client))).pipe(
    Layer.provide(Reactivity.layer),
  )
