/**
 * The jobs panel: each torchstack job with its target, state (and the
 * scheduler's reason while PENDING), its ranks as chips grouped by node, and
 * for a failed job the root-cause rank with the finding and its fix, so the
 * rank that really failed is visible without opening `job diagnose`.
 */

import type { JobRankSummary, JobSummary } from "../../jobs/job-summary.js";
import type { JobsPayload } from "../dashboard-payload.js";
import { el } from "./dom.js";

function rankChip(rank: JobRankSummary, job: JobSummary): HTMLElement {
  const root = job.rootCause?.rank === rank.rank;
  const chip = el("span", `r${rank.rank}`, `rank${root ? " root" : ""}`);
  chip.dataset.state = (rank.state ?? job.state).toLowerCase();
  chip.title = [
    `rank ${rank.rank} on ${rank.node}`,
    rank.state ?? job.state,
    rank.exitCode === null ? "" : `exit ${rank.exitCode}`,
    root ? "root cause" : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return chip;
}

function jobCard(job: JobSummary): HTMLElement {
  const card = el("article", null, "job");
  card.dataset.state = job.state.toLowerCase();
  card.dataset.job = job.id;
  const head = card.appendChild(el("header"));
  head.appendChild(el("strong", job.name ?? job.id));
  head.appendChild(el("span", job.target, "target"));
  head.appendChild(el("span", job.state, `state ${job.state.toLowerCase()}`));
  if (job.name) head.appendChild(el("code", job.id, "muted"));
  if (job.reason) card.appendChild(el("p", `reason: ${job.reason}`, "reason"));
  const nodes = new Map<string, JobRankSummary[]>();
  for (const r of job.ranks) nodes.set(r.node, [...(nodes.get(r.node) ?? []), r]);
  if (nodes.size) {
    const list = card.appendChild(el("div", null, "nodes"));
    for (const [node, ranks] of nodes) {
      const line = list.appendChild(el("span", null, "node"));
      line.appendChild(el("span", node, "node-name"));
      for (const r of ranks) line.appendChild(rankChip(r, job));
    }
  }
  if (job.rootCause) {
    const rc = job.rootCause;
    const cause = card.appendChild(el("div", null, "root-cause"));
    cause.appendChild(
      el(
        "p",
        `root cause: ${rc.rank === null ? `node ${rc.node} (its agent)` : `rank ${rc.rank} on ${rc.node}`}${rc.exitCode === null ? "" : `, exit ${rc.exitCode}`}${job.finding ? ` · ${job.finding.code}` : ""}`,
        "cause",
      ),
    );
    if (job.finding) cause.appendChild(el("p", job.finding.message));
    cause.appendChild(el("code", rc.evidence, "evidence"));
    const fix = job.finding?.fix[0];
    if (fix) cause.appendChild(el("p", `fix: ${fix}`, "fix"));
  }
  return card;
}

export function renderJobs(root: HTMLElement, payload: JobsPayload): void {
  root.textContent = "";
  if (payload.jobs.length === 0) {
    root.appendChild(el("p", "No torchstack jobs: torchstack job run starts one.", "muted"));
    return;
  }
  const order = { FAILED: 0, RUNNING: 1, PENDING: 2, CANCELLED: 3, COMPLETED: 4 } as const;
  const jobs = [...payload.jobs].sort((a, b) => order[a.state] - order[b.state]);
  for (const job of jobs) root.appendChild(jobCard(job));
}
