/**
 * A durable engine for `bulkWrite`: effect/cluster's workflow engine in one process
 * (`SingleRunner`), its messages, replies and runners stored through an effect/sql `SqlClient`
 * (`SqlMessageStorage`, `runnerStorage: "sql"`). The library brings no SQL driver: the caller
 * provides the `SqlClient` (PostgreSQL through `@effect/sql-pg`, or the CLI's SQLite file).
 *
 * @module
 */
import type { ConfigError } from "effect/Config"
import * as Digest from "effect/crypto/Digest"
import type * as ShardingConfig from "effect/cluster/ShardingConfig"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Duration from "effect/Duration"
import type * as SqlClient from "effect/sql/SqlClient"
import type * as WorkflowEngine from "effect/workflow/WorkflowEngine"

/**
 * The options of {@link BulkWriteEngine.layerSql}.
 *
 * @example
 * ```ts
 * import type { BulkWriteEngineOptions } from "@effect-klaviyo/catalog-jobs"
 *
 * const options: BulkWriteEngineOptions = { pollInterval: "1 second" }
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export interface BulkWriteEngineOptions {
  /**
   * How often the engine reads its storage for messages it has not processed (a write left
   * unfinished by a crash is picked up within this time of its restart).
   *
   * @default "1 second"
   */
  readonly pollInterval?: Duration.Input
  /**
   * Any other setting of effect/cluster's `ShardingConfig` (for example `shardLockExpiration`:
   * how long a killed process's shards stay locked before a restart can take them).
   */
  readonly shardingConfig?: Partial<ShardingConfig.ShardingConfig["Service"]>
}

/**
 * The engines `bulkWrite` runs on. `layerSql` is the durable one: a write killed at any moment
 * and started again with the same `id` (and the same records) resumes, every completed activity
 * read back from the database; never `runnerStorage: "memory"` with a shared database (two
 * processes would both run the same activity).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import type { SqlClient } from "effect/sql/SqlClient"
 * import { bulkWrite, BulkWriteEngine } from "@effect-klaviyo/catalog-jobs"
 *
 * declare const sql: Layer.Layer<SqlClient>
 *
 * const write = bulkWrite(
 *   { resource: "catalog-category", operation: "update" },
 *   [{ id: "$custom:::$default:::APPAREL", name: "Apparel" }],
 *   { id: "nightly-2026-12-01" },
 * ).pipe(Effect.provide(BulkWriteEngine.layerSql().pipe(Layer.provide(sql))))
 * ```
 *
 * @since 0.3.0
 * @category bulk writes
 */
export const BulkWriteEngine: {
  readonly layerSql: (
    options?: BulkWriteEngineOptions,
  ) => Layer.Layer<WorkflowEngine.WorkflowEngine, ConfigError, SqlClient.SqlClient>
} = {
  // effect/cluster is loaded when the layer is built, not when the library is imported: it is
  // most of the import time of the modules the library uses (about 0.3 s of 0.8 s on Node).
  layerSql: (options) =>
    Layer.unwrap(Effect.promise(async () => {
      const [ClusterWorkflowEngine, SingleRunner] = await Promise.all([
        import("effect/cluster/ClusterWorkflowEngine"),
        import("effect/cluster/SingleRunner"),
      ])
      return ClusterWorkflowEngine.layer.pipe(
        Layer.provide(
          SingleRunner.layer({
            runnerStorage: "sql",
            shardingConfig: {
              entityMessagePollInterval: options?.pollInterval ?? "1 second",
              ...options?.shardingConfig,
            },
          }),
        ),
        Layer.provide(Digest.layerWebCrypto),
      )
    })),
}
