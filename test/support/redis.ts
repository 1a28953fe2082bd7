/**
 * A private Redis server for tests: `redis-server` from Debian's packages (`.ci/run` installs
 * it), on 127.0.0.1 at a free port, with its own empty data folder, stopped by its PID.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

export interface RedisServer {
  readonly url: string
  readonly port: number
  readonly stop: () => Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const redisServerBinary = (): string => {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim()
  } catch {
    throw new Error("redis-server is not installed: `apt-get install -y redis-server` (.ci/run does this)")
  }
}

/** Starts redis-server (on `port`, when given: to restart one that was stopped). */
export const startRedis = async (port?: number): Promise<RedisServer> => {
  const binary = redisServerBinary()
  const chosen = port ?? await freePort()
  const dir = mkdtempSync(join(tmpdir(), "catalog-jobs-redis-"))
  const child: ChildProcess = spawn(binary, [
    "--bind",
    "127.0.0.1",
    "--port",
    String(chosen),
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--protected-mode",
    "yes",
  ], { stdio: ["ignore", "pipe", "pipe"] })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis-server did not start within 10 s")), 10_000)
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}`)))
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      if (text.includes("Ready to accept connections")) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  return {
    url: `redis://127.0.0.1:${chosen}`,
    port: chosen,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          rmSync(dir, { recursive: true, force: true })
          resolve()
        })
        child.kill("SIGTERM")
      }),
  }
}
