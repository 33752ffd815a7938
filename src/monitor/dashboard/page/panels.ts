/**
 * The page's lists: the hints strip at the top, processes by GPU number (UUID
 * on hover) with their environment and job rank, and the environments with
 * their links. Each renders from the page state into its own container and is
 * cheap enough to redo on a tick (a handful of rows).
 */
import type { EnvironmentView, GpuView, HintView, ProcessView } from "../dashboard-payload.js";
import { el, table } from "./dom.js";
import { withUnit } from "./format.js";

const HINTS_SHOWN = 4;

export function renderHints(
  root: HTMLElement,
  hints: HintView[],
  expanded: boolean,
  onMore: () => void,
): void {
  root.textContent = "";
  root.dataset.count = String(hints.length);
  if (hints.length === 0) {
    root.appendChild(el("span", "No hints: nothing looks wrong right now.", "hint none"));
    return;
  }
  const shown = expanded ? hints : hints.slice(0, HINTS_SHOWN);
  for (const h of shown) {
    const item = root.appendChild(el("span", null, `hint ${h.severity}`));
    item.appendChild(el("b", h.gpuIndex === null ? "host" : `GPU ${h.gpuIndex}`));
    item.appendChild(document.createTextNode(` ${h.message.replace(/^GPU \d+ /, "")}`));
    item.title = h.message;
  }
  if (hints.length > HINTS_SHOWN) {
    const more = root.appendChild(
      el("button", expanded ? "fewer" : `+${hints.length - HINTS_SHOWN} more`, "more"),
    );
    more.type = "button";
    more.addEventListener("click", onMore);
  }
}

/** "3" for a GPU, "0.1" for MIG device 1 of GPU 0, with the UUID for the tooltip. */
export function gpuNumber(uuid: string, gpus: readonly GpuView[]): { label: string; sort: number } {
  for (const g of gpus) {
    if (g.uuid === uuid) return { label: String(g.index), sort: g.index * 100 };
    const mig = g.migDevices.find((m) => m.uuid === uuid);
    if (mig) return { label: `${g.index}.${mig.index}`, sort: g.index * 100 + 1 + mig.index };
  }
  return { label: "?", sort: 1e9 };
}

export function renderProcesses(root: HTMLElement, processes: ProcessView[], gpus: GpuView[]): void {
  root.textContent = "";
  if (processes.length === 0) {
    root.appendChild(el("p", "No GPU processes.", "muted"));
    return;
  }
  const rows = processes
    .map((p) => ({ p, gpu: gpuNumber(p.gpuUuid, gpus) }))
    .sort((a, b) => a.gpu.sort - b.gpu.sort || a.p.pid - b.p.pid)
    .map(({ p, gpu }) => {
      const number = el("span", gpu.label, "gpu-number");
      number.title = p.gpuUuid;
      const job = p.job === null ? "–" : `${p.job}${p.rank === null ? "" : ` · rank ${p.rank}`}`;
      const command = el("span", p.name, "command");
      command.title = p.name;
      return [
        number,
        String(p.pid),
        withUnit(p.usedMemoryMiB === null ? null : p.usedMemoryMiB / 1024, "GiB"),
        p.environment ?? "–",
        job,
        command,
      ];
    });
  root.appendChild(table(["GPU", "PID", "memory", "environment", "job", "command"], rows, "list processes"));
}

export function renderEnvironments(root: HTMLElement, environments: EnvironmentView[]): void {
  root.textContent = "";
  if (environments.length === 0) {
    root.appendChild(el("p", "No torchstack environments (or no container engine reachable).", "muted"));
    return;
  }
  const rows = environments.map((e) => {
    const links = el("span");
    for (const [app, href] of Object.entries(e.urls)) {
      if (links.childNodes.length) links.appendChild(document.createTextNode(" · "));
      const a = links.appendChild(el("a", app));
      if (/^https?:\/\//.test(href)) a.setAttribute("href", href);
      a.setAttribute("rel", "noreferrer");
    }
    if (e.ssh) {
      if (links.childNodes.length) links.appendChild(document.createTextNode(" · "));
      links.appendChild(el("code", e.ssh));
    }
    return [e.name, e.state, e.image, e.gpus, links];
  });
  root.appendChild(table(["name", "state", "image", "GPUs", "access"], rows));
}
