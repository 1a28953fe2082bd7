/** The version `--version` prints: package.json's (test/cli.test.ts checks that they agree). */
export const VERSION = "0.1.0"
