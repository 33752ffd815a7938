/**
 * How a build reaches the package indexes: the spec's CPython mirror, the indexes chosen now (flag,
 * environment, spec) as build arguments when they differ from the ones the lock
 * recorded (a mirror: the hashes still decide which file is accepted), and index
 * credentials as a BuildKit secret (a netrc file, mode 0600, in the build's temp
 * folder), so they reach pip for one step and never a layer, the lock or a log; the host's CA bundle the same
 * way, for an index behind a TLS-inspecting proxy.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { wheelIndexUrl } from "../catalog/wheel-index.js";
import { planDockerfile } from "../image/dockerfile-plan.js";
import { CPYTHON_MIRROR_ARG } from "../image/dockerfile-python-bootstrap.js";
import { CA_SECRET, NETRC_SECRET } from "../image/dockerfile-wheel-sections.js";
import type { LockFile } from "../lock/lock-schema.js";
import { choosePackageIndexes, type IndexFlags, netrcOf } from "../lock/wheels/package-indexes.js";
import type { Spec } from "../spec/schema.js";

export interface IndexAccess {
  secrets?: { id: string; src: string }[];
  buildArgs?: Record<string, string>;
}

export function wheelIndexAccess(
  lock: LockFile,
  spec: Spec,
  flags: IndexFlags,
  env: NodeJS.ProcessEnv,
  tempDir: string,
): IndexAccess {
  const set = lock.wheels;
  if (!set) return {};
  const indexes = choosePackageIndexes(spec, flags, env);
  const buildArgs: Record<string, string> = {};
  // Where uv downloads a standalone CPython, for a base whose OS lacks the stack's Python (no credentials: the
  // spec refuses them, and a build argument a RUN step reads shows in the image's history).
  if (spec.indexes?.cpython && planDockerfile(lock).python.kind === "uv")
    buildArgs[CPYTHON_MIRROR_ARG] = spec.indexes.cpython;
  if (indexes.python.url !== set.pythonIndex) buildArgs.TORCHSTACK_PYTHON_INDEX = indexes.python.url;
  const torchIndex = set.torchIndex ? wheelIndexUrl(lock.stack.wheel, indexes.pytorch.url) : null;
  if (torchIndex && torchIndex !== set.torchIndex) buildArgs.TORCHSTACK_TORCH_INDEX = torchIndex;
  const netrc = netrcOf(indexes);
  const secrets: { id: string; src: string }[] = [];
  if (netrc) {
    const src = join(tempDir, "netrc");
    writeFileSync(src, netrc, { mode: 0o600 });
    secrets.push({ id: NETRC_SECRET, src });
  }
  // The CA bundle the host's pip trusts: an index behind a TLS-inspecting proxy verifies inside the build too.
  const ca = [env.PIP_CERT, env.REQUESTS_CA_BUNDLE, env.SSL_CERT_FILE].find((f) => f && existsSync(f));
  if (ca) secrets.push({ id: CA_SECRET, src: ca });
  return {
    ...(Object.keys(buildArgs).length > 0 ? { buildArgs } : {}),
    ...(secrets.length > 0 ? { secrets } : {}),
  };
}
