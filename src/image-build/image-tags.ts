/**
 * Image tags that say what is inside: `NAME:torch<ver>-<wheel>-py<python>-<flavor>`
 * (e.g. `cpu-example:torch1.13.1-cpu-py3.11-runtime`), one derived from the lock
 * (`NAME:lock-<digest>`, what `up` looks for), and the temporary tag a build
 * writes before the real tags move.
 */
import type { ResolvedStack } from "../resolve/stack.js";

const tagSafe = (value: string): string => value.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 128);

export function stackTag(
  name: string,
  stack: Pick<ResolvedStack, "torch" | "wheel" | "python">,
  flavor: string,
): string {
  return `${name}:${tagSafe(`torch${stack.torch}-${stack.wheel}-py${stack.python}-${flavor}`)}`;
}

export function lockTag(name: string, lockDigest: string): string {
  const short = lockDigest.replace(/^sha256:/, "").slice(0, 12);
  return `${name}:lock-${tagSafe(short)}`;
}

export function temporaryTag(name: string, nonce: string): string {
  return `${name}:building-${tagSafe(nonce)}`;
}
