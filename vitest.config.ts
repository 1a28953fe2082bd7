import { defineConfig, type ViteUserConfig } from "vitest/config"

const config: ViteUserConfig = defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Klaviyo sends some timestamps without an offset; they must decode as UTC on any machine.
    // Running away from UTC lets the time-zone test prove it (the npm scripts set TZ too).
    env: { TZ: "America/Los_Angeles" },
    testTimeout: 20_000,
    pool: "forks",
  },
})

export default config
