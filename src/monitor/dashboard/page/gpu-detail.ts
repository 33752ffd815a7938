/**
 * One GPU's detailed card, opened from its overview row: the facts line (clocks,
 * P-state, UUID, MIG mode) and four history charts (utilisation, memory, power,
 * temperature) for the chosen range, with the range buttons. Built once per
 * opening; a tick only moves the lines and rewrites the captions.
 */
import type { GpuView, ProcessView } from "../dashboard-payload.js";
import { type ChartBox, chartRuns, drawRuns, type Series } from "./charts.js";
import { el, setAttr, setText, svg } from "./dom.js";
import { gib, percent, withUnit } from "./format.js";
import { RANGES } from "./page-state.js";

interface Metric {
  key: "utilization" | "memoryUsedMiB" | "powerW" | "temperatureC";
  label: string;
  colour: string;
  scale: number;
  max: (g: GpuView) => number;
  text: (g: GpuView) => string;
  axis: (max: number) => string;
}

export const DETAIL_METRICS: readonly Metric[] = [
  {
    key: "utilization",
    label: "Utilisation",
    colour: "#16a34a",
    scale: 1,
    max: () => 100,
    text: (g) => percent(g.utilization),
    axis: () => "100%",
  },
  {
    key: "memoryUsedMiB",
    label: "Memory",
    colour: "#2563eb",
    scale: 1 / 1024,
    max: (g) => (g.memoryTotalMiB ?? 1024) / 1024,
    text: (g) => gib(g.memoryUsedMiB),
    axis: (max) => withUnit(max, "GiB"),
  },
  {
    key: "powerW",
    label: "Power",
    colour: "#d97706",
    scale: 1,
    max: (g) => g.powerLimitW ?? 100,
    text: (g) => withUnit(g.powerW, "W"),
    axis: (max) => withUnit(max, "W"),
  },
  {
    key: "temperatureC",
    label: "Temperature",
    colour: "#dc2626",
    scale: 1,
    max: () => 100,
    text: (g) => withUnit(g.temperatureC, "°C"),
    axis: () => "100 °C",
  },
];

const BOX: ChartBox = { width: 320, height: 96, pad: 4 };

interface ChartRefs {
  value: HTMLElement;
  runs: SVGGElement;
  axis: SVGTitleElement;
}

export class GpuDetail {
  readonly root = el("div", null, "detail");
  private readonly facts = el("p", null, "facts");
  private readonly charts: ChartRefs[] = [];
  private readonly buttons: HTMLButtonElement[] = [];
  /** What the charts show now: a tick inside the same bucket of a long range leaves them as they are. */
  private drawn = "";

  constructor(onRange: (ms: number) => void) {
    this.root.appendChild(this.facts);
    const ranges = el("div", null, "ranges");
    ranges.setAttribute("aria-label", "history range");
    for (const r of RANGES) {
      const b = el("button", r.label);
      b.type = "button";
      b.dataset.ms = String(r.ms);
      b.addEventListener("click", (e) => {
        e.stopPropagation();
        onRange(r.ms);
      });
      this.buttons.push(b);
      ranges.appendChild(b);
    }
    this.root.appendChild(ranges);
    const grid = el("div", null, "charts");
    for (const m of DETAIL_METRICS) {
      const fig = el("figure", null, "chart");
      const cap = el("figcaption");
      cap.appendChild(el("span", m.label));
      const value = cap.appendChild(el("strong"));
      fig.appendChild(cap);
      const root = svg("svg", {
        viewBox: `0 0 ${BOX.width} ${BOX.height}`,
        preserveAspectRatio: "none",
        role: "img",
        "aria-label": `${m.label} history`,
      });
      root.appendChild(svg("rect", { x: 0, y: 0, width: BOX.width, height: BOX.height, class: "plot" }));
      for (const f of [0.25, 0.5, 0.75]) {
        root.appendChild(
          svg("line", { x1: 0, x2: BOX.width, y1: BOX.height * f, y2: BOX.height * f, class: "grid" }),
        );
      }
      const runs = root.appendChild(svg("g", {}));
      const axis = root.appendChild(svg("title", {}));
      fig.appendChild(root);
      grid.appendChild(fig);
      this.charts.push({ value, runs, axis });
    }
    this.root.appendChild(grid);
  }

  update(
    gpu: GpuView,
    series: Series | undefined,
    processes: ProcessView[],
    now: number,
    rangeMs: number,
  ): void {
    const mine = processes.filter(
      (p) => p.gpuUuid === gpu.uuid || gpu.migDevices.some((m) => m.uuid === p.gpuUuid),
    );
    setText(
      this.facts,
      [
        `SM ${withUnit(gpu.smClockMHz, "MHz")}`,
        `memory clock ${withUnit(gpu.memClockMHz, "MHz")}`,
        `memory utilisation ${percent(gpu.memoryUtilization)}`,
        gpu.pstate ?? "P-state n/a",
        gpu.migMode ? `MIG ${gpu.migMode}` : "",
        `${mine.length} process${mine.length === 1 ? "" : "es"}`,
        gpu.uuid,
      ]
        .filter(Boolean)
        .join(" · "),
    );
    for (const b of this.buttons) setAttr(b, "aria-pressed", String(Number(b.dataset.ms) === rangeMs));
    const times = (series?.times ?? []) as number[];
    const to = times[times.length - 1] ?? now;
    const from = Math.max(to - rangeMs, times[0] ?? to);
    const key = `${rangeMs}:${times.length}:${times[0]}:${to}:${gpu.memoryTotalMiB}:${gpu.powerLimitW}`;
    const redraw = key !== this.drawn;
    this.drawn = key;
    DETAIL_METRICS.forEach((m, i) => {
      const refs = this.charts[i];
      if (!refs) return;
      setText(refs.value, m.text(gpu));
      if (!redraw) return;
      const max = m.max(gpu);
      setText(refs.axis, `${m.label}, top of the chart: ${m.axis(max)}`);
      const values = (series?.[m.key] ?? []).map((v) => (v === null ? null : v * m.scale));
      const known = values.some((v) => v !== null);
      refs.runs.dataset.empty = String(!known);
      drawRuns(refs.runs, known ? chartRuns(times, values, from, to, max, BOX) : [], m.colour, BOX, 2.5);
    });
  }
}
