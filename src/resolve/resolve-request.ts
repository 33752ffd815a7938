/**
 * The resolver's input and output. A request is what the user asked for (from the
 * spec and/or flags, already validated); the result is the exact stack plus the
 * reasons. Both are plain data: resolveStack() is a pure function over the catalog.
 */
import type { Flavor, TorchSource } from "../spec/schema.js";
import type { Platform } from "../spec/targets-schema.js";
import type { PlatformFrom } from "./platform-fit.js";
import type { ResolvedStack } from "./stack.js";

/** A GPU to check the stack against: a catalog name/alias ("H100") or a capability ("sm_90"). */
export interface GpuTarget {
  /** What the user or the host said, kept for messages. */
  label: string;
  /** "9.0"; null when the name is unknown to the catalog (a warning, not an error). */
  computeCapability: string | null;
  /** Set when the capability was inferred from the product series (gpu-series.ts, unverified). */
  inferredFrom?: string;
}

export interface ResolveRequest {
  /** "2.7" (newest patch of the minor) or "2.7.1"; undefined = newest stable release. */
  torch?: string;
  /** "auto" (default), "cpu" or "12.8". */
  cuda?: string;
  /** "3.12"; undefined = policy default. */
  python?: string;
  flavor?: Flavor;
  torchSource?: TorchSource;
  /** Spec `base` ("debian-12"); picks the distro row when torchSource is "distro" (default debian-12). */
  base?: string;
  /** Host driver "570.86.15"; null = no NVIDIA driver; undefined = unknown (not checked). */
  driver?: string | null;
  /** CPU architecture of the image; undefined = implied by the GPUs (GH200 → aarch64), else x86_64. */
  platform?: Platform;
  /**
   * Where `platform` came from: "spec" or "flag" (asked: a target GPU that needs another platform
   * is an error naming both), or "host" (a default that a target GPU overrides). Absent = asked.
   */
  platformFrom?: PlatformFrom;
  /** Targets; a plain string ("H100", "sm_90") is looked up in the GPU catalog like `--gpu`. */
  gpus?: readonly (GpuTarget | string)[];
}

/** One line of `--explain`: a decision and why, or a candidate and why it was rejected. */
export interface ExplainEntry {
  subject: string;
  verdict: "chosen" | "rejected" | "note";
  reason: string;
}

export interface ResolveResult {
  stack: ResolvedStack;
  warnings: string[];
  explain: ExplainEntry[];
}
