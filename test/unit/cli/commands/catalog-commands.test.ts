// catalog status and catalog show with the built-in catalog alone (no overlay in the state folder).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const state = mkdtempSync(join(tmpdir(), "torchstack-catalog-cmd-"));
const cli = (...argv: string[]) => runCliInMemory(argv, { env: { TORCHSTACK_STATE_DIR: state } });
afterAll(() => rmSync(state, { recursive: true, force: true }));

describe("catalog status / show", () => {
  it("status names the built-in sources file and date, and that there is no overlay", async () => {
    const text = await cli("catalog", "status");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/built-in: \d+ torch releases up to 2\.15\.0, facts of 2026-12-01/);
    expect(text.stdout).toMatch(/overlay: none \(run `torchstack catalog update`/);
    const json = JSON.parse((await cli("catalog", "status", "--json")).stdout);
    expect(json).toMatchObject({
      ok: true,
      builtin: { source: "docs/sources/compat-facts.md", date: "2026-12-01" },
      overlay: null,
      defaultTorch: "2.14.1",
    });
  });

  it("show lists every release with the default marked; --torch a minor gives its patches in full", async () => {
    const list = await cli("catalog", "show");
    expect(list.stdout).toMatch(/^2\.14\.1 .*\[default\]$/m);
    expect(list.stdout).toMatch(/^2\.13\.0 .*cu129 \(index only\)/m);
    const minor = JSON.parse((await cli("catalog", "show", "--torch", "2.14", "--json")).stdout);
    expect(minor.releases.map((r: { version: string }) => r.version)).toEqual(["2.14.0", "2.14.1"]);
    const text = await cli("catalog", "show", "--torch", "2.14.0");
    expect(text.stdout).toMatch(/torch only, no torchvision: 3\.15 3\.15t/);
  });

  it("show --torch of an unknown release fails with the update command as a fix", async () => {
    const run = await cli("catalog", "show", "--torch", "9.9.9", "--json");
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe("E_UNKNOWN_TORCH");
    expect(error.remedies.join("\n")).toMatch(/torchstack catalog update/);
  });
});
