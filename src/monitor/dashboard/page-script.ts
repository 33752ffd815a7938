/**
 * The dashboard's browser script, served inline under a CSP nonce (no CDN, no
 * external assets). It reads the `state` and `tick` Server-Sent Events, keeps
 * per-GPU series and draws them as inline SVG line charts; every value from the
 * server goes through textContent or setAttribute, never innerHTML.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  "use strict";
  var METRICS = [
    { key: "utilization", label: "Utilisation", unit: "%", color: "#16a34a", max: function () { return 100; } },
    { key: "memoryUsedMiB", label: "Memory", unit: " GiB", scale: 1 / 1024, color: "#2563eb",
      max: function (g) { return (g.memoryTotalMiB || 1) / 1024; } },
    { key: "powerW", label: "Power", unit: " W", color: "#d97706",
      max: function (g) { return g.powerLimitW || 100; } },
    { key: "temperatureC", label: "Temperature", unit: " °C", color: "#dc2626", max: function () { return 100; } }
  ];
  var RANGES = [["10 min", 600000], ["6 h", 21600000], ["24 h", 86400000]];
  var state = { snapshot: null, series: {}, rangeMs: 600000, hints: [] };
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  };
  var svg = function (tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  };
  var fmt = function (v, digits, unit) { return v === null || v === undefined ? "n/a" : Number(v).toFixed(digits) + (unit || ""); };

  function seriesFor(uuid) {
    if (!state.series[uuid]) state.series[uuid] = { times: [], utilization: [], memoryUsedMiB: [], powerW: [], temperatureC: [] };
    return state.series[uuid];
  }
  function append(time, gpus) {
    gpus.forEach(function (g) {
      var s = seriesFor(g.uuid);
      s.times.push(time);
      METRICS.forEach(function (m) { s[m.key].push(g[m.key]); });
      var cutoff = time - state.rangeMs;
      while (s.times.length > 0 && s.times[0] < cutoff) {
        s.times.shift();
        METRICS.forEach(function (m) { s[m.key].shift(); });
      }
    });
  }

  function chart(gpu, metric, series, now) {
    var W = 320, H = 110, P = 4;
    var box = el("figure", null, "chart");
    var last = gpu[metric.key];
    var scale = metric.scale || 1;
    var cap = el("figcaption");
    cap.appendChild(el("span", metric.label));
    cap.appendChild(el("strong", fmt(last === null || last === undefined ? null : last * scale, metric.key === "powerW" ? 0 : metric.scale ? 1 : 0, metric.unit)));
    box.appendChild(cap);
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", "aria-label": metric.label + " history" });
    root.appendChild(svg("rect", { x: 0, y: 0, width: W, height: H, fill: "#f8fafc", stroke: "#e2e8f0" }));
    [0.25, 0.5, 0.75].forEach(function (f) {
      root.appendChild(svg("line", { x1: 0, x2: W, y1: H * f, y2: H * f, stroke: "#e2e8f0", "stroke-width": 1 }));
    });
    var max = metric.max(gpu) || 1;
    // short histories fill the width instead of hugging the right edge
    var from = Math.max(now - state.rangeMs, series.times.length ? series.times[0] : now);
    var span = Math.max(now - from, 1000);
    var runs = [], run = [];
    for (var i = 0; i < series.times.length; i++) {
      var v = series[metric.key][i];
      if (v === null || v === undefined) { if (run.length) runs.push(run); run = []; continue; }
      var x = P + ((series.times[i] - from) / span) * (W - 2 * P);
      var y = H - P - Math.max(0, Math.min(1, (v * scale) / max)) * (H - 2 * P);
      run.push(x.toFixed(1) + "," + y.toFixed(1));
    }
    if (run.length) runs.push(run);
    runs.forEach(function (points) {
      if (points.length === 1) points.push(points[0]);
      var first = points[0].split(","), lastp = points[points.length - 1].split(",");
      root.appendChild(svg("polygon", {
        points: first[0] + "," + (H - P) + " " + points.join(" ") + " " + lastp[0] + "," + (H - P),
        fill: metric.color, "fill-opacity": 0.15, stroke: "none"
      }));
      root.appendChild(svg("polyline", { points: points.join(" "), fill: "none", stroke: metric.color, "stroke-width": 2.5, "class": "line" }));
    });
    var axis = svg("text", { x: W - 6, y: 14, "text-anchor": "end", "font-size": 11, fill: "#64748b" });
    axis.textContent = fmt(max, metric.scale ? 0 : 0, metric.unit);
    root.appendChild(axis);
    box.appendChild(root);
    return box;
  }

  function renderGpus() {
    var snap = state.snapshot, root = $("gpus");
    root.textContent = "";
    if (!snap) return;
    if (snap.message) {
      var empty = el("section", null, "empty");
      empty.appendChild(el("h2", snap.message));
      empty.appendChild(el("p", "nvidia-smi is not on PATH or cannot talk to the driver, so there is nothing to plot. Install the NVIDIA driver (or set TORCHSTACK_NVIDIA_SMI) and restart the dashboard. No data is invented."));
      root.appendChild(empty);
      return;
    }
    snap.gpus.forEach(function (g) {
      var card = el("section", null, "gpu");
      card.setAttribute("data-gpu", String(g.index));
      var head = el("header");
      head.appendChild(el("h2", "GPU " + g.index + " · " + g.name));
      head.appendChild(el("code", g.uuid));
      card.appendChild(head);
      var facts = el("p", null, "facts");
      [
        "util " + fmt(g.utilization, 0, "%"),
        "mem " + fmt(g.memoryUsedMiB === null ? null : g.memoryUsedMiB / 1024, 1) + " / " + fmt(g.memoryTotalMiB === null ? null : g.memoryTotalMiB / 1024, 1, " GiB"),
        "power " + fmt(g.powerW, 0) + " / " + fmt(g.powerLimitW, 0, " W"),
        "temp " + fmt(g.temperatureC, 0, " °C"),
        "SM " + fmt(g.smClockMHz, 0, " MHz"),
        "MEM " + fmt(g.memClockMHz, 0, " MHz"),
        g.pstate || "P?",
        "throttle " + (g.throttleReasons.length ? g.throttleReasons.join(", ") : "none"),
        g.migMode ? "MIG " + g.migMode : ""
      ].forEach(function (t) { if (t) facts.appendChild(el("span", t)); });
      card.appendChild(facts);
      var charts = el("div", null, "charts");
      var series = seriesFor(g.uuid);
      METRICS.forEach(function (m) { charts.appendChild(chart(g, m, series, snap.time)); });
      card.appendChild(charts);
      if (g.migDevices.length) {
        var mig = el("ul", null, "mig");
        g.migDevices.forEach(function (d) { mig.appendChild(el("li", "MIG " + d.profile + " device " + d.index + " · " + d.uuid)); });
        card.appendChild(mig);
      }
      root.appendChild(card);
    });
  }

  function table(rootId, headers, rows, emptyText) {
    var root = $(rootId);
    root.textContent = "";
    if (!rows.length) { root.appendChild(el("p", emptyText, "muted")); return; }
    var t = el("table"), tr = el("tr");
    headers.forEach(function (h) { tr.appendChild(el("th", h)); });
    t.appendChild(tr);
    rows.forEach(function (cells) {
      var row = el("tr");
      cells.forEach(function (c) {
        var td = el("td");
        if (Array.isArray(c)) {
          c.forEach(function (link, n) {
            if (n > 0) td.appendChild(document.createTextNode(" · "));
            var a = el("a", link.text);
            if (/^https?:\/\//.test(link.href)) a.setAttribute("href", link.href);
            a.setAttribute("rel", "noreferrer");
            td.appendChild(a);
          });
        } else td.textContent = c === null || c === undefined ? "" : String(c);
        row.appendChild(td);
      });
      t.appendChild(row);
    });
    root.appendChild(t);
  }

  function renderLists() {
    var snap = state.snapshot;
    if (!snap) return;
    table("processes", ["PID", "GPU", "Memory", "Environment", "Command"], snap.processes.map(function (p) {
      return [p.pid, p.gpuUuid, fmt(p.usedMemoryMiB, 0, " MiB"), p.environment || "-", p.name];
    }), "No GPU processes.");
    var hints = $("hints");
    hints.textContent = "";
    if (!state.hints.length) hints.appendChild(el("li", "No hints: nothing looks wrong right now.", "muted"));
    state.hints.forEach(function (h) { hints.appendChild(el("li", h.message, h.severity)); });
    $("updated").textContent = new Date(snap.time).toLocaleTimeString();
    $("count").textContent = snap.gpus.length + (snap.gpus.length === 1 ? " GPU" : " GPUs");
  }

  function renderStatic(d) {
    $("host").textContent = d.hostname;
    table("environments", ["Name", "State", "Image", "GPUs", "Access"], d.environments.map(function (e) {
      var links = Object.keys(e.urls || {}).map(function (app) { return { text: app, href: e.urls[app] }; });
      if (e.ssh) links.push({ text: e.ssh, href: "" });
      return [e.name, e.state, e.image, e.gpus, links];
    }), "No torchstack environments (or no container engine reachable).");
    [["doctor", d.doctor, "No doctor run yet: torchstack doctor"], ["bench", d.bench, "No bench run yet: torchstack bench"]].forEach(function (r) {
      var res = r[1];
      table(r[0], ["Check", "Status", "Detail"], res ? res.rows.map(function (x) { return [x.label, x.status, x.detail]; }) : [], r[2]);
      if (res && res.time) $(r[0]).insertBefore(el("p", "from " + res.time, "muted"), $(r[0]).firstChild);
    });
  }

  function loadRange(ms) {
    state.rangeMs = ms;
    fetch("/api/history?rangeMs=" + ms, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (h) {
      state.series = h.series;
      renderGpus();
    });
    Array.prototype.forEach.call(document.querySelectorAll("#ranges button"), function (b) {
      b.setAttribute("aria-pressed", String(Number(b.getAttribute("data-ms")) === ms));
    });
  }
  RANGES.forEach(function (r) {
    var b = el("button", r[0]);
    b.setAttribute("data-ms", String(r[1]));
    b.setAttribute("aria-pressed", String(r[1] === state.rangeMs));
    b.addEventListener("click", function () { loadRange(r[1]); });
    $("ranges").appendChild(b);
  });

  var events = new EventSource("/events");
  events.addEventListener("state", function (e) {
    var d = JSON.parse(e.data);
    state.snapshot = d.snapshot;
    state.hints = d.hints;
    state.series = d.history.series;
    renderStatic(d);
    renderGpus();
    renderLists();
    $("status").textContent = "live";
    document.body.setAttribute("data-state", "ready");
  });
  events.addEventListener("tick", function (e) {
    var d = JSON.parse(e.data);
    state.snapshot = d.snapshot;
    state.hints = d.hints;
    append(d.snapshot.time, d.snapshot.gpus);
    renderGpus();
    renderLists();
    document.body.setAttribute("data-ticks", String(Number(document.body.getAttribute("data-ticks") || "0") + 1));
  });
  events.onerror = function () { $("status").textContent = "reconnecting…"; };
})();
`;
