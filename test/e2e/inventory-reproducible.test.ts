/**
 * Engine tier (TORCHSTACK_E2E=1): locked to the last package. The Debian 12
 * example (the smaller image, which also keeps that distro path building) is
 * built twice with --no-cache from one lock: the first build records the
 * image's complete inventory beside the lock, the second installs from it
 * (apt preferences and pip constraints for every package), and the two
 * inventories are identical. `lock --check --image` passes for the rebuilt
 * image and reports drift for an image with one package more.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const root = mkdtempSync(join(tmpdir(), "torchstack-inventory-e2e-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
const spec = join(root, "spec", "torchstack.yaml");
const readJson = (file: string) => JSON.parse(readFileSync(join(root, "spec", file), "utf8"));

describe.skipIf(!enabled)("two no-cache builds from one lock hold identical inventories", () => {
  let first: { dpkg: unknown[]; pip: unknown[]; image: { id: string } };
  let image = "";

  beforeAll(() => {
    ensureBundle();
    mkdirSync(env.HOME, { recursive: true });
    mkdirSync(join(root, "spec"));
    writeFileSync(spec, readFileSync(join(ROOT, "examples", "debian-12", "torchstack.yaml"), "utf8"));
  });

  it("a first --no-cache build records the inventory beside the lock", async () => {
    const build = await torchstack(["build", "-f", spec, "--network", "host", "--no-cache", "--json"], env);
    expect(build.code, build.stderr).toBe(0);
    image = (build.json as { tags: string[] }).tags.find((t) => t.includes(":lock-")) ?? "";
    first = readJson("torchstack.inventory.json");
    expect(first.dpkg.length).toBeGreaterThan(100);
    expect(readJson("torchstack.lock").inventory.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("a second --no-cache build installs exactly those versions", async () => {
    const digest = readJson("torchstack.lock").inventory.digest;
    const build = await torchstack(["build", "-f", spec, "--network", "host", "--no-cache", "--json"], env);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/pinning \d+ dpkg and \d+ pip packages to the lock's inventory/);
    const second = readJson("torchstack.inventory.json");
    expect(second.image.id).not.toBe(first.image.id);
    expect(second.dpkg).toEqual(first.dpkg);
    expect(second.pip).toEqual(first.pip);
    expect(readJson("torchstack.lock").inventory.digest).toBe(digest);
  });

  it("lock --check --image passes for the rebuilt image and names the drift of another", async () => {
    const ok = await torchstack(["lock", "-f", spec, "--check", "--image", image, "--json"], env);
    expect(ok.code, ok.stderr).toBe(0);
    const grown = `${image}-grown`;
    const dockerfile = `FROM ${image}\nUSER 0\nRUN apt-get update && apt-get install -y --no-install-recommends less\n`;
    const built = spawnBuild(dockerfile, grown);
    expect(built.status, built.stderr).toBe(0);
    const drift = await torchstack(["lock", "-f", spec, "--check", "--image", grown, "--json"], env);
    expect(drift.code).toBe(1);
    const error = (drift.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("E_IMAGE_DRIFT");
    expect(error.message).toMatch(/dpkg less:amd64: added \S+/);
    docker("image", "rm", grown);
  });
});

function spawnBuild(dockerfile: string, tag: string) {
  const dir = mkdtempSync(join(tmpdir(), "ts-grown-"));
  writeFileSync(join(dir, "Dockerfile"), dockerfile);
  return docker("build", "--network", "host", "-t", tag, dir);
}
