import { describe, expect, it } from "vitest";
import { discoverEngine } from "../../../../src/engine/discovery/discover-engine.js";
import { parseDockerHost } from "../../../../src/engine/discovery/strategies.js";
import type { Engine, EngineEndpoint } from "../../../../src/engine/engine-client.js";

function fakeEngine(endpoint: EngineEndpoint, answers: boolean): Engine {
  return {
    endpoint,
    containers: {} as Engine["containers"],
    images: {} as Engine["images"],
    ping: async () => {
      if (!answers) throw new Error("connect ECONNREFUSED");
    },
    info: async () => ({ serverVersion: "x", runtimes: [], cdiSpecDirs: [], isPodman: false }),
    networks: async () => ["bridge", "host", "none"],
  };
}

describe("discoverEngine", () => {
  it("prefers DOCKER_HOST over the sockets and says which one it uses", async () => {
    const logs: string[] = [];
    const engine = await discoverEngine(
      { DOCKER_HOST: "unix:///tmp/custom.sock" },
      { isSocket: () => true, uid: 1000, connect: (e) => fakeEngine(e, true), log: (m) => logs.push(m) },
    );
    expect(engine.endpoint.socketPath).toBe("/tmp/custom.sock");
    expect(logs[0]).toContain("found by DOCKER_HOST");
  });

  it("falls through to the rootless socket when the system socket does not answer", async () => {
    const engine = await discoverEngine(
      { XDG_RUNTIME_DIR: "/run/user/1000" },
      {
        isSocket: (p) => p === "/var/run/docker.sock" || p === "/run/user/1000/docker.sock",
        uid: 1000,
        connect: (e) => fakeEngine(e, e.socketPath !== "/var/run/docker.sock"),
      },
    );
    expect(engine.endpoint.strategy).toBe("rootless socket");
  });

  it("does not look past DOCKER_HOST when it is set but does not answer", async () => {
    await expect(
      discoverEngine(
        { DOCKER_HOST: "unix:///tmp/gone.sock" },
        { isSocket: () => true, uid: 0, connect: (e) => fakeEngine(e, e.socketPath !== "/tmp/gone.sock") },
      ),
    ).rejects.toMatchObject({ code: "E_NO_ENGINE", message: expect.stringContaining("/tmp/gone.sock") });
  });

  it("finds Podman's socket last", async () => {
    const engine = await discoverEngine(
      {},
      { isSocket: (p) => p === "/run/podman/podman.sock", uid: 0, connect: (e) => fakeEngine(e, true) },
    );
    expect(engine.endpoint.strategy).toBe("Podman socket");
  });

  it("throws E_NO_ENGINE with how to start one", async () => {
    await expect(
      discoverEngine({}, { isSocket: () => false, uid: 0, connect: (e) => fakeEngine(e, true) }),
    ).rejects.toMatchObject({
      code: "E_NO_ENGINE",
      remedies: expect.arrayContaining([expect.stringContaining("npm run engine:setup")]),
    });
  });
});

describe("parseDockerHost", () => {
  it("reads tcp endpoints with TLS from the environment", () => {
    expect(
      parseDockerHost("x", "tcp://127.0.0.1:2376", { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/c" }),
    ).toEqual({
      strategy: "x",
      host: "tcp://127.0.0.1:2376",
      tcp: { host: "127.0.0.1", port: 2376, protocol: "https", certPath: "/c" },
    });
    expect(parseDockerHost("x", "tcp://localhost:2375", {})?.tcp?.protocol).toBe("http");
    expect(parseDockerHost("x", "ssh://user@host", {})).toBeNull();
  });
});
