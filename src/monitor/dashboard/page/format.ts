/**
 * Numbers as the page prints them: three significant figures with their unit
 * (`0.00442 TFLOPS`, `59.8 GiB`, `512 W`), `n/a` for a value nvidia-smi did not
 * give. Pure, shared by every part of the page and tested in Node.
 */

export const NOT_AVAILABLE = "n/a";

/** `v` to three significant figures, without exponent notation or trailing zeros. */
export function sig3(v: number): string {
  if (!Number.isFinite(v)) return NOT_AVAILABLE;
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 1000) return String(Math.round(Number(v.toPrecision(3))));
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return v
    .toFixed(Math.min(digits, 20))
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "");
}

/** A value with its unit (`"61 °C"`), or n/a. */
export function withUnit(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NOT_AVAILABLE;
  return unit ? `${sig3(v)} ${unit}` : sig3(v);
}

export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? NOT_AVAILABLE : `${sig3(v)}%`;
}

/** MiB as GiB: `59.8 GiB`. */
export function gib(mib: number | null | undefined): string {
  return mib === null || mib === undefined ? NOT_AVAILABLE : withUnit(mib / 1024, "GiB");
}

/** `59.8 / 79.6 GiB`, with the unit once. */
export function usedOfTotal(used: number | null, total: number | null, unit: string, scale = 1): string {
  const a = used === null ? NOT_AVAILABLE : sig3(used * scale);
  const b = total === null ? NOT_AVAILABLE : sig3(total * scale);
  return `${a} / ${b} ${unit}`;
}

/** A fraction of 1 as a percentage with 3 significant figures: 0.6189 → "61.9%". */
export function fractionText(f: number | null): string {
  return f === null ? NOT_AVAILABLE : `${sig3(f * 100)}%`;
}

/** The GPU name without the vendor prefix: "NVIDIA H100 80GB HBM3" → "H100 80GB HBM3". */
export function shortGpuName(name: string): string {
  return name.replace(/^NVIDIA\s+/i, "").replace(/^Tesla\s+/i, "");
}

/** Used of total memory (MiB in): `59.8 / 79.6 GiB`, or `512 MiB / 79.6 GiB` under 1 GiB used. */
export function memoryText(usedMiB: number | null, totalMiB: number | null): string {
  if (usedMiB !== null && usedMiB < 1024) {
    return `${sig3(usedMiB)} MiB / ${totalMiB === null ? NOT_AVAILABLE : withUnit(totalMiB / 1024, "GiB")}`;
  }
  return usedOfTotal(usedMiB, totalMiB, "GiB", 1 / 1024);
}

/** An ISO time as local `YYYY-MM-DD HH:MM`; other text is kept as it is. */
export function timeText(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}
