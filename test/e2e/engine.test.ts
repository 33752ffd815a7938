/**
 * The engine tier, against a real Docker engine and the real CLI (switched on by
 * TORCHSTACK_E2E=1 after `npm run engine:setup`). One build of examples/cpu
 * (Debian 13, torch 2.6, toolchain flavor, JupyterLab, SSH) is shared by all
 * tests: build (with the inventory beside the lock), `up --network host`,
 * JupyterLab with and without the token, SSH with the generated key, exec,
 * torchrun over TCPStore (the libuv fallback), the image under an arbitrary UID
 * with group 0, the SBOM, workspace ownership, down; then a build that must
 * fail and leave no tag, and a rebuild with one more package that must reuse
 * the torch layer.
 */
import { spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInEnvironment } from "../../src/environments/run-in-environment.js";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const OWNER = 1234;
const IMAGE = "cpu-example:torch2.6.0-cpu-py3.13-toolchain";

/** Runs a command over SSH on the loopback port `up` printed, with its generated key and no host-key prompt. */
function sshAs(user: string, port: string, key: string, command: string[], timeout: number) {
  const options = ["StrictHostKeyChecking=no", "UserKnownHostsFile=/dev/null", "BatchMode=yes"].flatMap(
    (o) => ["-o", o],
  );
  const args = ["-p", port, "-i", key, ...options, `${user}@127.0.0.1`, ...command];
  return spawnSync("ssh", args, { encoding: "utf8", timeout });
}

/** A copy of the CPU example in its own folder (its lock is written there, not in the repository). */
function exampleCopy(root: string, folder: string, edit: (yaml: string) => string = (y) => y): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const yaml = readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8");
  writeFileSync(join(dir, "torchstack.yaml"), edit(yaml));
  return join(dir, "torchstack.yaml");
}

describe.skipIf(!enabled)("engine: build, up, exec, down on a real Docker", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-e2e-"));
  const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
  const workspace = join(root, "workspace");
  const spec = exampleCopy(root, "spec");
  let up: { ok: boolean; name: string; container: string; urls: Record<string, string>; ssh: string };

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(env.HOME, { recursive: true });
    mkdirSync(workspace);
    chownSync(workspace, OWNER, OWNER);
    await torchstack(["down", "cpu-example"], env);
  });

  afterAll(async () => {
    await torchstack(["down", "cpu-example"], env);
  });

  it("builds the CPU example with BuildKit and tags it by content and by lock", async () => {
    // A temporary tag left by an earlier, killed run on this machine is not this build's.
    const buildingTags = () =>
      docker("image", "ls", "--format", "{{.Tag}}", "--filter", "reference=cpu-example:building-*")
        .stdout.trim()
        .split("\n")
        .filter(Boolean);
    const before = buildingTags();
    const result = await torchstack(["build", "-f", spec, "--network", "host", "--json"], env);
    expect(result.stderr).toContain("build client:");
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ ok: true, image: IMAGE });
    const tags = (result.json as { tags: string[] }).tags;
    expect(tags).toContain(IMAGE);
    expect(tags.some((t) => /^cpu-example:lock-[0-9a-f]{12}$/.test(t))).toBe(true);
    expect(existsSync(join(root, "spec", "torchstack.lock"))).toBe(true);
    expect(buildingTags().filter((tag) => !before.includes(tag))).toEqual([]);
    // The complete inventory beside the lock, named there with its digest.
    const lock = JSON.parse(readFileSync(join(root, "spec", "torchstack.lock"), "utf8"));
    expect(lock.inventory).toMatchObject({ file: "torchstack.inventory.json" });
    const inventory = JSON.parse(readFileSync(join(root, "spec", "torchstack.inventory.json"), "utf8"));
    const dpkg = new Map(inventory.dpkg.map((p: { name: string; version: string }) => [p.name, p.version]));
    expect(dpkg.get("python3-torch")).toBe("2.6.0+dfsg-7");
    expect(dpkg.get("libtorch-dev")).toBe("2.6.0+dfsg-7");
    expect(inventory.pip).toContainEqual({ name: "torch", version: "2.6.0+debian", location: "system" });
    expect(lock.inventory.dpkgPackages).toBe(inventory.dpkg.length);
  });

  it("runs under an arbitrary UID with group 0, non-root by default", () => {
    const user = docker("image", "inspect", "--format", "{{.Config.User}}", IMAGE);
    expect(user.stdout.trim()).toBe("1000:1000");
    const run = docker(
      "run",
      "--rm",
      "--network",
      "none",
      "--user",
      "12345:0",
      "-e",
      "TORCHSTACK_BANNER=off",
      IMAGE,
      "sh",
      "-c",
      'id -u; touch "$TORCH_HOME/ok" && python3 -c "import torch; print(torch.ones(2).sum().item())"',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual(["12345", "2.0"]);
  });

  it("writes a CycloneDX SBOM beside the lock from the recorded inventory", async () => {
    const result = await torchstack(["sbom", "-f", spec, "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json).toMatchObject({
      ok: true,
      specVersion: "1.6",
      file: join(root, "spec", "torchstack.cdx.json"),
    });
    const bom = JSON.parse(readFileSync(join(root, "spec", "torchstack.cdx.json"), "utf8"));
    const torch = bom.components.find((c: { name: string }) => c.name === "python3-torch");
    expect(torch.purl).toBe("pkg:deb/debian/python3-torch@2.6.0%2Bdfsg-7?arch=amd64&distro=debian-13");
    expect(torch.properties).toContainEqual({ name: "torchstack:torch:variant", value: "cpu" });
  });

  it("starts with --network host and prints exactly the access contract", async () => {
    const result = await torchstack(
      ["up", "-f", spec, "--network", "host", "--workspace", workspace, "--json"],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    up = result.json as typeof up;
    expect(Object.keys(up).sort()).toEqual(["container", "name", "ok", "ssh", "urls"]);
    expect(up).toMatchObject({ ok: true, name: "cpu-example", container: "torchstack-cpu-example" });
    expect(Object.keys(up.urls)).toEqual(["jupyter"]);
    expect(up.urls.jupyter).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/lab\?token=[0-9a-f]{48}$/);
    expect(up.ssh).toMatch(/^ssh -p \d+ -i \S+ dev@127\.0\.0\.1$/);
    const record = join(env.TORCHSTACK_STATE_DIR, "envs", "cpu-example.json");
    expect(statSync(record).mode & 0o777).toBe(0o600);
  });

  it("Jupyter answers /api/status with the token and refuses without it", async () => {
    const url = new URL(up.urls.jupyter ?? "");
    const token = url.searchParams.get("token") ?? "";
    const status = `${url.origin}/api/status`;
    expect((await fetch(status, { headers: { Authorization: `token ${token}` } })).status).toBe(200);
    expect((await fetch(status)).status).toBe(403);
  });

  it("SSH with the generated key runs torch as the workspace owner", () => {
    const [, , port = "", , key = ""] = up.ssh.split(" ");
    const ssh = sshAs(
      "dev",
      port,
      key,
      ["python3", "-c", '"import torch, os; print(torch.__version__, os.getuid())"'],
      60_000,
    );
    expect(ssh.status, ssh.stderr).toBe(0);
    expect(ssh.stdout.trim()).toMatch(new RegExp(`^2\\.6\\.\\S+ ${OWNER}$`));
    expect(sshAs("root", port, key, ["true"], 30_000).status).not.toBe(0);
  });

  it("exec runs a torch check as the user and passes the exit code through", async () => {
    const check = await torchstack(
      ["exec", "cpu-example", "--", "python3", "-c", "import torch; print(torch.ones(3).sum().item())"],
      env,
    );
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout.trim()).toBe("3.0");
    const failing = await torchstack(["exec", "cpu-example", "--", "sh", "-c", "exit 7"], env);
    expect(failing.code).toBe(7);
  });

  it("torchrun runs 2 ranks over TCPStore in the image (Debian 13's libuv fallback)", async () => {
    const script = [
      "import torch, torch.distributed as dist",
      'dist.init_process_group("gloo")',
      "t = torch.ones(4) * (dist.get_rank() + 1)",
      "dist.all_reduce(t)",
      "import sys",
      "# One write per line: with unbuffered stdout, print() writes each argument separately and the two ranks interleave.",
      'sys.stdout.write(f"rank {dist.get_rank()} {t.tolist()}\\n")',
      "sys.stdout.flush()",
      "dist.destroy_process_group()",
    ].join("\n");
    const write = await torchstack(
      ["exec", "cpu-example", "--", "sh", "-c", `cat > /tmp/ddp.py <<'EOF'\n${script}\nEOF`],
      env,
    );
    expect(write.code, write.stderr).toBe(0);
    const run = await torchstack(
      ["exec", "cpu-example", "--", "torchrun", "--standalone", "--nproc_per_node", "2", "/tmp/ddp.py"],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("rank 0 [3.0, 3.0, 3.0, 3.0]");
    expect(run.stdout).toContain("rank 1 [3.0, 3.0, 3.0, 3.0]");
  });

  it("runInEnvironment runs as the environment's user in /workspace", async () => {
    const result = await runInEnvironment("cpu-example", {
      argv: ["sh", "-c", "id -u; pwd; cat"],
      stdin: "from stdin",
      env0: env,
    });
    expect(result).toEqual({ exitCode: 0, stdout: `${OWNER}\n/workspace\nfrom stdin`, stderr: "" });
  });

  it("a file written in /workspace belongs to the workspace owner, and down leaves it", async () => {
    const write = await torchstack(
      ["exec", "cpu-example", "--", "sh", "-c", "echo hi > /workspace/result.txt"],
      env,
    );
    expect(write.code, write.stderr).toBe(0);
    const file = join(workspace, "result.txt");
    expect(statSync(file)).toMatchObject({ uid: OWNER, gid: OWNER });
    const ps = await torchstack(["ps", "--json"], env);
    const listed = (ps.json as { environments: { name: string; state: string }[] }).environments;
    expect(listed.find((e) => e.name === "cpu-example")?.state).toBe("running");
    const down = await torchstack(["down", "cpu-example", "--json"], env);
    expect(down.code, down.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("hi\n");
    expect(docker("inspect", "torchstack-cpu-example").status).not.toBe(0);
  });

  it("a build with an apt package that does not exist fails readably and leaves no tag", async () => {
    const broken = exampleCopy(root, "broken", (y) =>
      y
        .replace("name: cpu-example", "name: cpu-example-broken")
        .concat("packages:\n  apt: [torchstack-no-such-package]\n"),
    );
    const result = await torchstack(["build", "-f", broken, "--json"], env);
    expect(result.code).toBe(1);
    const error = (result.json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("E_BUILD_FAILED");
    expect(error.message).toMatch(/step \[.*\] RUN .*torchstack-no-such-package/);
    expect(error.message).toContain("Unable to locate package torchstack-no-such-package");
    expect(docker("image", "ls", "-q", "cpu-example-broken").stdout.trim()).toBe("");
  });

  it("adding one package and rebuilding reuses the torch layer", async () => {
    const grown = exampleCopy(root, "grown", (y) => y.concat("packages:\n  apt: [less]\n"));
    const result = await torchstack(["build", "-f", grown, "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    const torchStep = /› (\[[^\]]+\]) RUN .*python3-torch=/.exec(result.stderr);
    expect(torchStep, result.stderr).not.toBeNull();
    const label = (torchStep?.[1] ?? "").replace(/\s+/g, " ");
    expect(result.stderr).toContain(`${label} cached`);
  });
});
