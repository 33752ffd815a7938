/**
 * Where nvidia-smi is: `$TORCHSTACK_NVIDIA_SMI` (an executable; tests point it at a
 * fake that replays recorded output), else the first `nvidia-smi` on `$PATH`.
 * Null means no driver tools on this host, which callers report honestly.
 */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findNvidiaSmi(env: NodeJS.ProcessEnv): string | null {
  const explicit = env.TORCHSTACK_NVIDIA_SMI;
  if (explicit) return isExecutable(explicit) ? explicit : null;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, "nvidia-smi");
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}
