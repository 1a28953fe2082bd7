import { readFileSync, writeFileSync } from "node:fs"
import { defineConfig, type UserConfig } from "tsdown"

/** `npm run build`: dist/mod.js and dist/mod.d.ts, ESM, effect left external. */
const config: UserConfig = defineConfig({
  entry: { mod: "mod.ts" },
  format: "esm",
  platform: "neutral",
  target: "es2022",
  outDir: "dist",
  clean: true,
  // Source maps for the JavaScript only: a declaration map would point at sources that are not
  // in the package (tsdown also writes a reference to a .d.ts.map it never emits).
  sourcemap: true,
  dts: { sourcemap: false },
  deps: { neverBundle: [/^effect(\/.*)?$/] },
  fixedExtension: false,
  hash: false,
  hooks: {
    // tsdown writes `//# sourceMappingURL=mod.d.ts.map` even when it writes no such map.
    "build:done": () => {
      const file = "dist/mod.d.ts"
      writeFileSync(file, readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=mod\.d\.ts\.map\s*$/, "\n"))
    },
  },
})

export default config
