/**
 * SVG charts drawn from the history series: the detailed line chart (area and
 * line per run of known values, gaps where nvidia-smi gave nothing) and the
 * overview's sparkline. Only `points` strings are computed here; the caller
 * owns the elements, so a tick updates attributes instead of rebuilding.
 */
import { svg } from "./dom.js";

export type Series = Record<string, (number | null)[]>;

export interface ChartBox {
  width: number;
  height: number;
  pad: number;
}

/** Polyline point lists, one per run of known values, scaled into `box`. */
export function chartRuns(
  times: readonly number[],
  values: readonly (number | null)[],
  from: number,
  to: number,
  max: number,
  box: ChartBox,
): string[] {
  const span = Math.max(to - from, 1000);
  const runs: string[] = [];
  let run: string[] = [];
  const innerW = box.width - 2 * box.pad;
  const innerH = box.height - 2 * box.pad;
  for (let i = 0; i < times.length; i += 1) {
    const v = values[i];
    const t = times[i] ?? from;
    if (v === null || v === undefined || t < from) {
      if (run.length) runs.push(closeRun(run));
      run = [];
      continue;
    }
    const x = box.pad + ((t - from) / span) * innerW;
    const y = box.height - box.pad - Math.max(0, Math.min(1, v / (max || 1))) * innerH;
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  if (run.length) runs.push(closeRun(run));
  return runs;
}

function closeRun(run: string[]): string {
  return (run.length === 1 ? [run[0], run[0]] : run).join(" ");
}

/** The filled area under one run: the run plus its two feet on the baseline. */
export function areaPoints(run: string, box: ChartBox): string {
  const points = run.split(" ");
  const first = points[0]?.split(",")[0] ?? "0";
  const last = points[points.length - 1]?.split(",")[0] ?? "0";
  const base = box.height - box.pad;
  return `${first},${base} ${run} ${last},${base}`;
}

/** Replaces the content of `group` with the runs as area + line. */
export function drawRuns(
  group: SVGGElement,
  runs: string[],
  colour: string,
  box: ChartBox,
  stroke = 2,
): void {
  group.textContent = "";
  for (const run of runs) {
    group.appendChild(
      svg("polygon", { points: areaPoints(run, box), fill: colour, "fill-opacity": 0.15, stroke: "none" }),
    );
    group.appendChild(
      svg("polyline", { points: run, fill: "none", stroke: colour, "stroke-width": stroke, class: "line" }),
    );
  }
}
