/**
 * A build whose base image cannot be pulled, on the real engine (TORCHSTACK_E2E=1): this machine
 * reaches no public container registry, so `init --preset cpu` (base debian-12 → debian:12-slim)
 * fails at BuildKit's first step. The error names the registry and the local base that
 * `npm run engine:setup` makes, never a misspelt package, and says that this run wrote the lock.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureBundle, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const dir = mkdtempSync(join(tmpdir(), "ts-pull-failure-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(dir, "state") };

describe.skipIf(!enabled)("a base image the engine cannot pull", () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the registry and the local base, and says the lock was written by this run", async () => {
    ensureBundle();
    const init = await torchstack(["init", "--preset", "cpu", "--name", "pullfail"], env, dir);
    expect(init.code, init.stderr).toBe(0);
    const build = await torchstack(["build", "--network", "host", "--json"], env, dir);
    expect(build.code).toBe(1);
    const error = (build.json as { error: { code: string; message: string; remedies: string[] } }).error;
    expect(error.code).toBe("E_BUILD_FAILED");
    expect(error.message).toMatch(
      /the base image docker\.io\/library\/debian:12-slim could not be pulled: registry \S+ did not answer/,
    );
    const fixes = error.remedies.join("\n");
    expect(fixes).toContain("base: image:torchstack-local/debian:12");
    expect(fixes).not.toContain("misspelt");
    expect(fixes).toContain(`this run wrote ${join(dir, "torchstack.lock")} (there was none)`);
    expect(existsSync(join(dir, "torchstack.lock"))).toBe(true);
    // a second build: the lock was there before it, and is unchanged
    const again = await torchstack(["build", "--network", "host", "--json"], env, dir);
    expect((again.json as { error: { remedies: string[] } }).error.remedies).toContain(
      "the lock is unchanged",
    );
  }, 300_000);
});
