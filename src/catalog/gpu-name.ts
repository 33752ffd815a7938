/**
 * Reading GPU names and compute capabilities the way users and nvidia-smi write
 * them: "NVIDIA H100 80GB HBM3", "Tesla V100-SXM2-16GB", "rtx5090", "sm_90",
 * "sm_120a", "9.0". Pure string work; the catalog rows are in gpus.ts.
 */

const VENDOR_WORDS = new Set(["nvidia", "tesla", "geforce", "quadro"]);

/** Lower-case tokens without vendor words: "NVIDIA GeForce RTX 4090" → ["rtx", "4090"]. */
export function gpuNameTokens(name: string): string[] {
  const spaced = name
    .toLowerCase()
    .replace(/[-_/,()]+/g, " ")
    .replace(/\b(rtx|gtx)(\d)/g, "$1 $2")
    .replace(/\b(\d{3,4})(ti)\b/g, "$1 $2")
    .replace(/\b(\d+)\s+gb\b/g, "$1gb");
  return spaced.split(/\s+/).filter((token) => token !== "" && !VENDOR_WORDS.has(token));
}

/**
 * The one compute-capability parser: "sm_90" / "sm_90a" / "compute_90" / "sm_120" /
 * "9.0" / "12.0" → "9.0" / "12.0"; with `bareDigits`, also "90" / "120" (as in
 * "CUDA capability sm_120" after the prefix is cut, or TORCH_CUDA_ARCH_LIST);
 * null when the text is not a capability.
 */
export function parseComputeCapability(text: string, options: { bareDigits?: boolean } = {}): string | null {
  const trimmed = text.trim().toLowerCase();
  const sm = /^(?:sm|compute)_(\d{1,2})(\d)[af]?$/.exec(trimmed);
  if (sm) return `${Number(sm[1])}.${sm[2]}`;
  const dotted = /^(\d{1,2})\.(\d)$/.exec(trimmed);
  if (dotted) return `${Number(dotted[1])}.${dotted[2]}`;
  const bare = options.bareDigits ? /^(\d{1,2})(\d)$/.exec(trimmed) : null;
  if (bare) return `${Number(bare[1])}.${bare[2]}`;
  return null;
}

/** "9.0" → { major: 9, minor: 0 }; null when the text is not a capability. */
export function capabilityParts(text: string): { major: number; minor: number } | null {
  const cc = parseComputeCapability(text, { bareDigits: true });
  if (cc === null) return null;
  const [major = "0", minor = "0"] = cc.split(".");
  return { major: Number(major), minor: Number(minor) };
}

/** True for text that tries to be an arch name ("sm_x", "sm_9") but is malformed. */
export function isMalformedArch(text: string): boolean {
  const trimmed = text.trim().toLowerCase();
  return /^(sm|compute)_/.test(trimmed) && parseComputeCapability(trimmed) === null;
}

/** "9.0" → "sm_90". */
export function smName(computeCapability: string): string {
  return `sm_${computeCapability.replace(".", "")}`;
}
