/**
 * Small text-drawing helpers for the terminal view: horizontal bars, sparklines,
 * ANSI colour that switches off cleanly, and width-safe padding and truncation.
 */

const SPARK = "▁▂▃▄▅▆▇█";

export interface Paint {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
export const ANSI_PAINT: Paint = {
  green: wrap("32"),
  yellow: wrap("33"),
  red: wrap("31"),
  dim: wrap("2"),
  bold: wrap("1"),
};
const same = (text: string) => text;
export const NO_PAINT: Paint = { green: same, yellow: same, red: same, dim: same, bold: same };

/** Colour for a 0–100 level: green, yellow from 60, red from 90. */
export function levelPaint(paint: Paint, percent: number | null): (text: string) => string {
  if (percent === null) return paint.dim;
  if (percent >= 90) return paint.red;
  if (percent >= 60) return paint.yellow;
  return paint.green;
}

/** `[█████░░░░░]` with `width` cells inside the brackets; dots when unknown. */
export function bar(percent: number | null, width: number): string {
  if (percent === null) return `[${"·".repeat(width)}]`;
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

/** One character per value scaled to `max`; gaps for missing values. */
export function sparkline(values: readonly (number | null)[], max: number): string {
  return values
    .map((v) => {
      if (v === null) return " ";
      const level = Math.round((Math.max(0, Math.min(max, v)) / max) * (SPARK.length - 1));
      return SPARK[level] ?? " ";
    })
    .join("");
}

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
const ANSI_PART = new RegExp(`(${ESC}\\[[0-9;]*m)`);

export function visibleLength(text: string): number {
  return [...text.replace(ANSI, "")].length;
}

/** Cuts a line to `width` visible characters (ANSI codes kept, a reset appended). */
export function truncate(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  let out = "";
  let visible = 0;
  for (const part of text.split(ANSI_PART)) {
    if (part.startsWith("\u001b[")) {
      out += part;
      continue;
    }
    for (const ch of part) {
      if (visible >= width - 1) return `${out}…${text.includes("\u001b[") ? "\u001b[0m" : ""}`;
      out += ch;
      visible += 1;
    }
  }
  return out;
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleLength(text)));
}
