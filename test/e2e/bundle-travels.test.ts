/**
 * The bundle travels (TORCHSTACK_E2E=1): only dist/, bin/ and the probe
 * scripts are copied to an empty folder outside the repository (no
 * node_modules anywhere above it), and the engine commands run from there:
 * build, up, ps, doctor and down against the real engine.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProcess } from "../../src/process/run-process.js";
import { ensureBundle, ROOT, removeImagesOf } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";

describe.skipIf(!enabled)("dist/ runs with no node_modules", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-travel-"));
  const install = join(root, "install");
  const work = join(root, "work");
  const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
  const name = `travel-${process.pid}`;
  const cli = (args: string[]) =>
    runProcess("node", [join(install, "bin", "torchstack.js"), ...args], { cwd: work, env, reject: false });

  beforeAll(() => {
    ensureBundle();
    for (const part of ["dist", "bin", join("src", "probe", "scripts")])
      cpSync(join(ROOT, part), join(install, part), { recursive: true });
    mkdirSync(work, { recursive: true });
    mkdirSync(env.HOME, { recursive: true });
    const yaml = readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8");
    writeFileSync(join(work, "torchstack.yaml"), yaml.replace(/^name: .*$/m, `name: ${name}`));
  });

  afterAll(async () => {
    await cli(["down", name]);
    // The images this run built (its name is new each run, so nothing else reuses them).
    removeImagesOf(name);
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it("has no node_modules to lean on", () => {
    expect(() => readFileSync(join(install, "node_modules", ".package-lock.json"))).toThrow();
  });

  it("build, up, ps, doctor --in and down all work from the copied bundle", async () => {
    const build = await cli(["build", "--network", "host", "--json"]);
    expect(build.exitCode, build.stderr).toBe(0);
    const up = await cli(["up", "--network", "host", "--json"]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ ok: true, name });
    const ps = await cli(["ps", "--json"]);
    expect(ps.exitCode, ps.stderr).toBe(0);
    expect(ps.stdout).toContain(name);
    const doctor = await cli(["doctor", "--in", name, "--json"]);
    expect(doctor.stderr).not.toMatch(/E_INTERNAL|Cannot find (module|package)/);
    expect(JSON.parse(doctor.stdout)).toHaveProperty("host");
    const down = await cli(["down", name, "--json"]);
    expect(down.exitCode, down.stderr).toBe(0);
  }, 900_000);
});
