/**
 * The strings of a lock, each checked for what it is, because a lock is often
 * committed by someone else and its strings end up in Dockerfile lines that a
 * build runs as root: a digest is `sha256:` and 64 hex digits, an image
 * reference follows the OCI grammar, the user is a Unix name, a requirement is
 * a PEP 508 requirement (pip) or a Debian package (apt), URLs are plain https
 * (or loopback http) URLs, and no string anywhere holds a control character
 * (a newline would start a new Dockerfile instruction).
 */
import { z } from "zod";
import { parseRequirement } from "../spec/pep508.js";

const CONTROL = /\p{Cc}/u;

/** The path (`base.digest`, `pins.pip.0.requirement`) of the first string holding a control character. */
export function controlCharacterPath(value: unknown, path: (string | number)[] = []): string | null {
  if (typeof value === "string") return CONTROL.test(value) ? path.join(".") || "(top)" : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = controlCharacterPath(item, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = controlCharacterPath(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A version or variant as the stack names it: `2.7.1`, `cu128`, `3.13t`, `12.8`, `8.0+PTX`. */
export const versionText = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.+_~-]*$/, "must be a version such as 2.7.1 or a variant such as cu128");

export const digestSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, "must be an image digest: sha256: and 64 lower-case hex digits");

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const OCI_REFERENCE = new RegExp(
  `^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\\d+)?/)?${COMPONENT}(?:/${COMPONENT})*` +
    "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$",
);

/** `debian:12`, `registry.example:5000/team/train:lock-1`, `name@sha256:…`. */
export const ociReferenceSchema = z
  .string()
  .max(512)
  .regex(OCI_REFERENCE, "must be an image reference such as debian:12 or registry:5000/team/image:tag");

export const unixUserSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Unix user name such as dev");

/** A Debian package, optionally `=VERSION`: what `apt-get install` gets. */
const APT_REQUIREMENT = /^[a-z0-9][a-z0-9+.-]*(?:=[A-Za-z0-9.+~:-]+)?$/;

/** A pin's requirement for its manager: PEP 508 for pip, a Debian package for apt, a name for a download. */
export function requirementProblem(manager: "pip" | "apt" | "download", requirement: string): string | null {
  if (manager === "apt")
    return APT_REQUIREMENT.test(requirement)
      ? null
      : "must be a Debian package such as curl or curl=7.88.1-10";
  if (manager === "download")
    return /^[A-Za-z0-9][A-Za-z0-9_.+=-]*$/.test(requirement) ? null : "must be a package name and version";
  try {
    parseRequirement(requirement);
    return null;
  } catch (error) {
    return `must be a PEP 508 requirement: ${(error as Error).message}`;
  }
}

/** An https URL (http only to this machine), with nothing a shell or a Dockerfile would read specially. */
export const plainUrlSchema = z.string().refine(
  (text) => {
    if (!/^[A-Za-z0-9._~:/?#@!&+,;=%[\]-]+$/.test(text)) return false;
    try {
      const url = new URL(text);
      return (
        url.protocol === "https:" ||
        (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname))
      );
    } catch {
      return false;
    }
  },
  { message: "must be an https URL with no spaces, quotes or shell characters" },
);

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits");

/**
 * What the field schemas cannot say alone: no string anywhere in the lock holds a control character, and
 * each pin's requirement is valid for its manager. Null when the lock's strings are sound.
 */
export function lockStringProblem(data: unknown): { key: string; message: string } | null {
  const control = controlCharacterPath(data);
  if (control)
    return {
      key: control,
      message: "holds a control character (a newline or escape), which no lock value may",
    };
  const pins = (data as { pins?: unknown } | null)?.pins;
  if (pins === null || typeof pins !== "object") return null;
  for (const [group, list] of Object.entries(pins)) {
    if (!Array.isArray(list)) continue;
    for (const [i, pin] of list.entries()) {
      const { manager, requirement } = (pin ?? {}) as { manager?: unknown; requirement?: unknown };
      if (
        typeof requirement !== "string" ||
        (manager !== "pip" && manager !== "apt" && manager !== "download")
      )
        continue;
      const problem = requirementProblem(manager, requirement);
      if (problem) return { key: `pins.${group}.${i}.requirement`, message: problem };
    }
  }
  return null;
}
