/**
 * The one place engine failures get a code and a fix: every call into
 * dockerode goes through `guardEngine`, which turns what the engine library
 * throws into an EngineError. A socket that stops answering is
 * E_ENGINE_UNREACHABLE and a refused socket E_ENGINE_DENIED (their classes are
 * in engine-errors.ts), a missing image E_IMAGE_NOT_FOUND, a taken container
 * name E_NAME_IN_USE, and any other answer of the Engine API E_ENGINE_API with
 * the engine's own message. What
 * is already a TorchstackError, or is no engine failure at all (a torchstack
 * bug), passes through unchanged.
 */
import { EngineError, TorchstackError } from "../errors/torchstack-error.js";
import type { Engine } from "./engine-client.js";
import { EngineDeniedError, EngineUnreachableError, START_ENGINE } from "./engine-errors.js";

interface EngineLibraryError {
  code?: unknown;
  statusCode?: unknown;
  json?: { message?: unknown } | null;
  reason?: unknown;
  message?: unknown;
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOENT",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
  "ERR_SOCKET_CLOSED",
]);

function engineMessage(error: EngineLibraryError): string {
  const json = error.json && typeof error.json.message === "string" ? error.json.message : undefined;
  const text = json ?? (typeof error.message === "string" ? error.message : String(error));
  return text.replace(/^\(HTTP code \d+\)\s*[\w ]+-\s*/, "").trim();
}

/** What the engine library threw while doing `what` at `host`, as a TorchstackError (or unchanged). */
export function translateEngineError(error: unknown, what: string, host: string): unknown {
  if (error instanceof TorchstackError || typeof error !== "object" || error === null) return error;
  const e = error as EngineLibraryError;
  const code = typeof e.code === "string" ? e.code : "";
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const message = engineMessage(e);
  if (code === "EACCES" || code === "EPERM") return EngineDeniedError.atSocket(host, what, message, error);
  if (UNREACHABLE.has(code) || /socket hang up|connect ECONNREFUSED/i.test(message))
    return new EngineUnreachableError(host, what, code || message, error);
  if (status === undefined) return error; // not an engine answer: a torchstack bug, reported as such
  if (status === 404 && /no such image|image .* not found|not found: manifest/i.test(message)) {
    return new EngineError("E_IMAGE_NOT_FOUND", `the engine has no such image (${what}): ${message}`, {
      remedies: ["build it first: torchstack build", "list what exists: docker images"],
      cause: error,
    });
  }
  if (status === 409 && /already in use/i.test(message)) {
    return new EngineError("E_NAME_IN_USE", `cannot ${what}: ${message}`, {
      remedies: [
        "see who owns it: docker inspect --format '{{json .Config.Labels}}' NAME",
        "choose another environment name (name: in torchstack.yaml), or remove that container if it is yours",
      ],
      cause: error,
    });
  }
  if (status === 401 || status === 403) return EngineDeniedError.byApi(what, message, error);
  return new EngineError("E_ENGINE_API", `the engine answered ${status} while ${what}: ${message}`, {
    remedies: [
      "check the engine's log (journalctl -u docker, or dockerd's output) for the cause",
      ...START_ENGINE.slice(0, 1),
    ],
    cause: error,
  });
}

type AsyncMethods = Record<string, unknown>;

function guardMethods<T extends object>(target: T, prefix: string, host: string): T {
  const guarded: AsyncMethods = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== "function") {
      guarded[name] = value;
      continue;
    }
    const what = `${prefix}${name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      } catch (error) {
        throw translateEngineError(error, what, host);
      }
    };
  }
  return guarded as T;
}

/** The same Engine, with every failure of every call translated. */
export function guardEngine(engine: Engine): Engine {
  const host = engine.endpoint.host;
  return {
    ...guardMethods(engine, "", host),
    endpoint: engine.endpoint,
    containers: guardMethods(engine.containers, "container ", host),
    images: guardMethods(engine.images, "image ", host),
  };
}
