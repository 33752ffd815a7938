/**
 * The dashboard page: one HTML document whose script and stylesheet (the
 * bundled browser module, page/) are inlined under a per-response CSP nonce, so
 * nothing is loaded from outside the process. The data arrives over /events.
 * Layout, first screen first: header, hints strip, then two columns (the GPU
 * overview and bench results; jobs, processes and doctor findings), which fold
 * into one column in the order GPUs, jobs, processes, bench, doctor below 1100 px.
 */
import type { DashboardPageAssets } from "./page/build-page.mjs";

export function renderPage(nonce: string, assets: DashboardPageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>torchstack dashboard</title>
<style nonce="${nonce}">${assets.style}</style>
</head>
<body data-state="loading">
<header class="top"><h1>torchstack dashboard</h1><span id="host" class="muted"></span><span id="count"></span>
<span class="muted">updated <span id="updated">–</span></span><span id="status" class="muted">connecting…</span></header>
<div id="hints" class="hints" role="status" aria-label="hints"></div>
<main class="layout">
<div class="col">
<section id="overview" class="at-1" aria-label="GPUs"><h2>GPUs <span class="muted">click a GPU for its charts</span></h2><div id="gpus"></div></section>
<section id="bench-panel" class="at-4"><h2>Latest bench <span class="muted">against the datasheet peak</span></h2><div id="bench"></div></section>
</div>
<div class="col">
<section id="jobs-panel" class="at-2"><h2>Jobs <span id="jobs-source" class="muted"></span></h2><div id="jobs"></div></section>
<section id="processes-panel" class="at-3"><h2>Processes</h2><div id="processes"></div></section>
<section id="doctor-panel" class="at-5"><h2>Latest doctor</h2><div id="doctor"></div></section>
</div>
<section id="environments-panel" class="wide at-6"><h2>Environments</h2><div id="environments"></div></section>
</main>
<script nonce="${nonce}">${assets.script}</script>
</body>
</html>
`;
}
