import { defineConfig } from "vitest/config";

/** The long fault set (docs/reliability.md) runs only on request: `npm run test:long`. */
const long = process.env.VIGIL_LONG_TESTS === "1";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "core", include: ["packages/core/test/**/*.test.ts"], testTimeout: 30000 } },
      { test: { name: "transport-memory", include: ["packages/transport-memory/test/**/*.test.ts"], testTimeout: 120000 } },
      { test: { name: "transport-redis", include: ["packages/transport-redis/test/**/*.test.ts"], testTimeout: 60000, hookTimeout: 60000 } },
      {
        test: {
          name: "cli",
          include: ["packages/cli/test/**/*.test.ts"],
          exclude: long ? [] : ["packages/cli/test/faults-long-*.test.ts"],
          testTimeout: 120000, hookTimeout: 60000,
        },
      },
    ],
  },
});
