/**
 * The record `up` keeps for each environment (URLs with the Jupyter token, the
 * SSH command and key, ports), so `urls NAME` shows access again and `ps`/`gc`
 * know what torchstack started. Written 0600 (it holds a token), read back
 * through a schema.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { z } from "zod";
import { writeSecretFileAtomic } from "../fs/atomic-write.js";
import { environmentRecordPath, makeStateFolder } from "../fs/state-dir.js";

const environmentRecordSchema = z.object({
  name: z.string(),
  container: z.string(),
  containerId: z.string(),
  image: z.string(),
  workspace: z.string(),
  user: z.string(),
  network: z.string(),
  gpus: z.string(),
  ports: z.record(z.string(), z.number()),
  urls: z.record(z.string(), z.string()),
  token: z.string().nullable(),
  ssh: z.string().nullable(),
  sshKey: z.string().nullable(),
  createdAt: z.string(),
});
export type EnvironmentRecord = z.infer<typeof environmentRecordSchema>;

export function writeEnvironmentRecord(env: NodeJS.ProcessEnv, record: EnvironmentRecord): string {
  const path = environmentRecordPath(env, record.name);
  makeStateFolder(env, "envs");
  // Atomic: `ps`, `urls` and the dashboard may read it while `up` writes it.
  writeSecretFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  return path;
}

export function readEnvironmentRecord(env: NodeJS.ProcessEnv, name: string): EnvironmentRecord | null {
  const path = environmentRecordPath(env, name);
  if (!existsSync(path)) return null;
  try {
    const parsed = environmentRecordSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function removeEnvironmentRecord(env: NodeJS.ProcessEnv, name: string): void {
  rmSync(environmentRecordPath(env, name), { force: true });
}
