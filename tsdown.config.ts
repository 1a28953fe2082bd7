import { readFileSync, writeFileSync } from "node:fs"
import { defineConfig, type UserConfig } from "tsdown"

const shared = {
  format: "esm",
  target: "es2022",
  outDir: "dist",
  // Source maps for the JavaScript only: a declaration map would point at sources that are not
  // in the package (tsdown also writes a reference to a .d.ts.map it never emits).
  sourcemap: true,
  fixedExtension: false,
  hash: false,
} as const

/**
 * `npm run build`, two builds into dist/:
 * - the library: dist/mod.js and dist/mod.d.ts, platform-neutral, effect left external (with
 *   dist/chunk.js, the bundler's helper for the namespace imports of the table in promise-table.ts);
 * - the `klaviyo-catalog-jobs` bin: dist/cli.js, for Node (Deno and Bun run it too), which
 *   imports the library from ./mod.js rather than carrying a copy, and leaves its own
 *   dependencies (log-update, csv-parse, @effect/platform-node-shared) external.
 */
const config: Array<UserConfig> = [
  defineConfig({
    ...shared,
    entry: { mod: "mod.ts" },
    platform: "neutral",
    clean: ["dist/mod.*", "dist/chunk*"],
    dts: { sourcemap: false },
    deps: { neverBundle: [/^effect(\/.*)?$/] },
    // The JSDoc lives in dist/mod.d.ts: dist/mod.js keeps only the `@__PURE__` annotations (which
    // bundlers of the package need) and legal comments. A third less JavaScript to parse at
    // import: 1-2.5 ms of the library's cold import on Node, Deno and Bun.
    outputOptions: { comments: { jsdoc: false, annotation: true, legal: true } },
    hooks: {
      // tsdown writes `//# sourceMappingURL=mod.d.ts.map` even when it writes no such map.
      "build:done": () => {
        const file = "dist/mod.d.ts"
        writeFileSync(file, readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=mod\.d\.ts\.map\s*$/, "\n"))
      },
    },
  }),
  defineConfig({
    ...shared,
    entry: { cli: "cli.ts" },
    platform: "node",
    clean: ["dist/cli.*"],
    dts: false,
    deps: { neverBundle: [/^effect(\/.*)?$/, /^@effect\/platform-node-shared\//, /^log-update$/, /^csv-parse$/] },
    plugins: [{
      name: "library-from-mod-js",
      resolveId: (source: string) => /^\.\.?\/mod\.ts$/.test(source) ? { id: "./mod.js", external: true } : null,
    }],
  }),
]

export default config
