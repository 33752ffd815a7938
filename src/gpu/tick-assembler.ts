/**
 * Groups the rows that `nvidia-smi --query-gpu … -lms N` streams into ticks: one
 * row per GPU per tick, in index order. A tick is complete when every GPU from
 * `-L` has reported, or when an index comes round again (a GPU dropped out).
 * Pure apart from the callback; partial lines wait for their newline.
 */
import type { GpuReading } from "./gpu-sample.js";
import { parseGpuRow } from "./parse-gpu-csv.js";
import type { FieldSet } from "./query-fields.js";

export class TickAssembler {
  private buffer = "";
  private rows: GpuReading[] = [];

  constructor(
    private readonly fields: FieldSet,
    private readonly expected: number,
    private readonly onTick: (rows: GpuReading[]) => void,
  ) {}

  /** Feeds a chunk of stdout; returns lines that were not GPU rows (messages). */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const lines = this.buffer.split("\n");
    this.buffer = lines.pop() ?? "";
    const other: string[] = [];
    for (const line of lines) {
      if (line.trim() === "") continue;
      const row = parseGpuRow(line, this.fields);
      if (!row) {
        other.push(line);
        continue;
      }
      if (this.rows.some((r) => r.index >= row.index)) this.flush();
      this.rows.push(row);
      if (this.expected > 0 && this.rows.length >= this.expected) this.flush();
    }
    return other;
  }

  flush(): void {
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    this.onTick(rows);
  }
}
