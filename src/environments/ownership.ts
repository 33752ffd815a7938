/**
 * Who owns what torchstack creates on an engine. Every container, volume and
 * image it makes carries labels naming the owner: the identity of the state
 * folder that records it (a hash of its real path, so two users or two
 * TORCHSTACK_STATE_DIRs on one shared engine never mix) and the user, next to
 * the environment's name. `gc` and `up` act only on what carries this
 * owner's labels; anything else on the engine belongs to someone else.
 */
import { createHash } from "node:crypto";
import { realpathSync } from "node:fs";
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { stateDir } from "../fs/state-dir.js";

export const OWNER_LABEL = "dev.torchstack.owner";
export const OWNER_USER_LABEL = "dev.torchstack.owner-user";
export const MANAGED_LABEL = "dev.torchstack.managed";
export const ENV_LABEL = "dev.torchstack.env";

export interface Owner {
  /** 16 hex digits identifying the state folder. */
  id: string;
  /** "name:uid" of the user running torchstack. */
  user: string;
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export function currentOwner(env: NodeJS.ProcessEnv): Owner {
  const dir = realOrResolved(stateDir(env));
  const id = createHash("sha256").update(dir).digest("hex").slice(0, 16);
  let user = `${env.USER ?? "unknown"}:${process.getuid?.() ?? -1}`;
  try {
    const info = userInfo();
    user = `${info.username}:${info.uid}`;
  } catch {
    // no passwd entry (a container's random uid): keep $USER
  }
  return { id, user };
}

/** The labels that mark a resource as this owner's. */
export function ownerLabels(owner: Owner): Record<string, string> {
  return { [MANAGED_LABEL]: "true", [OWNER_LABEL]: owner.id, [OWNER_USER_LABEL]: owner.user };
}

export function isOwnedBy(labels: Readonly<Record<string, string>>, owner: Owner): boolean {
  return labels[MANAGED_LABEL] === "true" && labels[OWNER_LABEL] === owner.id;
}

/** Who a foreign resource says it belongs to, for error messages. */
export function describeOwner(labels: Readonly<Record<string, string>>): string {
  if (labels[MANAGED_LABEL] !== "true") return "not torchstack (no torchstack labels)";
  const user = labels[OWNER_USER_LABEL];
  const id = labels[OWNER_LABEL];
  return id
    ? `another torchstack state folder (owner ${id}${user ? `, user ${user}` : ""})`
    : "an older torchstack without owner labels";
}
