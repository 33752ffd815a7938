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

/**
 * Polyline point lists, one per run of known values, scaled into `box`. Points
 * that fall into the same 2-unit column are averaged into one, so a 24 h series
 * (1,440 points) draws with at most `width / 2` points per chart.
 */
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
  let column = Number.NaN;
  let sum = 0;
  let count = 0;
  const flush = () => {
    if (count === 0) return;
    const x = Math.min(box.width - box.pad, box.pad + column * 2);
    const y = box.height - box.pad - Math.max(0, Math.min(1, sum / count / (max || 1))) * innerH;
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    sum = 0;
    count = 0;
  };
  for (let i = 0; i < times.length; i += 1) {
    const v = values[i];
    const t = times[i] ?? from;
    if (t < from) continue;
    if (v === null || v === undefined) {
      flush();
      if (run.length) runs.push(closeRun(run));
      run = [];
      column = Number.NaN;
      continue;
    }
    const at = Math.round((((t - from) / span) * innerW) / 2);
    if (at !== column) {
      flush();
      column = at;
    }
    sum += v;
    count += 1;
  }
  flush();
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

/** Draws the runs into `group` as area + line pairs, reusing the elements already there. */
export function drawRuns(
  group: SVGGElement,
  runs: string[],
  colour: string,
  box: ChartBox,
  stroke = 2,
): void {
  while (group.childNodes.length > runs.length * 2) group.lastChild?.remove();
  runs.forEach((run, i) => {
    let area = group.childNodes[i * 2] as SVGPolygonElement | undefined;
    let line = group.childNodes[i * 2 + 1] as SVGPolylineElement | undefined;
    if (!area || !line) {
      area = group.appendChild(svg("polygon", { fill: colour, "fill-opacity": 0.15, stroke: "none" }));
      line = group.appendChild(
        svg("polyline", { fill: "none", stroke: colour, "stroke-width": stroke, class: "line" }),
      );
    }
    area.setAttribute("points", areaPoints(run, box));
    line.setAttribute("points", run);
  });
}
