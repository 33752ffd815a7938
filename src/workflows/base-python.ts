/**
 * A wheel image on an image base whose OS torchstack knows (the local Debian 12
 * and 13 bases) uses that OS's own Python: a stack that asks for another Python
 * is a lock-time error naming the Python the base has and another base.
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import type { LockFile } from "../lock/lock-schema.js";
import { lockBaseOs } from "../lock/wheels/wheel-platform.js";

/** A base that has each Python as its own. */
const BASE_WITH_PYTHON: Readonly<Record<string, string>> = {
  "3.10": "ubuntu-22.04",
  "3.11": "image:torchstack-local/debian:12",
  "3.12": "ubuntu-24.04",
  "3.13": "image:torchstack-local/debian:13",
};

export function assertBasePython(lock: LockFile): void {
  if (lock.torchSource !== "wheels" || lock.base.os !== "image") return;
  const os = lockBaseOs(lock);
  if (!os || os.python === lock.stack.python) return;
  throw new TorchstackError(
    "E_BASE_PYTHON",
    `the base image ${lock.base.ref} is ${os.id}, whose Python is ${os.python}, but the stack needs Python ${lock.stack.python}`,
    {
      remedies: [
        `set python: "${os.python}" in torchstack.yaml (the base's own Python)`,
        `or a base whose Python is ${lock.stack.python}${BASE_WITH_PYTHON[lock.stack.python] ? ` (base: ${BASE_WITH_PYTHON[lock.stack.python]})` : ""}`,
      ],
    },
  );
}
