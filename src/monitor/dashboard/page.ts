/**
 * The dashboard page: one HTML document with inline CSS and script, both under a
 * per-response CSP nonce, and no external assets. The data arrives over /events.
 */
import { PAGE_SCRIPT } from "./page-script.js";

const STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; background: #ffffff; color: #0f172a; }
header.top { display: flex; gap: 1rem; align-items: baseline; padding: 0.8rem 1.2rem; background: #0f172a; color: #f8fafc; }
header.top h1 { font-size: 1.1rem; margin: 0; }
header.top .muted { color: #cbd5e1; }
main { padding: 1rem 1.2rem; display: grid; gap: 1rem; }
section { border: 1px solid #e2e8f0; border-radius: 8px; padding: 0.8rem 1rem; }
section h2 { font-size: 1rem; margin: 0 0 0.4rem; }
.gpu header { display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
.gpu code { color: #64748b; font-size: 0.8rem; }
.facts { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.2rem 0 0.6rem; font-size: 0.9rem; }
.charts { display: flex; flex-wrap: wrap; gap: 0.8rem; }
figure.chart { margin: 0; }
figcaption { display: flex; justify-content: space-between; font-size: 0.85rem; color: #334155; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #e2e8f0; }
.muted { color: #64748b; }
.warn { color: #b45309; }
.empty { background: #f8fafc; }
#ranges button { margin-right: 0.3rem; border: 1px solid #cbd5e1; background: #fff; border-radius: 4px; padding: 0.2rem 0.6rem; }
#ranges button[aria-pressed="true"] { background: #0f172a; color: #fff; }
.row { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 1rem; }
`;

export function renderPage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>torchstack dashboard</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body data-state="loading">
<header class="top"><h1>torchstack dashboard</h1><span id="host" class="muted"></span><span id="count"></span>
<span class="muted">updated <span id="updated">–</span></span><span id="status" class="muted">connecting…</span></header>
<main>
<div id="ranges" aria-label="history range"></div>
<div id="gpus"></div>
<div class="row">
<section><h2>Hints</h2><ul id="hints"></ul></section>
<section><h2>Processes</h2><div id="processes"></div></section>
</div>
<section><h2>Environments</h2><div id="environments"></div></section>
<div class="row">
<section><h2>Latest doctor</h2><div id="doctor"></div></section>
<section><h2>Latest bench</h2><div id="bench"></div></section>
</div>
</main>
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
