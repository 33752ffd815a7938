/**
 * A spec's run.env (and `up --env`) cannot take over torchstack's own controls:
 * the review's reproduction set TORCHSTACK_LISTEN/JUPYTER_IP to publish Jupyter
 * and sshd on 0.0.0.0 without --expose, and TORCHSTACK_IMAGE_ENV to make the
 * root entrypoint source a workspace file. Each is refused where it is written
 * (file:line / exit 2), torchstack's values are applied last anyway, and the
 * image's entrypoint honours no path redirection and runs its own root steps
 * with a fixed PATH (a fake `awk` first on the container's PATH never runs).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planContainer } from "../../../src/environments/up/container-plan.js";
import { imageFacts } from "../../../src/environments/up/image-labels.js";
import { renderImageAssets } from "../../../src/image/assets/image-assets.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { reservedEnvReason } from "../../../src/spec/reserved-env.js";
import { CU128_STACK } from "../../fixtures/specs/stacks.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const work = mkdtempSync(join(tmpdir(), "ts-reserved-env-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const specWith = (env: string) => () =>
  parseSpecText(`name: demo\ntorchSource: distro\nrun:\n  env: ${env}\n`);

describe("run.env in the spec", () => {
  it.each([
    "{TORCHSTACK_LISTEN: 0.0.0.0}",
    '{JUPYTER_IP: "0.0.0.0"}',
    "{TORCHSTACK_IMAGE_ENV: /workspace/.torchstack-image.env}",
    "{JUPYTER_TOKEN: known}",
    "{SSH_AUTHORIZED_KEYS: ssh-ed25519 AAAA attacker}",
    "{LD_PRELOAD: /workspace/evil.so}",
    '{TORCHSTACK_RUN_AS_ROOT: "1"}',
  ])("refuses %s, naming the key", (env) => {
    expect(specWith(env)).toThrow(expect.objectContaining({ code: "E_SPEC_INVALID" }));
    expect(specWith(env)).toThrow(/run\.env\.[A-Z_]+/);
  });

  it("keeps ordinary variables", () => {
    expect(specWith("{WANDB_MODE: offline, MASTER_PORT: '29500'}")().run?.env).toEqual({
      WANDB_MODE: "offline",
      MASTER_PORT: "29500",
    });
  });
});

describe("up --env", () => {
  it("refuses torchstack's own variables with exit 2", async () => {
    const run = await runCliInMemory(["up", "--env", "TORCHSTACK_LISTEN=0.0.0.0"], { cwd: work });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--env TORCHSTACK_LISTEN");
  });

  it("leaves TORCHSTACK_RUN_AS_ROOT to the command line", () => {
    expect(reservedEnvReason("TORCHSTACK_RUN_AS_ROOT", "command line")).toBeNull();
    expect(reservedEnvReason("TORCHSTACK_RUN_AS_ROOT", "spec")).toMatch(/only be given on the command line/);
  });
});

describe("planContainer", () => {
  it("applies torchstack's values last", () => {
    const { spec } = planContainer({
      name: "demo",
      image: "demo:lock-abc",
      facts: imageFacts({
        "dev.torchstack.apps": JSON.stringify({ jupyter: { port: 8888, ui: "lab" } }),
        "dev.torchstack.user": "dev:1000:1000",
        "dev.torchstack.stack": JSON.stringify({ cuda: null }),
      }),
      workspace: "/w",
      specFile: "/w/torchstack.yaml",
      owner: { uid: 1001, gid: 1001 },
      hostNetwork: true,
      expose: false,
      hostPorts: { jupyter: 8890 },
      gpus: "none",
      gpuRequest: { kind: "none" },
      env: {
        TORCHSTACK_LISTEN: "0.0.0.0",
        JUPYTER_IP: "0.0.0.0",
        TORCHSTACK_IMAGE_ENV: "/workspace/x",
        KEEP: "1",
      },
      token: "t0k",
      sshPublicKey: null,
      sshKeyPath: null,
    });
    expect(spec.env).toMatchObject({ TORCHSTACK_LISTEN: "127.0.0.1", JUPYTER_IP: "127.0.0.1", KEEP: "1" });
    expect(spec.env.TORCHSTACK_IMAGE_ENV).toBeUndefined();
    expect(spec.securityOpt).toEqual(["no-new-privileges"]);
  });
});

describe("the image's entrypoint", () => {
  const assets = renderImageAssets({
    stack: CU128_STACK,
    apps: { jupyter: { port: 8888 } },
    user: { name: "dev", uid: 1000, gid: 1000 },
    jupyterUi: "lab",
  });
  const entrypoint = assets.find((a) => a.path === "usr/local/bin/torchstack-entrypoint")?.content ?? "";

  it("sources no file the environment names (TORCHSTACK_IMAGE_ENV, TORCHSTACK_HOME_SETUP)", () => {
    const marker = join(work, "sourced");
    const evil = join(work, "evil.env");
    writeFileSync(evil, `touch '${marker}'\n`);
    const path = join(work, "entrypoint");
    writeFileSync(path, entrypoint, { mode: 0o755 });
    spawnSync("sh", [path], {
      env: { PATH: "/usr/bin:/bin", TORCHSTACK_IMAGE_ENV: evil, TORCHSTACK_HOME_SETUP: evil },
      encoding: "utf8",
    });
    expect(existsSync(marker)).toBe(false);
  });

  it("runs its own steps with a fixed PATH, not the container's", () => {
    const root = mkdtempSync(join(work, "rootfs-"));
    for (const a of assets) {
      mkdirSync(dirname(join(root, a.path)), { recursive: true });
      writeFileSync(join(root, a.path), a.content.replace("TS_TEST_ROOT=''", `TS_TEST_ROOT='${root}'`), {
        mode: a.mode,
      });
    }
    const evilBin = join(work, "evil-bin");
    const marker = join(work, "hijacked");
    mkdirSync(evilBin);
    for (const tool of ["awk", "sed", "df", "id", "tr"]) {
      writeFileSync(join(evilBin, tool), `#!/bin/sh\ntouch '${marker}'\nexec /usr/bin/${tool} "$@"\n`);
      chmodSync(join(evilBin, tool), 0o755);
    }
    const ran = spawnSync("sh", [join(root, "usr/local/bin/torchstack-entrypoint")], {
      env: { PATH: `${evilBin}:/usr/bin:/bin`, TORCHSTACK_ENTRYPOINT_CHECKS_ONLY: "1" },
      encoding: "utf8",
    });
    expect(ran.status).toBe(0);
    expect(ran.stderr).toContain("torchstack: torch 2.7.1");
    expect(existsSync(marker)).toBe(false);
  });
});
