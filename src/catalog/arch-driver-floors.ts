/**
 * Driver floors by GPU architecture: a GPU needs a driver branch that knows it,
 * whatever the CUDA minor-version floor says. Blackwell (sm_100, sm_103, sm_120,
 * sm_121) first shipped with the R570 branch. A minimal data row until the
 * catalog carries these with primary sources for every architecture.
 */
import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";

export interface ArchDriverFloor {
  /** Compute capabilities ("10.0") that need this driver or newer. */
  capabilities: readonly string[];
  architecture: string;
  driver: string;
  source: Provenance;
}

export const ARCH_DRIVER_FLOORS: readonly ArchDriverFloor[] = [
  {
    capabilities: ["10.0", "10.3", "11.0", "12.0", "12.1"],
    architecture: "Blackwell",
    driver: "570.86",
    source: {
      status: "secondary",
      ref: "compat-facts G: Blackwell needs a driver branch that knows it, R570 or newer (570.86 is the branch's first Linux release)",
      date: "2026-12",
      file: COMPAT_FACTS_FILE,
    },
  },
];

/** The highest architecture floor among these compute capabilities, or null when none has one. */
export function archDriverFloor(capabilities: readonly (string | null)[]): ArchDriverFloor | null {
  const floors = ARCH_DRIVER_FLOORS.filter((f) =>
    capabilities.some((c) => c !== null && f.capabilities.includes(c)),
  );
  return floors.sort((a, b) => (a.driver < b.driver ? 1 : -1))[0] ?? null;
}
