import { defineConfig } from "vitest/config";

// Two tiers: `unit` runs everywhere; `engine` needs a real Docker engine and is
// switched on by TORCHSTACK_E2E=1 (set by .ci/run after `npm run engine:setup`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          // Unit tests live in test/unit/, mirroring src/. src/**/*.test.ts stays only for src/engine/'s
          // tests, which move next (test/unit/architecture/unit-test-home.test.ts lists what is pending).
          include: ["test/unit/**/*.test.ts", "src/**/*.test.ts"],
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
