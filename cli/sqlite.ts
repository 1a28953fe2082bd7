/**
 * The CLI's durable store: an effect/sql `SqlClient` over one SQLite file through
 * `node-sqlite3-wasm` (SQLite compiled to WebAssembly with a file-system VFS: no native binary,
 * no install script; Node 20, Deno and Bun). No Effect 4 SQLite driver runs with effect 4.1
 * today (see src/bulk-write/DURABILITY.md), so this is ours: one connection shared through a
 * semaphore (Effect's own SQLite acquirers), SQLite's statement compiler and error classes. One
 * process uses a file at a time (see `claim`: the wasm VFS's lock does not survive a SIGKILL).
 *
 * @internal
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Reactivity from "effect/reactivity/Reactivity"
import * as Semaphore from "effect/Semaphore"
import * as Stream from "effect/Stream"
import type * as SqlConnection from "effect/sql/SqlConnection"
import * as SqlClient from "effect/sql/SqlClient"
import { classifySqliteError, SqlError } from "effect/sql/SqlError"
import * as Statement from "effect/sql/Statement"
import sqlite from "node-sqlite3-wasm"

/**
 * Where the SQLite file is, and how long a statement waits for another process's lock.
 */
export interface SqliteFileOptions {
  /** The file (created when missing). */
  readonly filename: string
  /**
   * How long a statement waits while another process holds the database's lock, in ms.
   *
   * @default 10000
   */
  readonly busyTimeoutMillis?: number
}

type Value = boolean | number | bigint | string | Uint8Array | null

/** A parameter as SQLite takes it: booleans as 0/1, dates as ISO text, nothing else changed. */
const bind = (params: ReadonlyArray<unknown>): Array<Value> =>
  params.map((value): Value =>
    typeof value === "boolean"
      ? (value ? 1 : 0)
      : value instanceof Date
      ? value.toISOString()
      : value === undefined
      ? null
      : value as Value
  )

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { readonly code?: string }).code === "EPERM"
  }
}

/**
 * Takes the file for this process. node-sqlite3-wasm locks a database with a directory
 * (`<file>.lock`) that a killed process leaves behind, and every later statement is then
 * `SQLITE_BUSY`: the owner file (`<file>.owner`, a pid) says whether the lock's holder is gone, and
 * a stale lock is removed. One process uses a file at a time; a live owner is refused.
 */
const claim = (filename: string): void => {
  const owner = `${filename}.owner`
  let previous: number | undefined
  try {
    previous = Number(readFileSync(owner, "utf8").trim())
  } catch {
    previous = undefined
  }
  if (previous !== undefined && Number.isInteger(previous) && previous > 0 && previous !== process.pid) {
    if (alive(previous)) throw new Error(`${filename} is in use by process ${previous}`)
  }
  rmSync(`${filename}.lock`, { recursive: true, force: true })
  writeFileSync(owner, String(process.pid))
}

const release = (filename: string): void => {
  try {
    if (Number(readFileSync(`${filename}.owner`, "utf8").trim()) === process.pid) rmSync(`${filename}.owner`)
  } catch {
    // gone already
  }
}

const failure = (cause: unknown, operation: string, message = "SQLite statement failed"): SqlError =>
  new SqlError({ reason: classifySqliteError(cause, { message, operation }) })

/** A connection over an open database: every statement run at once, in this thread. */
const connection = (db: sqlite.Database): SqlConnection.Connection => {
  const all = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.try({ try: () => db.all(sql, bind(params)), catch: (cause) => failure(cause, "execute") })
  const values = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.map(all(sql, params), (rows) => rows.map((row) => Object.values(row)))
  return {
    execute: (sql, params, transformRows) =>
      transformRows === undefined ? all(sql, params) : Effect.map(all(sql, params), transformRows),
    executeRaw: (sql, params) =>
      Effect.try({ try: () => db.run(sql, bind(params)), catch: (cause) => failure(cause, "execute") }),
    executeValues: values,
    executeValuesUnprepared: values,
    executeUnprepared: (sql, params, transformRows) =>
      transformRows === undefined ? all(sql, params) : Effect.map(all(sql, params), transformRows),
    executeStream: (sql, params, transformRows) =>
      Stream.flatMap(
        Stream.fromEffect(
          transformRows === undefined ? all(sql, params) : Effect.map(all(sql, params), transformRows),
        ),
        Stream.fromIterable,
      ),
  }
}

/**
 * An effect/sql `SqlClient` over one SQLite file, closed with its scope. Write-ahead logging is
 * left off (rollback journal, full sync): a write's state is on disk when a statement returns.
 */
export const makeSqliteFile = (
  options: SqliteFileOptions,
): Effect.Effect<SqlClient.SqlClient, SqlError, Reactivity.Reactivity | Scope.Scope> =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      Effect.try({
        try: () => {
          claim(options.filename)
          const opened = new sqlite.Database(options.filename)
          opened.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMillis ?? 10_000))}`)
          opened.exec("PRAGMA synchronous = FULL")
          return opened
        },
        catch: (cause) =>
          failure(
            cause,
            "open",
            `Could not open ${options.filename}: ${cause instanceof Error ? cause.message : String(cause)}`,
          ),
      }),
      (opened) =>
        Effect.sync(() => {
          opened.close()
          release(options.filename)
        }),
    )
    const semaphore = yield* Semaphore.make(1)
    const acquirers = SqlClient.makeSqliteAcquirers({
      connection: Effect.succeed(connection(db)),
      semaphore,
      isTransaction: () => db.inTransaction,
    })
    return yield* SqlClient.make({
      acquirer: acquirers.acquirer,
      borrower: acquirers.borrower,
      transactionAcquirer: acquirers.transactionAcquirer,
      compiler: Statement.makeCompilerSqlite(),
      driver: "node-sqlite3-wasm",
      spanAttributes: [["db.system.name", "sqlite"]],
    })
  })

/**
 * {@link makeSqliteFile} as a layer of `SqlClient`.
 */
export const layerSqliteFile = (options: SqliteFileOptions): Layer.Layer<SqlClient.SqlClient, SqlError> =>
  Layer.effectContext(
    Effect.map(makeSqliteFile(options), (client) => Context.make(SqlClient.SqlClient, client)),
  ).pipe(Layer.provide(Reactivity.layer))
