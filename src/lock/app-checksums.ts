/**
 * A download in the app layer (code-server for `apps.vscode`) must carry a
 * sha256 before anything is locked: the catalog's, or `apps.vscode.sha256` in
 * the spec. Without one the build could not verify what it downloads, so
 * `lock` (and `build`, which locks first) refuse with the exact fix.
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import type { LockFile } from "./lock-schema.js";

export function assertAppChecksums(lock: LockFile): void {
  const unknown = lock.pins.apps.find((p) => p.manager === "download" && !p.sha256);
  if (!unknown) return;
  throw new TorchstackError(
    "E_APP_CHECKSUM_UNKNOWN",
    `${unknown.name} ${unknown.version ?? ""} has no known sha256, so its download (${unknown.url ?? "?"}) could not be verified`,
    {
      remedies: [
        `on a machine with network access: curl -fsSL ${unknown.url ?? "<url>"} | sha256sum`,
        "then set it in torchstack.yaml: apps: { vscode: { sha256: <the 64 hex digits> } }",
        "or turn the app off: apps: { vscode: false }",
      ],
      details: { app: unknown.name, version: unknown.version, url: unknown.url },
    },
  );
}
