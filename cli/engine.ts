/**
 * The `WorkflowEngine` the `write` command runs its bulk write on: the library's durable engine
 * (`BulkWriteEngine.layerSql`) over one SQLite state file, so that the same command run again
 * after a Ctrl-C or a crash resumes the write, and answers a finished write from its stored
 * report. Against the built-in simulated Klaviyo, which lives in the process, the engine is in
 * memory: a simulated job does not outlive the process, so there is nothing to resume.
 *
 * @module
 */
import { resolve } from "node:path"
import type { ConfigError } from "effect/Config"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type { SqlError } from "effect/sql/SqlError"
import * as WorkflowEngine from "effect/workflow/WorkflowEngine"
import { BulkWriteEngine } from "../mod.ts"
import { ledgerNone, ledgerSql, type WriteLedger } from "./ledger.ts"
import { layerSqliteFile } from "./sqlite.ts"

/** The default state file of a write: beside its records file. */
export const defaultStatePath = (records: string): string => `${resolve(records)}.write-state.sqlite`

/**
 * How soon a run takes over a write from a process that died holding it (effect/cluster's own
 * default is 35 s): the shard locks expire 3 s after the last refresh, refreshed every second.
 */
export const SHARDING = {
  shardLockExpiration: "3 seconds",
  shardLockRefreshInterval: "1 second",
  refreshAssignmentsInterval: "500 millis",
  // A write is stopped at once on Ctrl-C: its state is on disk already, and what was running
  // (a POST, a poll) is found or done again by the next run.
  entityTerminationTimeout: "1 second",
} as const

/**
 * The durable engine over the SQLite file at `state`, and the file's ledger of writes (one
 * connection for both). effect/cluster's own log lines (its runners' health, its shards' locks)
 * are not the user's business: its fibers log to no logger. The write's own fibers keep the
 * program's loggers (the workflow runs in the context of the `bulkWrite` that registered it).
 */
export const durableEngine = (
  state: string,
): Layer.Layer<WorkflowEngine.WorkflowEngine | WriteLedger, ConfigError | SqlError> =>
  Layer.merge(
    BulkWriteEngine.layerSql({ pollInterval: "200 millis", shardingConfig: SHARDING }).pipe(
      Layer.provide(Logger.layer([])),
    ),
    ledgerSql,
  ).pipe(Layer.provide(layerSqliteFile({ filename: state })))

/** The engine of a write: durable over `state`, in memory when there is none (the simulator). */
export const engineLayer = (
  state: string | undefined,
): Layer.Layer<WorkflowEngine.WorkflowEngine | WriteLedger, ConfigError | SqlError> =>
  state === undefined ? Layer.merge(WorkflowEngine.layerMemory, ledgerNone) : durableEngine(state)
