/**
 * The latest `doctor` and `bench` results for the dashboard, read from
 * latestResultPath(env, kind) and reduced to what the page draws: bench figures
 * as bars against the datasheet peak (bench's saved summary: results with
 * value, unit, peak, fraction) and doctor findings with their fixes. Their
 * shapes belong to the probe commands, so both are read defensively (zod,
 * loose objects); a missing or unreadable file gives null. The time is the
 * document's own (`savedAt`) or else the file's modification time.
 */
import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import { latestResultPath } from "../../fs/state-dir.js";
import type { BenchBar, BenchView, DoctorView } from "./dashboard-payload.js";

const timeKeys = ["savedAt", "time", "finishedAt", "createdAt", "date", "timestamp"] as const;

const benchDocSchema = z.looseObject({
  gpu: z.looseObject({ name: z.string(), catalog: z.string().nullable().optional() }).nullable().optional(),
  results: z.array(z.unknown()),
});

const benchRowSchema = z.looseObject({
  name: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  precision: z.string().optional(),
  size: z.number().optional(),
  peak: z.number().nullable().optional(),
  fraction: z.number().nullable().optional(),
});

const doctorDocSchema = z.looseObject({ findings: z.array(z.unknown()) });

const findingSchema = z.looseObject({
  code: z.string().optional(),
  title: z.string().optional(),
  severity: z.string().optional(),
  message: z.string(),
  fix: z.array(z.string()).optional(),
  remedies: z.array(z.string()).optional(),
});

function docTime(raw: unknown): string | null {
  if (typeof raw !== "object" || raw === null) return null;
  const doc = raw as Record<string, unknown>;
  for (const key of timeKeys) if (typeof doc[key] === "string") return doc[key] as string;
  return null;
}

export function benchLabel(row: z.infer<typeof benchRowSchema>): string {
  return [row.name.replace(/_/g, " "), row.precision, row.size === undefined ? undefined : `n=${row.size}`]
    .filter(Boolean)
    .join(" ");
}

export function benchView(raw: unknown, time: string | null): BenchView | null {
  const doc = benchDocSchema.safeParse(raw);
  if (!doc.success) return null;
  const bars: BenchBar[] = doc.data.results.slice(0, 24).flatMap((entry) => {
    const row = benchRowSchema.safeParse(entry);
    if (!row.success || row.data.value === null) return [];
    const peak = row.data.peak ?? null;
    const fraction = row.data.fraction ?? (peak ? row.data.value / peak : null);
    return [{ label: benchLabel(row.data), value: row.data.value, unit: row.data.unit, peak, fraction }];
  });
  const gpu = doc.data.gpu ? (doc.data.gpu.catalog ?? doc.data.gpu.name) : null;
  return { time: docTime(raw) ?? time, gpu, bars };
}

export function doctorView(raw: unknown, time: string | null): DoctorView | null {
  const doc = doctorDocSchema.safeParse(raw);
  if (!doc.success) return null;
  const findings = doc.data.findings.slice(0, 50).flatMap((entry) => {
    const f = findingSchema.safeParse(entry);
    if (!f.success) return [];
    return [
      {
        code: f.data.code ?? f.data.title ?? "finding",
        severity: f.data.severity ?? "info",
        message: f.data.message,
        fix: f.data.fix ?? f.data.remedies ?? [],
      },
    ];
  });
  return { time: docTime(raw) ?? time, findings };
}

async function readLatest(env: NodeJS.ProcessEnv, kind: "doctor" | "bench") {
  const file = latestResultPath(env, kind);
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    return { raw: JSON.parse(text) as unknown, time: info.mtime.toISOString() };
  } catch {
    return null;
  }
}

export async function readLatestBench(env: NodeJS.ProcessEnv): Promise<BenchView | null> {
  const latest = await readLatest(env, "bench");
  return latest ? benchView(latest.raw, latest.time) : null;
}

export async function readLatestDoctor(env: NodeJS.ProcessEnv): Promise<DoctorView | null> {
  const latest = await readLatest(env, "doctor");
  return latest ? doctorView(latest.raw, latest.time) : null;
}
