/**
 * The dashboard page's entry point (bundled on its own and served inline under
 * the response's CSP nonce). It opens /events (the `state` event on connect,
 * `tick` per sample, `jobs` when jobs change), keeps the page state, and hands
 * it to the overview, the panels and the results. The chosen range lives in the
 * URL hash (`#range=24h`), so a reload keeps it; the first screen is drawn from
 * the 10 minutes the `state` event carries, and a longer range loads after it.
 */
import type { HistoryView, JobsPayload, StatePayload, TickPayload } from "../dashboard-payload.js";
import { byId, setText } from "./dom.js";
import { GpuOverview } from "./gpu-overview.js";
import { renderJobs } from "./jobs-panel.js";
import { appendTick, newPageState, RANGES, rangeFromHash, setHistory } from "./page-state.js";
import { renderEnvironments, renderHints, renderProcesses } from "./panels.js";
import { renderBench, renderDoctor } from "./results-panel.js";

const wantedRange = rangeFromHash(location.hash);
const state = newPageState(600_000);
let hintsExpanded = false;
/** What the lists show now, so that a tick that changes nothing in them leaves them alone. */
let listsKey = "";

const overview = new GpuOverview(byId("gpus"), toggleGpu, loadRange);

function toggleGpu(uuid: string): void {
  if (state.opened.has(uuid)) state.opened.delete(uuid);
  else state.opened.add(uuid);
  overview.update(state);
}

function loadRange(ms: number): void {
  const range = RANGES.find((r) => r.ms === ms);
  if (!range) return;
  history.replaceState(null, "", `#range=${range.hash}`);
  fetch(`/api/history?rangeMs=${ms}`, { credentials: "same-origin" })
    .then((r) => r.json() as Promise<HistoryView>)
    .then((h) => {
      setHistory(state, h);
      overview.update(state);
      performance.mark("dashboard-range-loaded");
    })
    .catch(() => setText(byId("status"), "history unavailable"));
}

function renderLive(): void {
  const snap = state.snapshot;
  if (!snap) return;
  overview.update(state);
  const key = JSON.stringify([state.hints, hintsExpanded, snap.processes, snap.gpus.map((g) => g.uuid)]);
  if (key !== listsKey) {
    listsKey = key;
    renderHints(byId("hints"), state.hints, hintsExpanded, () => {
      hintsExpanded = !hintsExpanded;
      renderLive();
    });
    renderProcesses(byId("processes"), snap.processes, snap.gpus);
  }
  setText(byId("updated"), new Date(snap.time).toLocaleTimeString());
  setText(byId("count"), `${snap.gpus.length} GPU${snap.gpus.length === 1 ? "" : "s"}`);
}

function renderJobsPanel(payload: JobsPayload): void {
  state.jobs = payload;
  renderJobs(byId("jobs"), payload);
  setText(byId("jobs-source"), payload.source);
}

const events = new EventSource("/events");
events.addEventListener("state", (e) => {
  if (document.body.dataset.state !== "ready") performance.mark("dashboard-state-received");
  const d = JSON.parse((e as MessageEvent<string>).data) as StatePayload;
  state.hostname = d.hostname;
  state.snapshot = d.snapshot;
  state.hints = d.hints;
  state.doctor = d.doctor;
  state.bench = d.bench;
  state.environments = d.environments;
  setHistory(state, d.history);
  setText(byId("host"), d.hostname);
  renderLive();
  renderJobsPanel(d);
  renderBench(byId("bench"), d.bench);
  renderDoctor(byId("doctor"), d.doctor);
  renderEnvironments(byId("environments"), d.environments);
  setText(byId("status"), "live");
  if (document.body.dataset.state !== "ready") {
    performance.mark("dashboard-first-render");
    if (wantedRange !== state.rangeMs) loadRange(wantedRange);
  }
  document.body.dataset.state = "ready";
});
events.addEventListener("tick", (e) => {
  const d = JSON.parse((e as MessageEvent<string>).data) as TickPayload;
  state.snapshot = d.snapshot;
  state.hints = d.hints;
  appendTick(state, d.snapshot);
  renderLive();
  document.body.dataset.ticks = String(Number(document.body.dataset.ticks ?? "0") + 1);
});
events.addEventListener("jobs", (e) => {
  renderJobsPanel(JSON.parse((e as MessageEvent<string>).data) as JobsPayload);
});
events.onerror = () => setText(byId("status"), "reconnecting…");
