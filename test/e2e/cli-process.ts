/**
 * Runs the bundled CLI (`node bin/torchstack.js`) as a real process for the
 * engine tests, with a private state dir, and parses `--json` output.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: unknown;
}

export function ensureBundle(): void {
  if (existsSync(join(ROOT, "dist", "cli.js"))) return;
  const result = spawnSync("node", ["scripts/bundle.mjs"], { cwd: ROOT });
  if (result.status !== 0) throw new Error("bundling the CLI failed");
}

export function torchstack(args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [join(ROOT, "bin", "torchstack.js"), ...args], { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      let json: unknown = null;
      if (args.includes("--json")) {
        try {
          json = JSON.parse(stdout);
        } catch {
          json = null;
        }
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}
