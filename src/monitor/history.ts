/**
 * GPU history in bounded memory: per GPU, three tiers of ring buffers, each a
 * Float32Array per metric plus one Float64Array of bucket times.
 *   tier 0: 1 s buckets × 600   = the last 10 minutes
 *   tier 1: 10 s buckets × 2160 = the last 6 hours
 *   tier 2: 60 s buckets × 1440 = the last 24 hours
 * Every sample is added to all tiers; a tier averages the samples that fall in one
 * bucket (missing values are skipped, an empty bucket stores NaN). Memory is fixed
 * at construction: 4200 buckets × (5 metrics × 4 B + 8 B) ≈ 118 KB per GPU.
 */
import type { GpuReading } from "../gpu/gpu-sample.js";

export const HISTORY_METRICS = [
  "utilization",
  "memoryUsedMiB",
  "powerW",
  "temperatureC",
  "smClockMHz",
] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

export const HISTORY_TIERS: readonly { stepMs: number; points: number }[] = [
  { stepMs: 1_000, points: 600 },
  { stepMs: 10_000, points: 2_160 },
  { stepMs: 60_000, points: 1_440 },
];

export interface Series {
  stepMs: number;
  times: number[];
  /** null where no sample fell in the bucket. */
  values: (number | null)[];
}

class TierRing {
  readonly times: Float64Array;
  readonly values: Float32Array[];
  private head = 0;
  private size = 0;
  private bucket = Number.NaN;
  private readonly sums = new Float64Array(HISTORY_METRICS.length);
  private readonly counts = new Uint32Array(HISTORY_METRICS.length);

  constructor(
    readonly stepMs: number,
    readonly capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    this.values = HISTORY_METRICS.map(() => new Float32Array(capacity));
  }

  add(time: number, sample: Float64Array): void {
    const bucket = Math.floor(time / this.stepMs);
    if (bucket !== this.bucket) {
      this.commit();
      this.bucket = bucket;
    }
    for (let m = 0; m < sample.length; m += 1) {
      const v = sample[m] ?? Number.NaN;
      if (Number.isNaN(v)) continue;
      this.sums[m] = (this.sums[m] ?? 0) + v;
      this.counts[m] = (this.counts[m] ?? 0) + 1;
    }
  }

  private commit(): void {
    if (Number.isNaN(this.bucket)) return;
    const at = this.head;
    this.times[at] = this.bucket * this.stepMs;
    this.values.forEach((column, m) => {
      const count = this.counts[m] ?? 0;
      column[at] = count === 0 ? Number.NaN : (this.sums[m] ?? 0) / count;
    });
    this.sums.fill(0);
    this.counts.fill(0);
    this.head = (this.head + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Oldest first, with the open bucket (a partial average) as the last point. */
  read(metric: number, sinceMs: number): Series {
    const times: number[] = [];
    const values: (number | null)[] = [];
    const column = this.values[metric] as Float32Array;
    for (let i = 0; i < this.size; i += 1) {
      const at = (this.head - this.size + i + this.capacity) % this.capacity;
      const t = this.times[at] ?? 0;
      if (t <= sinceMs) continue;
      const v = column[at] ?? Number.NaN;
      times.push(t);
      values.push(Number.isNaN(v) ? null : v);
    }
    if (!Number.isNaN(this.bucket) && this.bucket * this.stepMs > sinceMs) {
      const count = this.counts[metric] ?? 0;
      times.push(this.bucket * this.stepMs);
      values.push(count === 0 ? null : (this.sums[metric] ?? 0) / count);
    }
    return { stepMs: this.stepMs, times, values };
  }

  bytes(): number {
    return this.times.byteLength + this.values.reduce((n, v) => n + v.byteLength, 0);
  }
}

/** History for every GPU seen, keyed by GPU UUID; at most `maxGpus` GPUs are kept. */
export class GpuHistory {
  private readonly gpus = new Map<string, TierRing[]>();
  private readonly sample = new Float64Array(HISTORY_METRICS.length);

  constructor(private readonly maxGpus = 64) {}

  add(time: number, readings: readonly GpuReading[]): void {
    for (const reading of readings) {
      let tiers = this.gpus.get(reading.uuid);
      if (!tiers) {
        if (this.gpus.size >= this.maxGpus) continue;
        tiers = HISTORY_TIERS.map((t) => new TierRing(t.stepMs, t.points));
        this.gpus.set(reading.uuid, tiers);
      }
      HISTORY_METRICS.forEach((metric, m) => {
        this.sample[m] = reading[metric] ?? Number.NaN;
      });
      for (const tier of tiers) tier.add(time, this.sample);
    }
  }

  /** The finest tier that covers `rangeMs` back from `now`. */
  series(uuid: string, metric: HistoryMetric, rangeMs: number, now: number): Series {
    const tiers = this.gpus.get(uuid);
    const tierIndex = HISTORY_TIERS.findIndex((t) => t.stepMs * t.points >= rangeMs);
    const tier = tiers?.[tierIndex === -1 ? HISTORY_TIERS.length - 1 : tierIndex];
    const stepMs = HISTORY_TIERS[tierIndex === -1 ? HISTORY_TIERS.length - 1 : tierIndex]?.stepMs ?? 1000;
    if (!tier) return { stepMs, times: [], values: [] };
    return tier.read(HISTORY_METRICS.indexOf(metric), now - rangeMs);
  }

  /** Bytes held by the typed arrays (the bounded part of the store). */
  bytes(): number {
    let total = 0;
    for (const tiers of this.gpus.values()) for (const tier of tiers) total += tier.bytes();
    return total;
  }
}
