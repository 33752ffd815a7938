import { chownSync, mkdtempSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ContainerClient, ContainerSpec, Engine } from "../../../src/engine/engine-client.js";
import { readHardLimits } from "../../../src/environments/up/ulimit-fallback.js";
import type { LockFile } from "../../../src/lock/lock-file.js";
import type { ProcessRunner } from "../../../src/process/run-process.js";
import { silentReporter } from "../../../src/report/reporter.js";
import type { EnvironmentImage } from "../../../src/workflows/environment-image.js";
import { upEnvironment } from "../../../src/workflows/up-environment.js";

const image: EnvironmentImage = {
  specFile: "/p/torchstack.yaml",
  spec: { name: "demo", run: { gpus: "none" } },
  lockPath: "/p/torchstack.lock",
  lock: {} as LockFile,
  tags: { stack: "demo:torch1.13.1-cpu-py3.11-runtime", lock: "demo:lock-0123456789ab" },
  lockCreated: false,
};

/** An engine whose container starts but whose Jupyter never answers; records what happens to containers. */
function fakeEngine(startError?: Error) {
  const events: string[] = [];
  const created: ContainerSpec[] = [];
  const containers: ContainerClient = {
    create: async (spec) => {
      created.push(spec);
      events.push(`create ${spec.name}`);
      return `id${created.length}`;
    },
    start: async (id) => {
      events.push(`start ${id}`);
      if (startError && created.length === 1) throw startError;
    },
    inspect: async (id) =>
      id.startsWith("id")
        ? {
            id,
            name: "torchstack-demo",
            image: "x",
            state: "running",
            running: true,
            exitCode: null,
            startedAt: null,
            health: null,
            labels: {},
            env: {},
          }
        : null,
    list: async () => [],
    logs: async () => {
      const { Readable } = await import("node:stream");
      return Readable.from([Buffer.from("booting\n")]);
    },
    stop: async () => {},
    remove: async (id) => {
      events.push(`remove ${id}`);
    },
    exec: async () => ({ exitCode: 0, stdout: "", stderr: "" }),
  };
  const labels = {
    "dev.torchstack.apps": JSON.stringify({ jupyter: { port: 8888, ui: "server" } }),
    "dev.torchstack.user": "dev:1000:1000",
  };
  const engine = {
    endpoint: { strategy: "test", host: "unix:///test.sock" },
    containers,
    images: {
      inspect: async () => ({
        id: "sha256:img",
        tags: [],
        repoDigests: [],
        labels,
        sizeBytes: 1,
        layers: [],
      }),
    },
    ping: async () => {},
    networks: async () => ["bridge", "host", "none"],
    info: async () => ({ serverVersion: "x", runtimes: [], cdiSpecDirs: [], isPodman: false }),
  } as unknown as Engine;
  return { engine, events, created };
}

const noRun: ProcessRunner = async () => {
  throw new Error("not expected");
};

const options = { cpuOk: false, expose: false, env: {}, ports: {}, timeoutSeconds: 30 };

describe("upEnvironment", () => {
  it("removes the half-started container on Ctrl-C", async () => {
    const { engine, events } = fakeEngine();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const workspace = mkdtempSync(join(tmpdir(), "ts-up-"));
    const stateDir = mkdtempSync(join(tmpdir(), "ts-state-"));
    await expect(
      upEnvironment(
        image,
        { ...options, workspace },
        {
          engine,
          run: noRun,
          env: { TORCHSTACK_STATE_DIR: stateDir },
          cwd: workspace,
          reporter: silentReporter,
          signal: controller.signal,
        },
      ),
    ).rejects.toMatchObject({ code: "E_INTERRUPTED" });
    expect(events).toEqual(["create torchstack-demo", "start id1", "remove id1"]);
  });

  it("caps ulimits and retries once when the host cannot raise them", async () => {
    const { engine, events, created } = fakeEngine(
      new Error("runc create failed: error setting rlimit type 8: operation not permitted"),
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const workspace = mkdtempSync(join(tmpdir(), "ts-up-"));
    await upEnvironment(
      image,
      { ...options, workspace },
      {
        engine,
        run: noRun,
        env: { TORCHSTACK_STATE_DIR: workspace },
        cwd: workspace,
        reporter: silentReporter,
        signal: controller.signal,
      },
    ).catch(() => {});
    expect(events.slice(0, 4)).toEqual([
      "create torchstack-demo",
      "start id1",
      "remove id1",
      "create torchstack-demo",
    ]);
    // Capped at this host's hard limit (unchanged where the host allows unlimited).
    expect(created[1]?.ulimits.find((u) => u.name === "memlock")?.hard).toBe(readHardLimits().memlock ?? -1);
  });

  it("refuses GPUs when the engine has no GPU runtime, unless --cpu-ok", async () => {
    const { engine } = fakeEngine();
    const workspace = mkdtempSync(join(tmpdir(), "ts-up-"));
    const deps = {
      engine,
      run: noRun,
      env: { TORCHSTACK_STATE_DIR: workspace },
      cwd: workspace,
      reporter: silentReporter,
      signal: new AbortController().signal,
    };
    await expect(upEnvironment(image, { ...options, workspace, gpus: "all" }, deps)).rejects.toMatchObject({
      code: "E_NO_GPU_RUNTIME",
    });
  });
});

describe("upEnvironment tells the user", () => {
  function recordingReporter() {
    const lines: string[] = [];
    const reporter = {
      step: (m: string) => lines.push(m),
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(`warning: ${m}`),
      debug: () => {},
    };
    return { reporter, lines };
  }

  async function upUntilAborted(workspace: string, reporter: typeof silentReporter, spec = image.spec) {
    const { engine } = fakeEngine();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await upEnvironment(
      { ...image, spec },
      { ...options, workspace },
      {
        engine,
        run: noRun,
        env: { TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-state-")) },
        cwd: workspace,
        reporter,
        signal: controller.signal,
      },
    ).catch(() => {});
  }

  it.runIf(process.getuid?.() === 0)(
    "that a root-owned workspace is read-only for the environment's user, with the fixes",
    async () => {
      const workspace = mkdtempSync(join(tmpdir(), "ts-up-root-"));
      const { reporter, lines } = recordingReporter();
      await upUntilAborted(workspace, reporter);
      const warning = lines.find((l) => l.includes("E_WORKSPACE_READ_ONLY")) ?? "";
      expect(warning).toContain(`workspace ${workspace} belongs to root`);
      expect(warning).toContain(`chown -R 1000:1000 ${workspace}`);
      expect(warning).toContain("--workspace DIR");
      // a workspace a user owns is fine: no warning
      chownSync(workspace, 1234, 1234);
      const quiet = recordingReporter();
      await upUntilAborted(workspace, quiet.reporter);
      expect(quiet.lines.join("\n")).not.toContain("E_WORKSPACE_READ_ONLY");
    },
  );

  it("that an app's port was busy and which port it got instead", async () => {
    const busy = createServer();
    await new Promise<void>((done) => busy.listen({ host: "127.0.0.1", port: 0 }, done));
    const port = (busy.address() as AddressInfo).port;
    try {
      const workspace = mkdtempSync(join(tmpdir(), "ts-up-port-"));
      const { reporter, lines } = recordingReporter();
      await upUntilAborted(workspace, reporter, {
        ...image.spec,
        run: { gpus: "none", ports: { jupyter: port } },
      });
      expect(lines.join("\n")).toMatch(
        new RegExp(`jupyter: port ${port} is in use, so jupyter gets port \\d+`),
      );
    } finally {
      busy.close();
    }
  });
});
