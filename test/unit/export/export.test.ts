import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type ExportInput, planExport, renderEnvFile } from "../../../src/export/export-plan.js";
import { renderCompose } from "../../../src/export/render-compose.js";
import { renderDevcontainer } from "../../../src/export/render-devcontainer.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import { DISTRO_STACK } from "../../fixtures/specs/stacks.js";

const spec = parseSpecText(
  [
    "name: demo",
    "torchSource: distro",
    "cuda: cpu",
    "base: image:torchstack-local/debian:12",
    "apps: { jupyter: true, ssh: true }",
    "run: { shm: 2g, network: host, env: { WANDB_MODE: offline } }",
  ].join("\n"),
);
const lock = buildLock({ spec, specFile: "torchstack.yaml", stack: DISTRO_STACK });
const input = (over: Partial<ExportInput> = {}): ExportInput => ({
  spec,
  lock,
  image: "demo:lock-0123456789ab",
  specFile: "/home/me/p/torchstack.yaml",
  workspace: "/home/me/p",
  owner: { uid: 1001, gid: 1002 },
  network: "host",
  token: "t0k3n",
  ...over,
});

describe("planExport", () => {
  it("is the container up would create, with the token moved out to the env file", () => {
    const plan = planExport(input());
    expect(plan.container).toMatchObject({
      image: "demo:lock-0123456789ab",
      user: "0:0",
      networkMode: "host",
      shmSizeBytes: 2 * 1024 ** 3,
      binds: ["/home/me/p:/workspace"],
    });
    expect(plan.container.env).toMatchObject({
      TORCHSTACK_UID: "1001",
      TORCHSTACK_LISTEN: "127.0.0.1",
      JUPYTER_PORT: "8888",
      WANDB_MODE: "offline",
    });
    expect(plan.container.env.JUPYTER_TOKEN).toBeUndefined();
    expect(plan.secretEnv).toEqual({ JUPYTER_TOKEN: "t0k3n" });
    expect(plan.access.urls.jupyter).toBe("http://127.0.0.1:8888/?token=t0k3n");
    expect(renderEnvFile(plan.secretEnv)).toContain("\nJUPYTER_TOKEN=t0k3n\n");
  });

  it("publishes loopback-only ports on a named network", () => {
    const plan = planExport(input({ network: "bridge" }));
    expect(plan.container.networkMode).toBe("bridge");
    expect(plan.container.ports).toContainEqual({ containerPort: 8888, hostIp: "127.0.0.1", hostPort: 8888 });
  });
});

describe("renderDevcontainer", () => {
  const json = renderDevcontainer(planExport(input()), "dev");

  it("keeps the image's entrypoint, the remote user and the run settings", () => {
    expect(json).toMatchObject({
      image: "demo:lock-0123456789ab",
      overrideCommand: false,
      updateRemoteUserUID: false,
      remoteUser: "dev",
      workspaceFolder: "/workspace",
      forwardPorts: [8888, 2222],
      waitFor: "postStartCommand",
    });
    const args = json.runArgs as string[];
    for (const arg of [
      "--user=0:0",
      "--network=host",
      `--shm-size=${2 * 1024 ** 3}`,
      "--ulimit=memlock=-1:-1",
    ])
      expect(args).toContain(arg);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a devcontainer.json variable, substituted by the Dev Containers CLI
    expect(args).toContain("--env-file=${localWorkspaceFolder}/.devcontainer/torchstack.env");
    expect(JSON.stringify(json)).not.toContain("t0k3n");
    expect(json.hostRequirements).toBeUndefined();
  });

  it("asks for GPUs as optional, so a GPU-less host still opens it", () => {
    const gpuSpec = { ...spec, run: { ...spec.run, gpus: "all" as const } };
    const gpu = renderDevcontainer(planExport(input({ spec: gpuSpec })), "dev");
    expect(gpu.hostRequirements).toEqual({ gpu: "optional" });
    expect(gpu.runArgs).toContain("--gpus=all");
  });
});

describe("renderCompose", () => {
  it("writes one service with host networking, shm, ulimits, the workspace and the healthcheck", () => {
    const text = renderCompose(planExport(input()), "/home/me/p", "/home/me/p");
    const doc = parse(text) as { services: Record<string, Record<string, unknown>> };
    const service = doc.services.demo ?? {};
    expect(service).toMatchObject({
      image: "demo:lock-0123456789ab",
      user: "0:0",
      network_mode: "host",
      shm_size: 2 * 1024 ** 3,
      env_file: ["torchstack.env"],
      volumes: [".:/workspace"],
      ulimits: { memlock: { soft: -1, hard: -1 } },
    });
    expect(service.healthcheck).toMatchObject({ test: ["CMD", "/usr/local/bin/torchstack-healthcheck"] });
    expect(text).not.toContain("t0k3n");
    expect(service.ports).toBeUndefined();
  });

  it("reserves GPUs as Compose device requests", () => {
    const gpuSpec = { ...spec, run: { ...spec.run, gpus: 2 } };
    const doc = parse(renderCompose(planExport(input({ spec: gpuSpec })), "/w", "/w")) as {
      services: Record<string, { deploy: unknown }>;
    };
    expect(doc.services.demo?.deploy).toEqual({
      resources: { reservations: { devices: [{ driver: "nvidia", capabilities: ["gpu"], count: 2 }] } },
    });
  });

  it.skipIf(!existsSync("/usr/bin/docker-compose"))("is accepted by Debian's docker-compose config", () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-compose-"));
    writeFileSync(join(dir, "compose.yaml"), renderCompose(planExport(input()), dir, dir));
    writeFileSync(join(dir, "torchstack.env"), "JUPYTER_TOKEN=x\n");
    const result = spawnSync("docker-compose", ["-f", join(dir, "compose.yaml"), "config"], {
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, "compose.yaml"), "utf8")).toContain("network_mode: host");
  });
});
