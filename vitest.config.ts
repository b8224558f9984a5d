import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "core", include: ["packages/core/test/**/*.test.ts"], testTimeout: 30000 } },
      { test: { name: "transport-memory", include: ["packages/transport-memory/test/**/*.test.ts"], testTimeout: 120000 } },
      { test: { name: "transport-redis", include: ["packages/transport-redis/test/**/*.test.ts"], testTimeout: 60000, hookTimeout: 60000 } },
      { test: { name: "cli", include: ["packages/cli/test/**/*.test.ts"], testTimeout: 120000, hookTimeout: 60000 } },
    ],
  },
});
