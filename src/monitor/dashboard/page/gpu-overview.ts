/**
 * The overview: one compact row per GPU (index, name, utilisation and memory
 * bars, power against its limit, temperature, throttle reason, a utilisation
 * sparkline), its MIG instances indented under it, and its detailed card when
 * opened (click or Enter). Rows are built once per set of GPUs and updated in
 * place on every tick; 12 GPUs or more switch to the denser layout.
 */
import type { GpuView, ProcessView, SnapshotView } from "../dashboard-payload.js";
import { chartRuns, type Series } from "./charts.js";
import { el, setAttr, setText, svg } from "./dom.js";
import { gib, memoryText, percent, shortGpuName, usedOfTotal, withUnit } from "./format.js";
import { GpuDetail } from "./gpu-detail.js";
import type { PageState } from "./page-state.js";

const SPARK = { width: 120, height: 26, pad: 2 };
export const DENSE_FROM = 12;

interface Row {
  uuid: string;
  root: HTMLElement;
  utilFill: HTMLElement;
  utilText: HTMLElement;
  memFill: HTMLElement;
  memText: HTMLElement;
  power: HTMLElement;
  temp: HTMLElement;
  throttle: HTMLElement;
  spark: SVGPathElement;
  sparkKey: string;
  migs: { uuid: string; text: HTMLElement }[];
  detailSlot: HTMLElement;
  detail: GpuDetail | null;
}

function bar(className: string): { box: HTMLElement; fill: HTMLElement; text: HTMLElement } {
  const box = el("span", null, `cell ${className}`);
  const track = box.appendChild(el("span", null, "bar"));
  const fill = track.appendChild(el("span", null, "fill"));
  const text = box.appendChild(el("span", null, "val"));
  return { box, fill, text };
}

/** The throttle reason shown in a row: slowdowns first, idle clocks are not news. */
export function throttleText(reasons: readonly string[]): string {
  const shown = reasons.filter((r) => r !== "gpu_idle");
  if (shown.length === 0) return "–";
  const slow = shown.find((r) => /slowdown|power|brake/.test(r)) ?? shown[0] ?? "";
  const more = shown.length > 1 ? ` +${shown.length - 1}` : "";
  return `${slow.replace(/_/g, " ")}${more}`;
}

/** A bar's fill in percent, touched only when it changes (a style write costs a recalculation). */
function setWidth(fill: HTMLElement, percent: number): void {
  const width = `${Math.round(percent)}%`;
  if (fill.style.width !== width) fill.style.width = width;
}

export class GpuOverview {
  private rows: Row[] = [];
  private key = "";

  constructor(
    private readonly root: HTMLElement,
    private readonly onToggle: (uuid: string) => void,
    private readonly onRange: (ms: number) => void,
  ) {}

  update(state: PageState): void {
    const snap = state.snapshot;
    if (!snap) return;
    if (snap.message) {
      this.showEmpty(snap.message);
      return;
    }
    const key = snap.gpus.map((g) => `${g.uuid}:${g.migDevices.map((m) => m.uuid).join(",")}`).join("|");
    if (key !== this.key) this.build(snap);
    snap.gpus.forEach((gpu, i) => {
      const row = this.rows[i];
      if (row) this.updateRow(row, gpu, state, snap);
    });
  }

  private showEmpty(message: string): void {
    this.key = "";
    this.rows = [];
    this.root.textContent = "";
    const empty = this.root.appendChild(el("div", null, "empty"));
    empty.appendChild(el("h3", message));
    empty.appendChild(
      el(
        "p",
        "nvidia-smi is not on PATH or cannot talk to the driver, so there is nothing to plot. Install the NVIDIA driver (or set TORCHSTACK_NVIDIA_SMI) and restart the dashboard. No data is invented.",
      ),
    );
  }

  private build(snap: SnapshotView): void {
    this.key = snap.gpus.map((g) => `${g.uuid}:${g.migDevices.map((m) => m.uuid).join(",")}`).join("|");
    this.root.textContent = "";
    this.root.classList.toggle("dense", snap.gpus.length >= DENSE_FROM);
    const head = this.root.appendChild(el("div", null, "gpu-row head"));
    head.setAttribute("aria-hidden", "true");
    for (const [text, cls] of [
      ["#", "idx"],
      ["GPU", "name"],
      ["util", "util"],
      ["memory", "mem"],
      ["power", "power"],
      ["temp", "temp"],
      ["throttle", "throttle"],
      ["10 min", "spark"],
    ] as const) {
      head.appendChild(el("span", text, `cell ${cls}`));
    }
    this.rows = snap.gpus.map((gpu) => this.buildRow(gpu));
  }

  private buildRow(gpu: GpuView): Row {
    const root = this.root.appendChild(el("div", null, "gpu-row"));
    root.dataset.gpu = String(gpu.index);
    root.tabIndex = 0;
    root.setAttribute("role", "button");
    root.setAttribute("aria-expanded", "false");
    root.title = `${gpu.name}\n${gpu.uuid}\nclick for its charts`;
    root.appendChild(el("span", gpu.index, "cell idx"));
    root.appendChild(el("span", shortGpuName(gpu.name), "cell name"));
    const util = bar("util");
    const mem = bar("mem");
    root.append(util.box, mem.box);
    const power = root.appendChild(el("span", null, "cell power"));
    const temp = root.appendChild(el("span", null, "cell temp"));
    const throttle = root.appendChild(el("span", null, "cell throttle"));
    const sparkBox = root.appendChild(el("span", null, "cell spark"));
    const sparkSvg = sparkBox.appendChild(
      svg("svg", {
        viewBox: `0 0 ${SPARK.width} ${SPARK.height}`,
        preserveAspectRatio: "none",
        "aria-hidden": "true",
      }),
    );
    const spark = sparkSvg.appendChild(svg("path", { d: "", class: "sparkline" }));
    const toggle = () => this.onToggle(gpu.uuid);
    root.addEventListener("click", toggle);
    root.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        toggle();
      }
    });
    const migs = gpu.migDevices.map((m) => {
      const line = this.root.appendChild(el("div", null, "mig-row"));
      line.dataset.gpu = String(gpu.index);
      line.title = m.uuid;
      line.appendChild(el("span", `${gpu.index}.${m.index}`, "cell idx"));
      const text = line.appendChild(el("span", null, "cell mig-text"));
      return { uuid: m.uuid, text };
    });
    const detailSlot = this.root.appendChild(el("div", null, "detail-slot"));
    return {
      uuid: gpu.uuid,
      root,
      utilFill: util.fill,
      utilText: util.text,
      memFill: mem.fill,
      memText: mem.text,
      power,
      temp,
      throttle,
      spark,
      sparkKey: "",
      migs,
      detailSlot,
      detail: null,
    };
  }

  private updateRow(row: Row, gpu: GpuView, state: PageState, snap: SnapshotView): void {
    const util = gpu.utilization;
    setText(row.utilText, percent(util));
    setWidth(row.utilFill, Math.max(0, Math.min(100, util ?? 0)));
    const share =
      gpu.memoryUsedMiB !== null && gpu.memoryTotalMiB ? gpu.memoryUsedMiB / gpu.memoryTotalMiB : 0;
    setWidth(row.memFill, Math.round(share * 100));
    setAttr(row.memFill, "data-level", share >= 0.95 ? "full" : share >= 0.8 ? "high" : "ok");
    setText(row.memText, memoryText(gpu.memoryUsedMiB, gpu.memoryTotalMiB));
    setText(
      row.power,
      gpu.powerLimitW === null ? withUnit(gpu.powerW, "W") : usedOfTotal(gpu.powerW, gpu.powerLimitW, "W"),
    );
    setText(row.temp, withUnit(gpu.temperatureC, "°C"));
    setAttr(row.temp, "data-level", (gpu.temperatureC ?? 0) >= 85 ? "hot" : "ok");
    const throttle = throttleText(gpu.throttleReasons);
    setText(row.throttle, throttle);
    setAttr(row.throttle, "data-active", String(throttle !== "–"));
    setAttr(row.throttle, "title", gpu.throttleReasons.join(", ") || "no clock event reason active");
    const series: Series | undefined = state.series[gpu.uuid];
    const times = (series?.times ?? []) as number[];
    // the last 10 minutes at most; a shorter history fills the width instead of hugging the right edge
    const sparkTo = Math.max(snap.time, times[times.length - 1] ?? 0);
    const sparkFrom = Math.max(sparkTo - Math.min(state.rangeMs, 600_000), times[0] ?? sparkTo);
    const sparkKey = `${state.rangeMs}:${times.length}:${times[times.length - 1]}:${series?.utilization?.[times.length - 1]}`;
    if (sparkKey !== row.sparkKey) {
      row.sparkKey = sparkKey;
      const runs = chartRuns(times, series?.utilization ?? [], sparkFrom, sparkTo, 100, SPARK);
      setAttr(row.spark, "d", runs.map((r) => `M${r.split(" ").join(" L")}`).join(" "));
    }
    for (const mig of row.migs) {
      const procs = snap.processes.filter((p: ProcessView) => p.gpuUuid === mig.uuid);
      const used = procs.reduce((n, p) => n + (p.usedMemoryMiB ?? 0), 0);
      const device = gpu.migDevices.find((m) => m.uuid === mig.uuid);
      setText(
        mig.text,
        `MIG ${device?.profile ?? "?"} · device ${device?.index ?? "?"} · ${procs.length} process${procs.length === 1 ? "" : "es"}${procs.length ? ` · ${gib(used)}` : ""}`,
      );
    }
    const open = state.opened.has(gpu.uuid);
    setAttr(row.root, "aria-expanded", String(open));
    if (open && !row.detail) {
      row.detail = new GpuDetail(this.onRange);
      row.detailSlot.appendChild(row.detail.root);
    } else if (!open && row.detail) {
      row.detailSlot.textContent = "";
      row.detail = null;
    }
    row.detail?.update(gpu, series, snap.processes, snap.time, state.rangeMs);
  }
}
