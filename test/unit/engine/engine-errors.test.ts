/**
 * The engine's denied and unreachable failures are classes of their own (EngineError's family),
 * with the codes, messages and fixes the error translation gave them before.
 */
import { describe, expect, it } from "vitest";
import { translateEngineError } from "../../../src/engine/dockerode-errors.js";
import { EngineDeniedError, EngineUnreachableError } from "../../../src/engine/engine-errors.js";
import { EngineError } from "../../../src/errors/torchstack-error.js";

const HOST = "unix:///var/run/docker.sock";

describe("translateEngineError", () => {
  it("a socket that refuses this user is an EngineDeniedError", () => {
    const cause = Object.assign(new Error("connect EACCES /var/run/docker.sock"), { code: "EACCES" });
    const error = translateEngineError(cause, "ping", HOST);
    expect(error).toBeInstanceOf(EngineDeniedError);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({
      code: "E_ENGINE_DENIED",
      message: `the engine at ${HOST} refused access while ping: connect EACCES /var/run/docker.sock`,
      remedies: [
        "add yourself to the engine's group: sudo usermod -aG docker $USER (then log in again)",
        "or use a rootless engine: DOCKER_HOST=unix:///run/user/$(id -u)/docker.sock",
      ],
      cause,
    });
  });

  it("a 403 from the Engine API is an EngineDeniedError", () => {
    const cause = Object.assign(new Error("(HTTP code 403) unexpected - authorization denied by plugin"), {
      statusCode: 403,
      json: { message: "authorization denied by plugin" },
    });
    const error = translateEngineError(cause, "container create", HOST);
    expect(error).toBeInstanceOf(EngineDeniedError);
    expect(error).toMatchObject({
      code: "E_ENGINE_DENIED",
      message: "the engine refused container create: authorization denied by plugin",
      remedies: ["check the engine's authorization plugins and your rights on it: docker info"],
    });
  });

  it("a socket that stops answering is an EngineUnreachableError", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED /var/run/docker.sock"), {
      code: "ECONNREFUSED",
    });
    const error = translateEngineError(cause, "image inspect", HOST);
    expect(error).toBeInstanceOf(EngineUnreachableError);
    expect(error).toMatchObject({
      code: "E_ENGINE_UNREACHABLE",
      message: `the engine at ${HOST} stopped answering while image inspect (ECONNREFUSED)`,
      remedies: [
        "check that the engine runs: docker info",
        "on a Debian host, as root: npm run engine:setup (starts dockerd)",
        "or point DOCKER_HOST at a running engine",
        "then run the same command again",
      ],
      exitCode: 1,
    });
    expect((error as Error).name).toBe("EngineUnreachableError");
  });
});
