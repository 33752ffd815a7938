/**
 * The latest `doctor` and `bench` results for the dashboard, read from
 * latestResultPath(env, kind). Their shape belongs to other commands, so this
 * reads them defensively (zod, unknown values) and reduces them to rows:
 * label, status, detail (doctor: {savedAt, findings: [{code, severity, message}]};
 * bench: {results: [{name, precision, value, unit, status, fraction}]}). A missing or unreadable file gives null.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { latestResultPath } from "../../fs/state-dir.js";

export interface ResultRow {
  label: string;
  status: string;
  detail: string;
}

export interface ResultSummary {
  kind: "doctor" | "bench";
  file: string;
  time: string | null;
  rows: ResultRow[];
}

const docSchema = z.record(z.string(), z.unknown());
const ARRAYS = ["findings", "checks", "results", "items", "benchmarks"];
const LABEL = ["title", "name", "id", "check", "metric", "code"];
const STATUS = ["severity", "status", "level", "result", "ok"];
const DETAIL = ["message", "summary", "detail", "reason", "value", "fix"];

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value).slice(0, 200);
}

function pick(item: Record<string, unknown>, keys: readonly string[]): string {
  for (const key of keys) if (item[key] !== undefined) return text(item[key]);
  return "";
}

export function summarizeResult(kind: "doctor" | "bench", file: string, raw: unknown): ResultSummary | null {
  const parsed = docSchema.safeParse(raw);
  if (!parsed.success) return null;
  const doc = parsed.data;
  const list = ARRAYS.map((k) => doc[k]).find(Array.isArray) ?? [];
  const rows: ResultRow[] = list.slice(0, 50).flatMap((entry) => {
    const item = docSchema.safeParse(entry);
    if (!item.success) return [];
    const it = item.data;
    const precision = typeof it.precision === "string" ? ` ${it.precision}` : "";
    let detail = pick(it, DETAIL);
    // bench rows: {name, unit, value, fraction (of the datasheet peak)}
    if (typeof it.unit === "string" && typeof it.value === "number") {
      detail = `${it.value} ${it.unit}`;
      if (typeof it.fraction === "number") detail += ` (${Math.round(it.fraction * 100)}% of peak)`;
    }
    return [{ label: `${pick(it, LABEL)}${precision}`, status: pick(it, STATUS), detail }];
  });
  const time = pick(doc, ["savedAt", "time", "finishedAt", "createdAt", "date", "timestamp"]) || null;
  return { kind, file, time, rows };
}

export async function readLatestResult(
  env: NodeJS.ProcessEnv,
  kind: "doctor" | "bench",
): Promise<ResultSummary | null> {
  const file = latestResultPath(env, kind);
  try {
    return summarizeResult(kind, file, JSON.parse(await readFile(file, "utf8")));
  } catch {
    return null;
  }
}
