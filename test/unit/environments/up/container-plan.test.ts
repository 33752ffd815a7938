import { describe, expect, it } from "vitest";
import { type PlanInput, parseSize, planContainer } from "../../../../src/environments/up/container-plan.js";
import { imageFacts } from "../../../../src/environments/up/image-labels.js";

const facts = imageFacts({
  "dev.torchstack.apps": JSON.stringify({ jupyter: { port: 8888, ui: "lab" }, ssh: { port: 2222 } }),
  "dev.torchstack.user": "dev:1000:1000",
  "dev.torchstack.stack": JSON.stringify({ cuda: "12.8" }),
});

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  name: "demo",
  image: "demo:lock-abc",
  facts,
  workspace: "/home/me/project",
  specFile: "/home/me/project/torchstack.yaml",
  owner: { uid: 1001, gid: 1002 },
  hostNetwork: false,
  expose: false,
  hostPorts: { jupyter: 8890, ssh: 2222 },
  gpus: "all",
  gpuRequest: { kind: "nvidia", count: -1 },
  env: { WANDB_MODE: "offline" },
  token: "t0k",
  sshPublicKey: "ssh-ed25519 AAAA me",
  sshKeyPath: "/home/me/.ssh/id_ed25519",
  ...over,
});

describe("planContainer", () => {
  it("starts as root only to remap the user or to start sshd, else as the image's non-root USER", () => {
    expect(planContainer(input()).spec.user).toBe("0:0");
    const sameOwner = { owner: { uid: 1000, gid: 1000 } };
    expect(planContainer(input({ ...sameOwner, hostPorts: { ssh: 2222 } })).spec.user).toBe("0:0");
    expect(planContainer(input({ ...sameOwner, hostPorts: { jupyter: 8890 } })).spec.user).toBeUndefined();
    expect(planContainer(input({ owner: { uid: 0, gid: 0 }, hostPorts: {} })).spec.user).toBeUndefined();
  });

  it("publishes on 127.0.0.1 only, remaps to the workspace owner, sizes shm and ulimits", () => {
    const { spec, access } = planContainer(input());
    expect(spec.name).toBe("torchstack-demo");
    expect(spec.ports).toEqual([
      { containerPort: 8888, hostIp: "127.0.0.1", hostPort: 8890 },
      { containerPort: 2222, hostIp: "127.0.0.1", hostPort: 2222 },
    ]);
    expect(spec.env).toMatchObject({
      TORCHSTACK_UID: "1001",
      TORCHSTACK_GID: "1002",
      CUDA_DEVICE_ORDER: "PCI_BUS_ID",
      JUPYTER_TOKEN: "t0k",
      SSH_AUTHORIZED_KEYS: "ssh-ed25519 AAAA me",
      TORCHSTACK_APPS: "jupyter,ssh",
      WANDB_MODE: "offline",
    });
    expect(spec.binds).toEqual(["/home/me/project:/workspace"]);
    expect(spec.shmSizeBytes).toBe(8 * 1024 ** 3);
    expect(spec.ulimits).toContainEqual({ name: "memlock", soft: -1, hard: -1 });
    expect(spec.ulimits).toContainEqual({ name: "stack", soft: 67108864, hard: 67108864 });
    expect(spec.labels).toMatchObject({
      "dev.torchstack.managed": "true",
      "dev.torchstack.env": "demo",
      "dev.torchstack.workspace": "/home/me/project",
    });
    expect(spec.gpus).toEqual({ kind: "nvidia", count: -1 });
    expect(access.urls).toEqual({ jupyter: "http://127.0.0.1:8890/lab?token=t0k" });
    expect(access.ssh).toBe("ssh -p 2222 -i /home/me/.ssh/id_ed25519 dev@127.0.0.1");
  });

  it("exposes on every interface only when asked, and host IPC replaces shm", () => {
    const { spec } = planContainer(input({ expose: true, ipc: "host" }));
    expect(spec.ports.every((p) => p.hostIp === "0.0.0.0")).toBe(true);
    expect(spec.ipcMode).toBe("host");
    expect(spec.shmSizeBytes).toBeUndefined();
  });

  it("under host networking publishes nothing and moves the apps to the chosen loopback ports", () => {
    const { spec } = planContainer(input({ hostNetwork: true, hostPorts: { jupyter: 18888 } }));
    expect(spec.ports).toEqual([]);
    expect(spec.networkMode).toBe("host");
    expect(spec.env).toMatchObject({
      JUPYTER_PORT: "18888",
      JUPYTER_IP: "127.0.0.1",
      TORCHSTACK_LISTEN: "127.0.0.1",
      TORCHSTACK_APPS: "jupyter",
    });
    expect(spec.env.SSH_AUTHORIZED_KEYS).toBeUndefined();
  });

  it("gives server-UI Jupyter a root URL and leaves out apps that are off", () => {
    const server = imageFacts({
      "dev.torchstack.apps": JSON.stringify({ jupyter: { port: 8888, ui: "server" } }),
    });
    const { access } = planContainer(input({ facts: server, hostPorts: { jupyter: 8888 } }));
    expect(access).toEqual({ urls: { jupyter: "http://127.0.0.1:8888/?token=t0k" }, ssh: null });
  });

  it("parses sizes and limits", () => {
    expect(parseSize("512m", "x")).toBe(512 * 1024 ** 2);
    expect(planContainer(input({ memory: "16g", cpus: 2.5 })).spec).toMatchObject({
      memoryBytes: 16 * 1024 ** 3,
      nanoCpus: 2.5e9,
    });
    expect(() => parseSize("lots", "memory")).toThrow(/--memory/);
  });
});
