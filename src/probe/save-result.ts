/**
 * Saves a probe result as pretty JSON (doctor/bench latest.json, bench -o),
 * creating the folder and writing atomically so that `diagnose`, the dashboard
 * or `bench --compare` reading the same file never see half of it.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

export function saveResult(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
