/**
 * Engine failures through the real dockerode client: a socket nobody listens
 * on, and a local HTTP server on a unix socket (in a temp folder, no network)
 * that answers like the Engine API does for a missing image, a taken name and
 * a server error.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDockerode } from "../../../src/engine/dockerode-engine.js";
import type { ContainerSpec, EngineEndpoint } from "../../../src/engine/engine-client.js";
import { isTorchstackError } from "../../../src/errors/torchstack-error.js";

let dir = "";
let server: Server;
let socketPath = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "engine-errors-"));
  socketPath = join(dir, "engine.sock");
  server = createServer((req, res) => {
    const reply = (status: number, message: string) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ message }));
    };
    if (req.url?.includes("/containers/create"))
      return req.url.includes("name=taken")
        ? reply(409, 'Conflict. The container name "/taken" is already in use by container "abc123".')
        : reply(404, "No such image: torchstack/missing:latest");
    if (req.url?.includes("/networks")) return reply(500, "failed to list networks: database is locked");
    return reply(403, "authorization denied by plugin opa");
  });
  await new Promise<void>((done) => server.listen(socketPath, done));
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(
  run: () => Promise<unknown>,
): Promise<{ code: string; message: string; remedies: readonly string[] }> {
  try {
    await run();
  } catch (error) {
    if (isTorchstackError(error))
      return { code: error.code, message: error.message, remedies: error.remedies };
    return { code: "raw", message: String(error), remedies: [] };
  }
  return { code: "none", message: "", remedies: [] };
}

const endpointAt = (path: string): EngineEndpoint => ({
  strategy: "test",
  host: `unix://${path}`,
  socketPath: path,
});

const spec = (name: string): ContainerSpec => ({
  name,
  image: "torchstack/missing:latest",
  labels: {},
  env: {},
  binds: [],
  ports: [],
  ulimits: [],
  gpus: { kind: "none" },
});

describe("engine failures get codes and fixes (dockerode-errors)", () => {
  it("a socket nobody listens on is E_ENGINE_UNREACHABLE", async () => {
    const engine = connectDockerode(endpointAt(join(dir, "none.sock")));
    const f = await failure(() => engine.ping());
    expect(f.code).toBe("E_ENGINE_UNREACHABLE");
    expect(f.message).toMatch(/stopped answering while ping \(ENOENT\)/);
    expect(f.remedies.join("\n")).toContain("docker info");
  });

  it("a missing image is E_IMAGE_NOT_FOUND with the engine's message", async () => {
    const engine = connectDockerode(endpointAt(socketPath));
    const f = await failure(() => engine.containers.create(spec("fresh")));
    expect(f.code).toBe("E_IMAGE_NOT_FOUND");
    expect(f.message).toContain("No such image: torchstack/missing:latest");
  });

  it("a taken container name is E_NAME_IN_USE", async () => {
    const engine = connectDockerode(endpointAt(socketPath));
    const f = await failure(() => engine.containers.create(spec("taken")));
    expect(f.code).toBe("E_NAME_IN_USE");
    expect(f.message).toContain('The container name "/taken" is already in use');
  });

  it("any other engine answer is E_ENGINE_API with the engine's own message; 403 is E_ENGINE_DENIED", async () => {
    const engine = connectDockerode(endpointAt(socketPath));
    const api = await failure(() => engine.networks());
    expect(api.code).toBe("E_ENGINE_API");
    expect(api.message).toContain("answered 500 while networks: failed to list networks: database is locked");
    const denied = await failure(() => engine.ping());
    expect(denied.code).toBe("E_ENGINE_DENIED");
    expect(denied.message).toContain("authorization denied by plugin opa");
  });
});
