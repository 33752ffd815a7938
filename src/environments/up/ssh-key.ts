/**
 * The SSH key `up` authorizes: the user's own ~/.ssh/id_ed25519.pub (or
 * id_rsa.pub) when present, else a keypair generated once with
 * `ssh-keygen -t ed25519 -N ""` in the state dir and reused after that.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { makeStateFolder, stateDir } from "../../fs/state-dir.js";
import type { ProcessRunner } from "../../process/run-process.js";

export interface SshKey {
  /** The private key to pass as `ssh -i`. */
  privateKey: string;
  publicKey: string;
  generated: boolean;
}

export async function findOrCreateSshKey(env: NodeJS.ProcessEnv, run: ProcessRunner): Promise<SshKey> {
  const home = env.HOME || homedir();
  for (const name of ["id_ed25519", "id_rsa"]) {
    const privateKey = join(home, ".ssh", name);
    if (existsSync(`${privateKey}.pub`) && existsSync(privateKey)) {
      return { privateKey, publicKey: readFileSync(`${privateKey}.pub`, "utf8").trim(), generated: false };
    }
  }
  const dir = join(stateDir(env), "ssh");
  const privateKey = join(dir, "id_ed25519");
  if (!existsSync(privateKey)) {
    makeStateFolder(env, "ssh");
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "torchstack", "-f", privateKey], {
      env,
      timeoutMs: 30_000,
    });
  }
  return { privateKey, publicKey: readFileSync(`${privateKey}.pub`, "utf8").trim(), generated: true };
}
