/**
 * Results as pictures: the latest bench as bars against the GPU's datasheet
 * peak (the fraction reached), and the latest doctor findings as a short list
 * with their fixes. Every figure has three significant figures and its unit.
 */
import type { BenchView, DoctorView } from "../dashboard-payload.js";
import { el } from "./dom.js";
import { fractionText, timeText, withUnit } from "./format.js";

export function renderBench(root: HTMLElement, bench: BenchView | null): void {
  root.textContent = "";
  if (!bench || bench.bars.length === 0) {
    root.appendChild(el("p", "No bench run yet: torchstack bench", "muted"));
    return;
  }
  root.appendChild(
    el(
      "p",
      [bench.gpu, bench.time ? `from ${timeText(bench.time)}` : ""].filter(Boolean).join(" · "),
      "muted",
    ),
  );
  const list = root.appendChild(el("ul", null, "bars"));
  for (const b of bench.bars) {
    const item = list.appendChild(el("li"));
    item.appendChild(el("span", b.label, "label"));
    const track = item.appendChild(el("span", null, "bar"));
    const fill = track.appendChild(el("span", null, "fill"));
    fill.style.width = `${Math.max(0, Math.min(100, (b.fraction ?? 0) * 100))}%`;
    if (b.fraction === null) track.dataset.peak = "unknown";
    const text =
      b.peak === null
        ? `${withUnit(b.value, b.unit)} (no datasheet peak)`
        : `${withUnit(b.value, b.unit)} of ${withUnit(b.peak, b.unit)} · ${fractionText(b.fraction)}`;
    item.appendChild(el("span", text, "val"));
  }
}

export function renderDoctor(root: HTMLElement, doctor: DoctorView | null): void {
  root.textContent = "";
  if (!doctor) {
    root.appendChild(el("p", "No doctor run yet: torchstack doctor", "muted"));
    return;
  }
  if (doctor.time) root.appendChild(el("p", `from ${timeText(doctor.time)}`, "muted"));
  if (doctor.findings.length === 0) {
    root.appendChild(el("p", "No problems found.", "ok"));
    return;
  }
  const list = root.appendChild(el("ul", null, "findings"));
  for (const f of doctor.findings.slice(0, 8)) {
    const item = list.appendChild(el("li", null, `finding ${f.severity}`));
    item.appendChild(el("b", f.code));
    item.appendChild(el("span", ` ${f.message}`));
    for (const fix of f.fix.slice(0, 2)) item.appendChild(el("code", fix, "fix"));
  }
  if (doctor.findings.length > 8)
    root.appendChild(el("p", `+${doctor.findings.length - 8} more: torchstack doctor`, "muted"));
}
