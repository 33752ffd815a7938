/**
 * The engine's own failures, each a class with its code, message and fix in one constructor:
 * a socket that stops answering (E_ENGINE_UNREACHABLE) and an engine that refuses this user
 * or this operation (E_ENGINE_DENIED). dockerode-errors.ts decides which one a failure is.
 */
import { EngineError } from "../errors/torchstack-error.js";

/** How to get an engine answering again. */
export const START_ENGINE: readonly string[] = [
  "check that the engine runs: docker info",
  "on a Debian host, as root: npm run engine:setup (starts dockerd)",
  "or point DOCKER_HOST at a running engine",
];

/** The engine at `host` stopped answering while doing `what`; `reason` is the socket's error code or message. */
export class EngineUnreachableError extends EngineError {
  constructor(host: string, what: string, reason: string, cause?: unknown) {
    super("E_ENGINE_UNREACHABLE", `the engine at ${host} stopped answering while ${what} (${reason})`, {
      remedies: [...START_ENGINE, "then run the same command again"],
      cause,
    });
  }
}

/** The engine refused: its socket refused this user (`atSocket`), or its API this operation (`byApi`). */
export class EngineDeniedError extends EngineError {
  private constructor(message: string, remedies: readonly string[], cause: unknown) {
    super("E_ENGINE_DENIED", message, { remedies, cause });
  }

  /** The socket's permissions keep this user out (EACCES, EPERM). */
  static atSocket(host: string, what: string, message: string, cause?: unknown): EngineDeniedError {
    return new EngineDeniedError(
      `the engine at ${host} refused access while ${what}: ${message}`,
      [
        "add yourself to the engine's group: sudo usermod -aG docker $USER (then log in again)",
        "or use a rootless engine: DOCKER_HOST=unix:///run/user/$(id -u)/docker.sock",
      ],
      cause,
    );
  }

  /** The Engine API answered 401 or 403 (an authorization plugin, or rights on the engine). */
  static byApi(what: string, message: string, cause?: unknown): EngineDeniedError {
    return new EngineDeniedError(
      `the engine refused ${what}: ${message}`,
      ["check the engine's authorization plugins and your rights on it: docker info"],
      cause,
    );
  }
}
