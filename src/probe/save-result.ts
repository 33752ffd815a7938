/**
 * Saves a probe result as pretty JSON (doctor/bench latest.json, bench -o),
 * creating the folder and writing atomically so that `diagnose`, the dashboard
 * or `bench --compare` reading the same file never see half of it. The latest
 * result is a copy kept for the dashboard: failing to write it is a warning, not
 * the command's failure (an output the user asked for, `bench -o`, must be written).
 */
import { closeSync, mkdirSync, openSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { TorchstackError } from "../errors/torchstack-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";

/**
 * Fails now when a file cannot be created in PATH's folder (read-only, no permission, /sys), so a run
 * that takes minutes (`bench -o`) never measures for nothing. Creates and removes an empty probe file.
 */
export function checkWritable(path: string): void {
  const probe = join(dirname(path), `.torchstack-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new TorchstackError(
      "E_WRITE_FAILED",
      `cannot write ${path}: its folder ${dirname(path)} does not take new files (${code}); nothing was measured`,
      { remedies: ["give -o a path in a folder you can write, e.g. -o ./bench.json"], cause: error },
    );
  }
}

export function saveResult(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Saves the latest result for the dashboard; when that fails, says so through `warn` and carries on. */
export function saveLatestResult(path: string, value: unknown, warn: (message: string) => void): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 }); // inside the state folder: private
    saveResult(path, value);
  } catch (error) {
    warn(
      `the result was not saved for the dashboard (${path}): ${(error as Error).message}; it shows the previous one`,
    );
  }
}
