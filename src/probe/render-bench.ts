/**
 * Text for bench results (each figure beside its datasheet peak and the
 * fraction) and for `bench --compare` (two saved runs side by side, with deltas).
 */
import { type AnnotatedResult, type BenchSummary, resultKey } from "./bench-peaks.js";

function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return "-";
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(digits);
}

function row(r: AnnotatedResult): string {
  const label = resultKey(r).padEnd(26);
  if (r.value === null) return `${label} skipped: ${r.reason ?? ""}`;
  const figure = `${fmt(r.value)} ${r.unit}`.padEnd(18);
  const peak =
    r.peak === null
      ? ""
      : `peak ${fmt(r.peak)} ${r.unit}, ${((r.fraction ?? 0) * 100).toFixed(1)}% of datasheet`;
  return `${label} ${figure} ${peak}`;
}

export function renderBench(s: BenchSummary): string {
  const head = s.cpuSized
    ? `bench on CPU (CPU-sized runs; no usable CUDA device), torch ${s.torch ?? "?"}`
    : `bench on ${s.gpu?.name ?? "GPU"} (catalog: ${s.gpu?.catalog ?? "unknown GPU, no datasheet peaks"}), torch ${s.torch ?? "?"}`;
  const lines = [head, "", ...s.results.map(row)];
  if (s.selfcheck) {
    lines.push(
      "",
      `harness check: ${s.selfcheck.op}: harness ${fmt(s.selfcheck.harnessMs)} ms vs hand-written loop ${fmt(s.selfcheck.handMs)} ms (${s.selfcheck.overheadPct >= 0 ? "+" : ""}${s.selfcheck.overheadPct.toFixed(1)}%)`,
    );
  }
  if (s.telemetry.sampled) {
    lines.push(
      `telemetry: ${s.telemetry.samples} samples, max SM clock ${fmt(s.telemetry.maxSmClockMHz)} MHz, max power ${fmt(s.telemetry.maxPowerW)} W, throttle: ${s.telemetry.throttleReasons.join(", ") || "none"}`,
    );
  }
  return lines.join("\n");
}

export interface CompareRow {
  key: string;
  unit: string;
  a: number | null;
  b: number | null;
  deltaPct: number | null;
}

export function compareBench(a: BenchSummary, b: BenchSummary): CompareRow[] {
  const byKey = new Map(b.results.map((r) => [resultKey(r), r]));
  const rows: CompareRow[] = [];
  for (const ra of a.results) {
    const rb = byKey.get(resultKey(ra));
    const va = ra.value;
    const vb = rb?.value ?? null;
    rows.push({
      key: resultKey(ra),
      unit: ra.unit,
      a: va,
      b: vb,
      deltaPct: va && vb !== null ? ((vb - va) / va) * 100 : null,
    });
    byKey.delete(resultKey(ra));
  }
  for (const [key, rb] of byKey) rows.push({ key, unit: rb.unit, a: null, b: rb.value, deltaPct: null });
  return rows;
}

export function renderCompare(rows: CompareRow[], labels: [string, string]): string {
  const lines = [
    `${"figure".padEnd(26)} ${labels[0].slice(-22).padStart(22)} ${labels[1].slice(-22).padStart(22)}   delta`,
  ];
  for (const r of rows) {
    if (r.a === null && r.b === null) continue;
    const delta = r.deltaPct === null ? "" : `${r.deltaPct >= 0 ? "+" : ""}${r.deltaPct.toFixed(1)}%`;
    lines.push(
      `${r.key.padEnd(26)} ${`${fmt(r.a)} ${r.unit}`.padStart(22)} ${`${fmt(r.b)} ${r.unit}`.padStart(22)}   ${delta}`,
    );
  }
  return lines.join("\n");
}
