/**
 * `build --push` against a real registry on loopback (switched on by
 * TORCHSTACK_E2E=1): starts Debian's Distribution registry
 * (`/usr/bin/docker-registry serve`, installed by `npm run engine:setup`) with
 * filesystem storage in a temp dir on a free 127.0.0.1 port (the engine allows
 * plain HTTP there), builds and pushes the CPU example with the real CLI, and
 * checks the lock's `images` against the digest the registry serves. Then a
 * push to a port where nothing listens must fail readably and leave the lock.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pickFreePort } from "../../src/environments/up/free-port.js";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const REGISTRY_BIN = "/usr/bin/docker-registry";
const hasRegistry = existsSync(REGISTRY_BIN);
const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

async function waitForRegistry(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${log()}`);
    const ok = await fetch(url)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`docker-registry did not answer ${url} within 30 s:\n${log()}`);
}

type Images = { ref: string; digest: string }[];
const lockImages = (path: string): Images | undefined =>
  (JSON.parse(readFileSync(path, "utf8")) as { images?: Images }).images;

describe.skipIf(!enabled)("engine: build --push to a real registry on loopback", () => {
  if (enabled && !hasRegistry)
    it.skip(`needs ${REGISTRY_BIN} (apt-get install docker-registry, or npm run engine:setup)`, () => {});

  describe.skipIf(!hasRegistry)("with /usr/bin/docker-registry serve", () => {
    // Made in beforeAll, so that collecting a skipped suite leaves nothing behind.
    let root = "";
    let env: NodeJS.ProcessEnv = {};
    let spec = "";
    let lockPath = "";
    let registry = "";
    let child: ChildProcess | undefined;
    let output = "";
    let lockTag = "";

    beforeAll(async () => {
      ensureBundle();
      root = mkdtempSync(join(tmpdir(), "torchstack-push-"));
      env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
      const dir = join(root, "spec");
      spec = join(dir, "torchstack.yaml");
      lockPath = join(dir, "torchstack.lock");
      mkdirSync(join(root, "home"), { recursive: true });
      mkdirSync(dir, { recursive: true });
      writeFileSync(spec, readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8"));
      const port = await pickFreePort("127.0.0.1", 0);
      registry = `127.0.0.1:${port}`;
      const config = join(root, "registry.yml");
      writeFileSync(
        config,
        [
          "version: 0.1",
          "log:",
          "  level: warn",
          "storage:",
          "  filesystem:",
          `    rootdirectory: ${join(root, "registry-data")}`,
          "http:",
          `  addr: ${registry}`,
          "",
        ].join("\n"),
      );
      child = spawn(REGISTRY_BIN, ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout?.setEncoding("utf8").on("data", (c: string) => {
        output += c;
      });
      child.stderr?.setEncoding("utf8").on("data", (c: string) => {
        output += c;
      });
      await waitForRegistry(`http://${registry}/v2/`, child, () => output);
    });

    afterAll(() => {
      child?.kill("SIGTERM");
      const refs = docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split("\n");
      for (const ref of refs.filter((r) => registry && r.startsWith(`${registry}/`))) docker("rmi", ref);
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it("pushes both tags and records the digests the registry serves in the lock", async () => {
      const result = await torchstack(
        ["build", "-f", spec, "--network", "host", "--push", registry, "--json"],
        env,
      );
      expect(result.code, result.stderr).toBe(0);
      const json = result.json as { tags: string[]; imageId: string; pushed: Images };
      lockTag = json.tags.find((t) => /:lock-[0-9a-f]{12}$/.test(t)) ?? "";
      expect(lockTag).not.toBe("");
      expect(result.stderr).toContain(`pushing ${registry}/${lockTag}`);

      const images = lockImages(lockPath);
      expect(images).toEqual(json.pushed);
      expect(images?.map((i) => i.ref).sort()).toEqual(json.tags.map((t) => `${registry}/${t}`).sort());
      for (const { ref, digest } of images ?? []) {
        expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        const [repo, tag] = ref.slice(registry.length + 1).split(":");
        const response = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, {
          headers: { Accept: MANIFEST_TYPES },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("docker-content-digest")).toBe(digest);
        // The manifest is the one of the image just built: its config is the local image id.
        const manifest = (await response.json()) as { config?: { digest?: string } };
        expect(manifest.config?.digest).toBe(json.imageId);
      }
    });

    it("the lock with images still passes lock --check", async () => {
      const check = await torchstack(["lock", "--check", "-f", spec], env);
      expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);
    });

    it("a build without --push keeps the lock tag and the recorded images", async () => {
      const before = readFileSync(lockPath, "utf8");
      const result = await torchstack(["build", "-f", spec, "--network", "host", "--json"], env);
      expect(result.code, result.stderr).toBe(0);
      expect((result.json as { tags: string[] }).tags).toContain(lockTag);
      expect(readFileSync(lockPath, "utf8")).toBe(before);
    });

    it("a push to a registry that does not listen fails readably and leaves the lock", async () => {
      const dead = `127.0.0.1:${await pickFreePort("127.0.0.1", 0)}`;
      const before = readFileSync(lockPath, "utf8");
      const result = await torchstack(
        ["build", "-f", spec, "--network", "host", "--push", dead, "--json"],
        env,
      );
      expect(result.code).toBe(1);
      const error = (result.json as { error: { code: string; message: string; remedies: string[] } }).error;
      expect(error.code).toBe("E_PUSH_FAILED");
      expect(error.message).toContain(`could not push ${dead}/`);
      expect(error.message).toContain(`the registry ${dead} is not reachable`);
      expect(error.message).toMatch(/connection refused/);
      expect(error.remedies.join("\n")).toContain(`curl -sI http://${dead}/v2/`);
      expect(result.stderr).toContain(`fix: `);
      expect(readFileSync(lockPath, "utf8")).toBe(before);
      // The tag added for the failed push is gone again.
      const refs = docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout;
      expect(refs).not.toContain(`${dead}/`);
    });
  });
});
