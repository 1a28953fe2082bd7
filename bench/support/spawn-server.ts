/** Starts a bench server (`limited-server.ts`, `job-server.ts`) in a child process and waits for its port. */
import { type ChildProcess, spawn } from "node:child_process"
import type { SimulatedRateLimit, SimulatorStats } from "../../mod.ts"

export interface LimitedServer {
  readonly url: string
  readonly stats: () => Promise<SimulatorStats>
  readonly stop: () => void
}

export const spawnLimitedServer = (rateLimit: SimulatedRateLimit): Promise<LimitedServer> =>
  spawnServer("./limited-server.ts", [JSON.stringify(rateLimit)])

/** A bench server, started with tsx on Node, its stats as JSON. */
export interface BenchServer<Stats> {
  readonly url: string
  readonly stats: () => Promise<Stats>
  readonly stop: () => void
}

/** Starts `script` (relative to this folder) with `args`; resolves once it prints `port <n>`. */
export const spawnServer = <Stats = SimulatorStats>(
  script: string,
  args: ReadonlyArray<string>,
): Promise<BenchServer<Stats>> =>
  new Promise((resolve, reject) => {
    // Always run with tsx on Node, whatever runtime asks (the tests also run on Deno and Bun).
    const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname
    const child: ChildProcess = spawn(
      tsx,
      [new URL(script, import.meta.url).pathname, ...args],
      { stdio: ["ignore", "pipe", "inherit"] },
    )
    child.once("error", reject)
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      const match = /port (\d+)/.exec(text)
      if (match === null) return
      const url = `http://127.0.0.1:${match[1]}`
      resolve({
        url,
        stats: async () => (await (await fetch(`${url}/__stats`)).json()) as Stats,
        stop: () => void child.kill("SIGTERM"),
      })
    })
  })
