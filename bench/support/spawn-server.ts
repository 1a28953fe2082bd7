/** Starts `limited-server.ts` in a child process and waits for its port. */
import { type ChildProcess, spawn } from "node:child_process"
import type { SimulatedRateLimit, SimulatorStats } from "../../mod.ts"

export interface LimitedServer {
  readonly url: string
  readonly stats: () => Promise<SimulatorStats>
  readonly stop: () => void
}

export const spawnLimitedServer = (rateLimit: SimulatedRateLimit): Promise<LimitedServer> =>
  new Promise((resolve, reject) => {
    // Always run with tsx on Node, whatever runtime asks (the tests also run on Deno and Bun).
    const tsx = new URL("../../node_modules/.bin/tsx", import.meta.url).pathname
    const child: ChildProcess = spawn(
      tsx,
      [new URL("./limited-server.ts", import.meta.url).pathname, JSON.stringify(rateLimit)],
      { stdio: ["ignore", "pipe", "inherit"] },
    )
    child.once("error", reject)
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      const match = /port (\d+)/.exec(text)
      if (match === null) return
      const url = `http://127.0.0.1:${match[1]}`
      resolve({
        url,
        stats: async () => (await (await fetch(`${url}/__stats`)).json()) as SimulatorStats,
        stop: () => void child.kill("SIGTERM"),
      })
    })
  })
