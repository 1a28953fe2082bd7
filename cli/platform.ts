/**
 * The platform services `effect/cli` runs on (arguments, standard streams, the terminal, files,
 * paths, child processes), from `@effect/platform-node-shared`: the same five layers that
 * `@effect/platform-node`'s `NodeServices.layer` merges, without that package's `undici` and
 * `redis` dependencies. They use only `node:` modules, so they run on Node 20, Deno and Bun.
 *
 * @module
 */
import * as NodeChildProcessSpawner from "@effect/platform-node-shared/NodeChildProcessSpawner"
import * as NodeFileSystem from "@effect/platform-node-shared/NodeFileSystem"
import * as NodePath from "@effect/platform-node-shared/NodePath"
import * as NodeStdio from "@effect/platform-node-shared/NodeStdio"
import * as NodeTerminal from "@effect/platform-node-shared/NodeTerminal"
import * as Layer from "effect/Layer"
import type * as Command from "effect/cli/Command"

/** What `Command.run` needs. */
export const platformLayer: Layer.Layer<Command.Environment> = Layer.provideMerge(
  NodeChildProcessSpawner.layer,
  Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeStdio.layer, NodeTerminal.layer),
)
