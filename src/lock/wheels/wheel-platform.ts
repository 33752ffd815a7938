/**
 * The interpreter and platform tags a wheel set is resolved for: the base OS's
 * CPython and glibc (Debian 12: 3.11 and glibc 2.36; Debian 13: 3.13 and 2.41),
 * as the manylinux tags pip's `--platform` takes. Pure data in, data out.
 */
import { BASE_OS, type BaseOs } from "../../catalog/base-images.js";
import type { LockFile } from "../lock-schema.js";

/** glibc of each base OS, which bounds the manylinux wheels it can load. */
const GLIBC: Readonly<Record<BaseOs["id"], number>> = {
  "ubuntu-22.04": 35,
  "ubuntu-24.04": 39,
  "debian-12": 36,
  "debian-13": 41,
};
/** torch's own wheels need glibc 2.28 (manylinux_2_28): the floor when the base is not known. */
const GLIBC_FLOOR = 28;

/** The base OS of a lock: a named base, or an image whose reference names Debian 12 or 13. */
export function lockBaseOs(lock: Pick<LockFile, "base">): BaseOs | null {
  const { os, ref } = lock.base;
  if (os in BASE_OS) return BASE_OS[os as BaseOs["id"]];
  if (/(?:debian:13\b|:trixie\b|debian-13\b)/.test(ref)) return BASE_OS["debian-13"];
  if (/(?:debian:12\b|:bookworm\b|debian-12\b)/.test(ref)) return BASE_OS["debian-12"];
  return null;
}

/** manylinux tags from the newest the base's glibc loads down to manylinux2014 (glibc 2.17). */
export function manylinuxTags(glibcMinor: number, platform: "x86_64" | "aarch64"): string[] {
  const tags: string[] = [];
  for (let minor = glibcMinor; minor >= 17; minor--) tags.push(`manylinux_2_${minor}_${platform}`);
  return [...tags, `manylinux2014_${platform}`];
}

export function wheelPlatforms(lock: Pick<LockFile, "base" | "platform">): string[] {
  const os = lockBaseOs(lock);
  return manylinuxTags(os ? GLIBC[os.id] : GLIBC_FLOOR, lock.platform ?? "x86_64");
}
