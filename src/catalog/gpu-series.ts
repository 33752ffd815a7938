/**
 * Compute capability by product series, for GPU names the datasheet catalog
 * (gpus.ts) has no row for: "GeForce RTX 3080" → 8.6, "GTX 1070" → 6.1. This is
 * what the resolver needs to check a wheel's arch list; it carries no datasheet
 * figures, so monitor and bench keep using lookupGpu alone. The mapping follows
 * NVIDIA's "CUDA GPUs" page, which was not retrieved (compat-facts D), so every
 * answer is `unverified`. Names that are ambiguous across architectures ("Quadro
 * RTX 6000" is Turing, "RTX 6000 Ada" is Ada) match only with their qualifier.
 */
import { gpuNameTokens } from "./gpu-name.js";
import { COMPAT_FACTS_FILE, type Provenance } from "./provenance.js";

export interface SeriesCapability {
  /** "GeForce RTX 30 series" */
  series: string;
  computeCapability: string;
  source: Provenance;
}

export const SERIES_SOURCE: Provenance = {
  status: "unverified",
  ref: "NVIDIA CUDA GPUs page (developer.nvidia.com/cuda-gpus), from memory; Quadro RTX and Thor: compat-facts F",
  date: "2026-11",
  file: COMPAT_FACTS_FILE,
  note: "capability inferred from the product series; no datasheet figures",
};

interface SeriesRule {
  series: string;
  cc: string;
  /**
   * Matches the name's tokens (vendor words removed, "rtx3080" split to "rtx", "3080");
   * `lower` is the whole name in lower case, for rules that need a vendor word.
   */
  test: (tokens: readonly string[], lower: string) => boolean;
}

const has = (tokens: readonly string[], word: string) => tokens.includes(word);
const numberAfter = (tokens: readonly string[], word: string, pattern: RegExp): boolean => {
  const index = tokens.indexOf(word);
  return index >= 0 && pattern.test(tokens[index + 1] ?? "");
};
const anyOf =
  (...words: string[]) =>
  (tokens: readonly string[]) =>
    words.some((word) => has(tokens, word));

/** First match wins; qualified names (Ada, Blackwell) before bare model numbers. */
const RULES: readonly SeriesRule[] = [
  { series: "RTX Ada Generation", cc: "8.9", test: (t) => has(t, "rtx") && has(t, "ada") },
  { series: "RTX PRO Blackwell", cc: "12.0", test: (t) => has(t, "rtx") && has(t, "blackwell") },
  // compat-facts F: Quadro RTX 4000–8000 are Turing; a bare "RTX 6000" stays ambiguous (Ada has one too).
  {
    series: "Quadro RTX (Turing)",
    cc: "7.5",
    test: (t, lower) => /\bquadro\b/.test(lower) && numberAfter(t, "rtx", /^[4568]000$/),
  },
  { series: "GeForce RTX 50 series", cc: "12.0", test: (t) => numberAfter(t, "rtx", /^50\d0$/) },
  { series: "GeForce RTX 40 series", cc: "8.9", test: (t) => numberAfter(t, "rtx", /^40\d0$/) },
  { series: "GeForce RTX 30 series", cc: "8.6", test: (t) => numberAfter(t, "rtx", /^30\d0$/) },
  { series: "GeForce RTX 20 series", cc: "7.5", test: (t) => numberAfter(t, "rtx", /^20\d0$/) },
  { series: "RTX A series (Ampere)", cc: "8.6", test: (t) => numberAfter(t, "rtx", /^a\d{4}$/) },
  { series: "GeForce GTX 16 series", cc: "7.5", test: (t) => numberAfter(t, "gtx", /^16\d0$/) },
  { series: "GeForce GTX 10 series", cc: "6.1", test: (t) => numberAfter(t, "gtx", /^10\d0$/) },
  { series: "GeForce GTX 900 series", cc: "5.2", test: (t) => numberAfter(t, "gtx", /^9\d0$/) },
  { series: "TITAN V", cc: "7.0", test: (t) => has(t, "titan") && has(t, "v") },
  { series: "TITAN RTX", cc: "7.5", test: (t) => has(t, "titan") && has(t, "rtx") },
  { series: "TITAN Xp", cc: "6.1", test: (t) => has(t, "titan") && has(t, "xp") },
  { series: "Blackwell Ultra (B300)", cc: "10.3", test: anyOf("b300", "gb300") },
  { series: "Blackwell (B100)", cc: "10.0", test: anyOf("b100") },
  { series: "GB10 (DGX Spark)", cc: "12.1", test: anyOf("gb10") },
  // compat-facts F: Thor is 11.0 and aarch64 only (sm_110 in aarch64 cu130 builds).
  { series: "Thor (Jetson AGX Thor, DRIVE Thor)", cc: "11.0", test: anyOf("thor") },
  { series: "Hopper", cc: "9.0", test: anyOf("h800", "h20", "gh200") },
  { series: "Ada data center", cc: "8.9", test: anyOf("l40", "l20") },
  { series: "Ampere data center (GA100)", cc: "8.0", test: anyOf("a30", "a800") },
  { series: "Ampere data center (GA10x)", cc: "8.6", test: anyOf("a2", "a16") },
  { series: "Tesla Pascal (GP10x)", cc: "6.1", test: anyOf("p40", "p4") },
  { series: "Tesla Maxwell", cc: "5.2", test: anyOf("m40", "m60") },
];

/** The series capability for a GPU name, or undefined when no rule matches. */
export function seriesCapability(name: string): SeriesCapability | undefined {
  const tokens = gpuNameTokens(name);
  const lower = name.toLowerCase();
  const rule = RULES.find((r) => r.test(tokens, lower));
  return rule ? { series: rule.series, computeCapability: rule.cc, source: SERIES_SOURCE } : undefined;
}
