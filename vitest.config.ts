import { defineConfig } from "vitest/config";

// Two tiers: `unit` runs everywhere; `engine` needs a real Docker engine and is
// switched on by TORCHSTACK_E2E=1 (set by `npm test` once it has set the engine up, as root).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // Unit tests live in test/unit/, mirroring src/ (test/unit/architecture/unit-test-home.test.ts).
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "engine",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
