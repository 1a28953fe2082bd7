/**
 * Runs the command-line program (`cli.ts`) as a subprocess on the runtime running the tests
 * (Node, Deno, Bun), either with its output piped, or in a real pseudo-terminal:
 * a private tmux server, whose `capture-pane` shows the screen as a person would see it.
 * `.ci/run` installs tmux.
 */
import { execFileSync, spawn } from "node:child_process"
import { rmSync } from "node:fs"
import { join } from "node:path"

const root = join(import.meta.dirname, "..", "..")

/** The environment a run starts from: no credentials of the machine's, no colors forced. */
const baseEnv = (): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith("KLAVIYO_") || name === "FORCE_COLOR") continue
    env[name] = value
  }
  return env
}

const runtime = "Deno" in globalThis ? "deno" : process.versions.bun !== undefined ? "bun" : "node"

/**
 * Node 20 cannot run TypeScript: cli.ts is transpiled once with esbuild (what tsx does on every
 * start, which costs a second of CPU a run), its packages left to node_modules.
 */
const nodeBundle = join(root, ".cache", "cli-test", `cli-${process.pid}.mjs`)
let bundled: Promise<unknown> | undefined

/** Removes what {@link prepareCli} made. */
export const cleanupCli = (): void => rmSync(nodeBundle, { force: true })

/** Prepares the program for this runtime (call before the first run). */
export const prepareCli = async (): Promise<void> => {
  if (runtime !== "node") return
  bundled ??= import("esbuild").then((esbuild) =>
    esbuild.build({
      entryPoints: [join(root, "cli.ts")],
      outfile: nodeBundle,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "error",
    })
  )
  await bundled
}

/** The command line that runs cli.ts on this runtime. */
export const cliCommand = (args: ReadonlyArray<string>): ReadonlyArray<string> => {
  switch (runtime) {
    case "deno":
      return [process.execPath, "run", "--allow-all", "--quiet", "cli.ts", ...args]
    case "bun":
      return [process.execPath, "cli.ts", ...args]
    default:
      return [process.execPath, nodeBundle, ...args]
  }
}

/** What a piped run produced. */
export interface PipedRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** A piped run under way: it can be sent a signal (SIGKILL for a crash) before it ends. */
export interface StartedRun {
  readonly kill: (signal: NodeJS.Signals) => void
  /** The run's end; `signal` is the signal that ended it, if one did. */
  readonly done: Promise<PipedRun & { readonly signal: NodeJS.Signals | null }>
}

/**
 * Starts the program with stdin, stdout and stderr as pipes (not a terminal); the process
 * signalled is the one running cli.ts (Node's, Deno's or Bun's binary, no wrapper between).
 */
export const startPiped = async (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  timeoutMillis = 20_000,
): Promise<StartedRun> => {
  await prepareCli()
  const [command, ...rest] = cliCommand(args)
  const child = spawn(command!, rest, { cwd: root, env: { ...baseEnv(), ...env }, stdio: "pipe" })
  child.stdin.end()
  const done = new Promise<PipedRun & { readonly signal: NodeJS.Signals | null }>((resolve, reject) => {
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(
        new Error(`cli ${args.join(" ")} did not end within ${timeoutMillis} ms:\n${stdout}\n${stderr}`),
      )
    }, timeoutMillis)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { kill: (signal) => child.kill(signal), done }
}

/** Runs the program with stdin, stdout and stderr as pipes (not a terminal). */
export const runPiped = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  timeoutMillis = 20_000,
): Promise<PipedRun> =>
  startPiped(args, env, timeoutMillis).then((run) =>
    run.done.then(({ code, stdout, stderr }) => ({ code, stdout, stderr }))
  )

const quote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`

/** What a run in a terminal showed. */
export interface TerminalRun {
  /** Every distinct screen captured while it ran, in order. */
  readonly screens: ReadonlyArray<string>
  /** The last screen, once the program had ended. */
  readonly final: string
  readonly code: number
  /** Whether the terminal's cursor was visible at the end (a program that hides it must give it back). */
  readonly cursorVisible: boolean
}

let sessions = 0

/**
 * Runs the program in a `columns` x `rows` terminal under a private tmux server, capturing the
 * screen every `everyMillis` until the program ends.
 */
export const runInTerminal = async (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  options: {
    readonly columns?: number
    readonly rows?: number
    readonly everyMillis?: number
    /** Press Ctrl-C once a screen matches this. */
    readonly interruptWhen?: (screen: string) => boolean
    /** How long the program may run before the run fails (15 s by default). */
    readonly timeoutMillis?: number
  } = {},
): Promise<TerminalRun> => {
  await prepareCli()
  const socket = `catalog-jobs-cli-${process.pid}-${++sessions}`
  const tmux = (...tmuxArgs: ReadonlyArray<string>): string =>
    execFileSync("tmux", ["-u", "-f", "/dev/null", "-L", socket, ...tmuxArgs], {
      encoding: "utf8",
      env: { ...baseEnv(), ...env, LANG: "C.UTF-8" },
    })
  // The shell prints the exit code when the program ends, and keeps the pane open to read it; it
  // survives a Ctrl-C meant for the program (a trap, not an ignore, which the program would inherit).
  const shell = `trap : INT; ${cliCommand(args).map(quote).join(" ")}; echo "[exit $?]"; sleep 60`
  tmux(
    "new-session",
    "-d",
    "-s",
    "cli",
    "-x",
    `${options.columns ?? 100}`,
    "-y",
    `${options.rows ?? 30}`,
    "-c",
    root,
    shell,
  )
  const screens: Array<string> = []
  let interrupted = false
  try {
    const timeout = options.timeoutMillis ?? 15_000
    const deadline = Date.now() + timeout
    while (Date.now() < deadline) {
      const screen = tmux("capture-pane", "-p", "-t", "cli").replace(/\s+$/, "")
      if (screen !== screens.at(-1)) screens.push(screen)
      const exit = /\[exit (\d+)\]$/m.exec(screen) // after the ^C the terminal echoed, if any
      if (exit !== null) {
        const cursorVisible = tmux("display-message", "-p", "-t", "cli", "#{cursor_flag}").trim() === "1"
        return { screens, final: screen, code: Number(exit[1]), cursorVisible }
      }
      if (!interrupted && options.interruptWhen?.(screen) === true) {
        interrupted = true
        tmux("send-keys", "-t", "cli", "C-c")
      }
      await new Promise((resolve) => setTimeout(resolve, options.everyMillis ?? 50))
    }
    throw new Error(
      `cli ${args.join(" ")} did not end in the terminal within ${timeout} ms:\n${screens.at(-1) ?? ""}`,
    )
  } finally {
    try {
      tmux("kill-server")
    } catch {
      // already gone
    }
  }
}
