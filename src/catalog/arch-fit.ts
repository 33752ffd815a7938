/**
 * Does a wheel carry code for a GPU? CUDA binary compatibility: a cubin for
 * sm_X.Z runs on compute capability X.Y when Z ≤ Y (same major only; so Ada 8.9
 * runs sm_86 and B300 10.3 runs sm_100, but RTX 50xx 12.0 cannot run sm_100).
 * Arch-specific cubins (sm_90a) run only on exactly that capability. PTX
 * compute_A.B can be JIT-compiled for any capability ≥ A.B (slow first start);
 * arch-specific PTX (compute_90a) only for exactly 9.0, family-specific PTX
 * (compute_100f) only within its major (10.x); neither is forward compatible.
 */
import { capabilityParts } from "./gpu-name.js";

export type ArchFit = { kind: "sass"; arch: string } | { kind: "ptx"; arch: string } | { kind: "none" };

interface ArchCode {
  major: number;
  minor: number;
  suffix: string;
}

const ARCH_PATTERN = { sm: /^sm_(\d{1,2})(\d)([af]?)$/, compute: /^compute_(\d{1,2})(\d)([af]?)$/ };

function parseArch(prefix: "sm" | "compute", arch: string): ArchCode | null {
  const match = ARCH_PATTERN[prefix].exec(arch);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2]), suffix: match[3] ?? "" };
}

function parseCapability(cc: string): { major: number; minor: number } {
  return capabilityParts(cc) ?? { major: 0, minor: 0 };
}

/**
 * Can PTX `compute_XY[a|f]` be JIT-compiled for this GPU? Plain PTX: any capability
 * ≥ X.Y. Family-specific (`f`, e.g. compute_100f): only the same major at minor ≥ Y.
 * Arch-specific (`a`, e.g. compute_90a): only exactly X.Y.
 */
function ptxServes(ptx: ArchCode, gpu: { major: number; minor: number }): boolean {
  if (ptx.suffix === "a") return ptx.major === gpu.major && ptx.minor === gpu.minor;
  if (ptx.suffix === "f") return ptx.major === gpu.major && ptx.minor <= gpu.minor;
  return ptx.major * 10 + ptx.minor <= gpu.major * 10 + gpu.minor;
}

/** How `archList` serves compute capability `cc` ("8.9"): SASS, PTX JIT, or not at all. */
export function archFit(archList: readonly string[], cc: string): ArchFit {
  const gpu = parseCapability(cc);
  let sass: { arch: string; minor: number } | undefined;
  let ptx: { arch: string; value: number } | undefined;
  for (const arch of archList) {
    const code = parseArch("sm", arch);
    if (code && code.major === gpu.major) {
      const fits = code.suffix === "a" ? code.minor === gpu.minor : code.minor <= gpu.minor;
      if (fits && (!sass || code.minor > sass.minor)) sass = { arch, minor: code.minor };
      continue;
    }
    const virtual = parseArch("compute", arch);
    if (!virtual || !ptxServes(virtual, gpu)) continue;
    const value = virtual.major * 10 + virtual.minor;
    if (!ptx || value > ptx.value) ptx = { arch, value };
  }
  if (sass) return { kind: "sass", arch: sass.arch };
  if (ptx) return { kind: "ptx", arch: ptx.arch };
  return { kind: "none" };
}
