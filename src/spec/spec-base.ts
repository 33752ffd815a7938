/**
 * Which base operating system and image a spec builds FROM: its `base`, else
 * Ubuntu 24.04 for wheels and Debian 12 for distro torch (the data is in
 * catalog/base-images.ts).
 */
import { BASE_OS, type BaseOs } from "../catalog/base-images.js";
import type { Spec } from "./schema.js";

/** The base OS id a spec builds on: its `base`, else Ubuntu 24.04 for wheels and Debian 12 for distro torch. */
export function baseOsId(spec: Spec): BaseOs["id"] | "image" {
  if (spec.base?.startsWith("image:")) return "image";
  if (spec.base) return spec.base as BaseOs["id"];
  return spec.torchSource === "distro" ? "debian-12" : "ubuntu-24.04";
}

/** The image reference a spec builds FROM. */
export function baseImageRef(spec: Spec): string {
  const id = baseOsId(spec);
  if (id === "image") return (spec.base ?? "").slice("image:".length);
  return BASE_OS[id].ref;
}
