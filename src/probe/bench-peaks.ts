/**
 * Puts each bench figure next to the GPU's datasheet peak from the catalog
 * (matmul TFLOPS per precision, memory bandwidth) and the fraction reached, and
 * summarises the nvidia-smi samples taken during the run (clocks, power,
 * throttle reasons). Pure: the probe document in, the annotated result out.
 */
import { lookupGpu } from "../catalog/gpus.js";
import type { BenchProbe, BenchResult } from "./probe-schemas.js";

export interface AnnotatedResult extends BenchResult {
  peak: number | null;
  fraction: number | null;
}

export interface BenchSummary {
  ok: boolean;
  device: "cpu" | "cuda";
  cpuSized: boolean;
  torch: string | null;
  gpu: { name: string; catalog: string | null; sourceStatus: string | null } | null;
  results: AnnotatedResult[];
  selfcheck: BenchProbe["selfcheck"] | null;
  telemetry: {
    sampled: boolean;
    samples: number;
    maxSmClockMHz: number | null;
    maxPowerW: number | null;
    throttleReasons: string[];
  };
  quick: boolean;
}

type Sample = Record<string, unknown>;

/** nvmlClocksEventReasons bits (nvml.h; nvidia-smi prints the active mask as hex). */
const THROTTLE_BITS: ReadonlyArray<[number, string]> = [
  [0x1, "gpu idle"],
  [0x2, "applications clocks setting"],
  [0x4, "sw power cap"],
  [0x8, "hw slowdown"],
  [0x10, "sync boost"],
  [0x20, "sw thermal slowdown"],
  [0x40, "hw thermal slowdown"],
  [0x80, "hw power brake slowdown"],
  [0x100, "display clock setting"],
];

/** "0x0000000000000044" → ["sw power cap", "hw thermal slowdown"]; unknown text is kept as is. */
export function decodeThrottle(mask: string): string[] {
  if (!/^0x[0-9a-f]+$/i.test(mask)) return mask && mask !== "[N/A]" && mask !== "Not Active" ? [mask] : [];
  const value = Number.parseInt(mask, 16);
  return THROTTLE_BITS.filter(([bit]) => (value & bit) !== 0).map(([, name]) => name);
}

function numbers(samples: Sample[], key: string): number[] {
  return samples.map((s) => s[key]).filter((v): v is number => typeof v === "number");
}

export function summariseBench(doc: BenchProbe): BenchSummary {
  const first = doc.gpus?.[0];
  const info = first ? lookupGpu(first.name) : undefined;
  const results = (doc.results ?? []).map((r): AnnotatedResult => {
    let peak: number | null = null;
    if (info && r.name === "matmul" && r.precision) {
      peak = info.peakTflops[r.precision as keyof typeof info.peakTflops] ?? null;
    } else if (info && r.name === "memory_bandwidth") {
      peak = info.bandwidthGBs;
    }
    const fraction = peak && r.value !== null ? r.value / peak : null;
    return { ...r, peak, fraction };
  });
  const samples = (doc.telemetry?.samples ?? []) as Sample[];
  const clocks = numbers(samples, "smClockMHz");
  const power = numbers(samples, "powerW");
  const throttle = [...new Set(samples.flatMap((s) => decodeThrottle(String(s.throttle ?? ""))))].filter(
    (reason) => reason !== "gpu idle",
  );
  return {
    ok: doc.ok,
    device: doc.device ?? "cpu",
    cpuSized: doc.cpuSized ?? true,
    torch: doc.torch ?? null,
    gpu: first
      ? { name: first.name, catalog: info?.name ?? null, sourceStatus: info?.source.status ?? null }
      : null,
    results,
    selfcheck: doc.selfcheck ?? null,
    telemetry: {
      sampled: doc.telemetry?.sampled ?? false,
      samples: samples.length,
      maxSmClockMHz: clocks.length ? Math.max(...clocks) : null,
      maxPowerW: power.length ? Math.max(...power) : null,
      throttleReasons: throttle,
    },
    quick: doc.quick,
  };
}

export function resultKey(r: BenchResult): string {
  return [r.name, r.precision, r.size].filter((p) => p !== undefined).join(" ");
}
