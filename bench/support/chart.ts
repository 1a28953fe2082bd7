/**
 * Draws bench/results.svg by hand: for each runtime, the time a request costs relative to raw
 * `fetch` + `JSON.parse` (1.0), per client, at each concurrency; the machine, the runtime
 * versions and the dates beside it.
 */
import type { OverheadRun } from "./results.ts"

const clients = [
  { name: "library (Effect)", color: "#2563eb" },
  { name: "library, no budget", color: "#1e3a8a" },
  { name: "library (Promise)", color: "#60a5fa" },
  { name: "HttpClient + Schema", color: "#7c3aed" },
  { name: "HttpClient + json", color: "#c4b5fd" },
  { name: "ky", color: "#10b981" },
  { name: "klaviyo-api", color: "#f97316" },
] as const

/** The CPU target of `library (Effect)` at concurrency 32, per runtime (issue 15). */
const targets: Readonly<Record<string, number>> = { node: 1.6, deno: 1.9, bun: 2.0 }
const runtimeOrder = ["node", "deno", "bun"]

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

export const drawChart = (runs: ReadonlyArray<OverheadRun>): string => {
  const sorted = [...runs].sort((a, b) => runtimeOrder.indexOf(a.runtime) - runtimeOrder.indexOf(b.runtime))
  const concurrencies = [...new Set(sorted.flatMap((run) => run.rows.map((row) => row.concurrency)))].sort((
    a,
    b,
  ) => a - b)
  // The GET of a job with its categories.
  const rowsOf = (run: OverheadRun) => run.rows.filter((row) => row.scenario === "get")
  const valueOf = (row: OverheadRun["rows"][number]) => row.cpuRatio
  const ratios = sorted.flatMap((run) => rowsOf(run).map(valueOf))
  const top = Math.max(1.5, Math.ceil(Math.max(...ratios, 1) * 2) / 2)

  const bar = 14
  const gap = 3
  const groupGap = 22
  const panelGap = 34
  const groupWidth = clients.length * bar + (clients.length - 1) * gap
  const panelWidth = concurrencies.length * groupWidth + (concurrencies.length - 1) * groupGap
  const left = 56
  const plotTop = 90
  const plotHeight = 240
  const width = Math.max(
    680,
    left + sorted.length * panelWidth + (sorted.length - 1) * panelGap + 24,
  )
  const footerLines = 3 + sorted.length
  const height = plotTop + plotHeight + 60 + footerLines * 16
  const y = (ratio: number) => plotTop + plotHeight - (ratio / top) * plotHeight

  const out: Array<string> = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="600">CPU time per call relative to raw fetch + JSON.parse (lower is better)</text>`,
    `<text x="${left}" y="40" fill="#555">GET one job with 100 included categories from a local server; 1.0 = the floor; dashed: the target at c=32</text>`,
  )
  clients.forEach((client, index) => {
    const x = left + (index % 4) * 150
    out.push(
      `<rect x="${x}" y="${50 + Math.floor(index / 4) * 16}" width="12" height="12" fill="${client.color}"/>`,
      `<text x="${x + 17}" y="${60 + Math.floor(index / 4) * 16}">${escape(client.name)}</text>`,
    )
  })
  // Axis and grid.
  for (let tick = 0; tick <= top + 1e-9; tick += 0.5) {
    const ty = y(tick)
    out.push(
      `<line x1="${left}" x2="${width - 16}" y1="${ty}" y2="${ty}" stroke="${
        tick === 1 ? "#111" : "#e5e7eb"
      }" stroke-width="${tick === 1 ? 1.5 : 1}"/>`,
      `<text x="${left - 8}" y="${ty + 4}" text-anchor="end" fill="#555">${tick.toFixed(1)}</text>`,
    )
  }
  sorted.forEach((run, panel) => {
    const panelX = left + 12 + panel * (panelWidth + panelGap)
    concurrencies.forEach((concurrency, group) => {
      const groupX = panelX + group * (groupWidth + groupGap)
      const target = targets[run.runtime]
      if (concurrency === 32 && target !== undefined) {
        out.push(
          `<line x1="${groupX - 4}" x2="${groupX + groupWidth + 4}" y1="${y(target)}" y2="${
            y(target)
          }" stroke="#16a34a" stroke-dasharray="5 4"/>`,
        )
      }
      clients.forEach((client, index) => {
        const row = rowsOf(run).find((r) => r.concurrency === concurrency && r.client === client.name)
        if (row === undefined) return
        const ratio = valueOf(row)
        const x = groupX + index * (bar + gap)
        const barTop = y(ratio)
        out.push(
          `<rect x="${x}" y="${barTop}" width="${bar}" height="${
            plotTop + plotHeight - barTop
          }" fill="${client.color}"><title>${
            escape(`${run.runtime} ${client.name} c=${concurrency}: ${ratio.toFixed(2)}x`)
          }</title></rect>`,
          `<text x="${x + bar / 2}" y="${barTop - 4}" text-anchor="middle" font-size="8">${
            ratio.toFixed(1)
          }</text>`,
        )
      })
      out.push(
        `<text x="${groupX + groupWidth / 2}" y="${
          plotTop + plotHeight + 16
        }" text-anchor="middle" fill="#333">c=${concurrency}</text>`,
      )
    })
    out.push(
      `<text x="${panelX + panelWidth / 2}" y="${
        plotTop + plotHeight + 36
      }" text-anchor="middle" font-weight="600">${escape(`${run.runtime} ${run.version}`)}</text>`,
    )
  })
  const machine = sorted[0]?.machine
  const footerY = plotTop + plotHeight + 62
  const footer = [
    machine === undefined
      ? ""
      : `Machine: ${machine.os}, ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB`,
    "Ratio: the client's CPU time per call over the floor's (process.cpuUsage), all rounds of one run (clients alternating).",
    ...sorted.map((run) =>
      `${run.runtime} ${run.version}: ${run.date.slice(0, 16).replace("T", " ")} UTC, ${run.command}`
    ),
  ]
  footer.forEach((line, index) => {
    out.push(
      `<text x="${left}" y="${footerY + index * 16}" fill="#444" font-size="11">${escape(line)}</text>`,
    )
  })
  out.push("</svg>")
  return `${out.join("\n")}\n`
}
