/**
 * Runs the bundled CLI (`node bin/torchstack.js`) as a real process for the
 * engine tests, with a private state dir, and parses `--json` output.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runProcess } from "../../src/process/run-process.js";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

export function ensureBundle(): void {
  if (existsSync(join(ROOT, "dist", "cli.cjs"))) return;
  const result = spawnSync("node", ["scripts/bundle.mjs"], { cwd: ROOT });
  if (result.status !== 0) throw new Error("bundling the CLI failed");
}

export async function torchstack(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): Promise<CliResult> {
  const result = await runProcess("node", [join(ROOT, "bin", "torchstack.js"), ...args], {
    cwd,
    env,
    reject: false,
  });
  let json: unknown = null;
  if (args.includes("--json")) {
    try {
      json = JSON.parse(result.stdout);
    } catch {
      json = null;
    }
  }
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, json };
}

/** The Debian docker client (BuildKit-capable), run synchronously for assertions on engine state. */
export function docker(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("/usr/bin/docker", args, { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Removes every image a spec of this name built (by its spec-name label): tests leave no image behind. */
export function removeImagesOf(specName: string): void {
  const ids = docker("images", "-q", "--filter", `label=dev.torchstack.spec-name=${specName}`).stdout.split(
    /\s+/,
  );
  const unique = [...new Set(ids.filter(Boolean))];
  if (unique.length > 0) docker("rmi", "-f", ...unique);
}
