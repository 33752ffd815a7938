import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

describe("torchstack urls", () => {
  const state = mkdtempSync(join(tmpdir(), "ts-urls-"));
  const env = { TORCHSTACK_STATE_DIR: state };

  it("says a record is missing", async () => {
    const run = await runCliInMemory(["urls", "nothing", "--json"], { env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe("E_NO_ENVIRONMENT");
  });

  it("says a record is corrupt rather than missing", async () => {
    mkdirSync(join(state, "envs"), { recursive: true });
    writeFileSync(join(state, "envs", "broken.json"), "{not json");
    const run = await runCliInMemory(["urls", "broken", "--json"], { env });
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error as { code: string; remedies: string[] };
    expect(error.code).toBe("E_RECORD_CORRUPT");
    expect(error.remedies[0]).toContain("torchstack down broken");
  });
});
