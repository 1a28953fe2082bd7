/** The overhead benchmark's printed tables and its verdicts against the targets of issue 15. */
import type { OverheadRow } from "./results.ts"
import type { Scenario } from "./peers.ts"

const titles: Record<Scenario, string> = {
  get: "GET one job with 100 included categories",
  post: "POST a job of 100 category records",
  list: "GET one page of 100 jobs",
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits)

/** One call's table: per concurrency and client, CPU and wall time per call and their ratios. */
export const printScenario = (scenario: Scenario, rows: ReadonlyArray<OverheadRow>): string =>
  [
    `\n${titles[scenario]} (${scenario})\n`,
    "| c  | client              | CPU/call | CPU vs floor | wall/call | wall vs floor | (rounds)  | median   | p99       |",
    "| -- | ------------------- | -------- | ------------ | --------- | ------------- | --------- | -------- | --------- |",
    ...rows.map((row) =>
      `| ${String(row.concurrency).padEnd(2)} | ${row.client.padEnd(19)} | ${
        `${fmt(row.cpuMsPerCall, 3)} ms`.padEnd(8)
      } | ${`${fmt(row.cpuRatio)}x`.padEnd(12)} | ${`${fmt(row.wallMsPerCall, 3)} ms`.padEnd(9)} | ${
        `${fmt(row.ratio)}x`.padEnd(13)
      } | ${`${fmt(row.roundRatioMin)}-${fmt(row.roundRatioMax)}`.padEnd(9)} | ${
        `${fmt(row.medianMs)} ms`.padEnd(8)
      } | ${`${fmt(row.p99Ms)} ms`.padEnd(9)} |`
    ),
  ].join("\n")

/** The CPU target of `library (Effect)` at concurrency 32, per runtime. */
export const cpuTargets: Readonly<Record<string, number>> = { node: 1.6, deno: 1.9, bun: 2.0 }

/** One line per target: met or missed, with the figures. */
export const verdicts = (
  rows: ReadonlyArray<OverheadRow>,
  runtime: string,
  budgetCostMs?: number,
): ReadonlyArray<string> => {
  const find = (scenario: string, concurrency: number, client: string) =>
    rows.find((row) => row.scenario === scenario && row.concurrency === concurrency && row.client === client)
  const target = cpuTargets[runtime] ?? 1.6
  const scenarios = [...new Set(rows.map((row) => row.scenario))]
  return scenarios.flatMap((scenario) => {
    const ours = find(scenario, 32, "library (Effect)")
    const peer = find(scenario, 32, "HttpClient + Schema")
    const bare = find(scenario, 32, "library, no budget")
    if (ours === undefined) return []
    const lines = [
      `${scenario}: library (Effect) at concurrency 32 within ${target}x the floor's CPU: ${
        ours.cpuRatio <= target ? "met" : "MISSED"
      } (${fmt(ours.cpuRatio)}x)`,
    ]
    if (peer !== undefined) {
      lines.push(
        `${scenario}: library (Effect) at concurrency 32 cheaper than HttpClient + Schema: ${
          ours.cpuMsPerCall < peer.cpuMsPerCall ? "met" : "MISSED"
        } (${fmt(ours.cpuMsPerCall, 3)} vs ${fmt(peer.cpuMsPerCall, 3)} ms CPU a call)`,
      )
    }
    if (budgetCostMs !== undefined) {
      // Measured directly (bench/support/budget-cost.ts): the budget's transforms over a client
      // that answers at once, so that the network's noise is not in the difference.
      const share = budgetCostMs / ours.cpuMsPerCall
      lines.push(
        `${scenario}: the in-memory budget at most 5% of a call at concurrency 32: ${
          share <= 0.05 ? "met" : "MISSED"
        } (${fmt(share * 100, 1)}%: ${fmt(budgetCostMs * 1000, 1)} µs of the ${
          fmt(ours.cpuMsPerCall, 3)
        } ms a call)`,
      )
    }
    if (bare !== undefined) {
      // The same share as the difference of two measured calls: within the calls' own noise.
      const share = (ours.cpuMsPerCall - bare.cpuMsPerCall) / ours.cpuMsPerCall
      lines.push(
        `${scenario}: library (Effect) against library, no budget: ${fmt(share * 100, 1)}% (${
          fmt(ours.cpuMsPerCall, 3)
        } with, ${fmt(bare.cpuMsPerCall, 3)} ms without; rounds vary by more than that)`,
      )
    }
    return lines
  })
}
