import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../../src/cli/run-cli.js";
import { NO_DRIVER_MESSAGE } from "../../../../src/gpu/gpu-sample.js";
import { escapeLabel, renderMetrics } from "../../../../src/monitor/dashboard/metrics.js";
import { type Dashboard, startDashboard } from "../../../../src/monitor/dashboard/server.js";
import type { JobsSource } from "../../../../src/monitor/jobs/jobs-source.js";
import { Monitor } from "../../../../src/monitor/monitor.js";
import { scenarioEnv } from "../monitor-fixtures.js";
import { parsePrometheusText } from "./prometheus.js";

const TOKEN = "test-token-abcdefghijklmnopqrstuvwxyz0123";

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard server with a fake nvidia-smi", () => {
  let monitor: Monitor;
  let dashboard: Dashboard;
  const state = mkdtempSync(join(tmpdir(), "ts-state-"));

  beforeAll(async () => {
    mkdirSync(join(state, "doctor"), { recursive: true });
    writeFileSync(
      join(state, "doctor", "latest.json"),
      JSON.stringify({
        time: "2025-06-02T10:00:00Z",
        findings: [{ title: "shm", severity: "warn", message: "64 MB /dev/shm" }],
      }),
    );
    const env = scenarioEnv("h100x8", { TORCHSTACK_STATE_DIR: state });
    monitor = new Monitor({
      env,
      intervalMs: 100,
      listEnvironments: async () => [
        {
          name: "llm-train",
          containerId: "c0ffee".repeat(10),
          containerName: "torchstack-llm-train",
          image: "torchstack/llm:latest",
          state: "running",
          startedAt: null,
          gpus: "all",
          ports: { jupyter: 8888 },
          urls: { jupyter: "http://127.0.0.1:8888/lab?token=x" },
          ssh: null,
          workspace: null,
        },
      ],
    });
    await monitor.start();
    dashboard = await startDashboard({
      monitor,
      env,
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      hostname: "gpu-box",
    });
  });
  afterAll(async () => {
    await dashboard.close();
    monitor.stop();
  });

  it("refuses requests without a token (401) or with a wrong one (403)", async () => {
    for (const path of ["/", "/metrics", "/api/snapshot", "/events"]) {
      expect((await get(dashboard.port, path)).status).toBe(401);
      expect((await get(dashboard.port, `${path}?token=wrong`)).status).toBe(403);
    }
    const denied = await get(dashboard.port, "/metrics", { authorization: "Bearer nope" });
    expect(denied.status).toBe(403);
  });

  it("refuses a foreign Host header (DNS rebinding) even with the token", async () => {
    const res = await get(dashboard.port, `/api/snapshot?token=${TOKEN}`, {
      host: `evil.example:${dashboard.port}`,
    });
    expect(res.status).toBe(403);
  });

  it("turns ?token= on the page into an HttpOnly SameSite=Strict cookie and redirects", async () => {
    const res = await get(dashboard.port, `/?token=${TOKEN}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const page = await get(dashboard.port, "/", { cookie: cookie.split(";")[0] ?? "" });
    expect(page.status).toBe(200);
    expect(page.body).toContain("<title>torchstack dashboard</title>");
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'none'; script-src 'nonce-[^']+'/);
    expect(page.headers["access-control-allow-origin"]).toBeUndefined();
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org)/);
  });

  it("the cookie carries a per-start session named after the port, never the token", async () => {
    const res = await get(dashboard.port, `/?token=${TOKEN}`);
    const [pair = ""] = String(res.headers["set-cookie"]).split(";");
    const [name, session = ""] = pair.split("=");
    expect(name).toBe(`torchstack_dashboard_${dashboard.port}`);
    expect(session).not.toContain(TOKEN);
    expect(session.length).toBeGreaterThanOrEqual(40);
    // what another local user's server on 127.0.0.1 would receive is not the API token
    expect((await get(dashboard.port, "/api/snapshot", { authorization: `Bearer ${session}` })).status).toBe(
      403,
    );
    // and the old, unnamed cookie with the token in it opens nothing
    expect((await get(dashboard.port, "/", { cookie: `torchstack_dashboard=${TOKEN}` })).status).toBe(401);
    expect((await get(dashboard.port, "/", { cookie: `torchstack_dashboard_1=${session}` })).status).toBe(
      401,
    );
  });

  it("opens the browser with a one-time code: it opens the page once and holds no token", async () => {
    const url = new URL(dashboard.oneTimeUrl());
    expect(url.href).not.toContain(TOKEN);
    const first = await get(dashboard.port, `${url.pathname}${url.search}`);
    expect(first.status).toBe(303);
    expect(String(first.headers["set-cookie"])).toContain(`torchstack_dashboard_${dashboard.port}=`);
    expect((await get(dashboard.port, `${url.pathname}${url.search}`)).status).toBe(403);
    expect((await get(dashboard.port, `/api/snapshot${url.search}`)).status).toBe(401);
  });

  it("serves /api/snapshot with GPUs, processes, hints and environments", async () => {
    const res = await get(dashboard.port, "/api/snapshot", { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as {
      gpus: unknown[];
      processes: unknown[];
      environments: { name: string }[];
    };
    expect(body.gpus).toHaveLength(8);
    expect(body.processes).toHaveLength(4);
    expect(body.environments[0]?.name).toBe("llm-train");
  });

  it("serves /metrics in valid Prometheus text with DCGM names and labels", async () => {
    const res = await get(dashboard.port, `/metrics?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/plain; version=0.0.4");
    const samples = parsePrometheusText(res.body);
    const util = samples.filter((s) => s.name === "DCGM_FI_DEV_GPU_UTIL");
    expect(util).toHaveLength(8);
    expect(util[0]?.labels).toMatchObject({
      gpu: "0",
      modelName: "NVIDIA H100 80GB HBM3",
      Hostname: "gpu-box",
    });
    expect(util[0]?.labels.UUID).toMatch(/^GPU-/);
    for (const name of [
      "DCGM_FI_DEV_FB_USED",
      "DCGM_FI_DEV_FB_FREE",
      "DCGM_FI_DEV_POWER_USAGE",
      "DCGM_FI_DEV_GPU_TEMP",
      "DCGM_FI_DEV_SM_CLOCK",
      "DCGM_FI_DEV_MEM_CLOCK",
    ]) {
      expect(samples.filter((s) => s.name === name)).toHaveLength(8);
    }
    const fbUsed = samples.find((s) => s.name === "DCGM_FI_DEV_FB_USED" && s.labels.gpu === "0")?.value ?? 0;
    const fbFree = samples.find((s) => s.name === "DCGM_FI_DEV_FB_FREE" && s.labels.gpu === "0")?.value ?? 0;
    expect(fbUsed + fbFree).toBe(81559);
    const proc = samples.find(
      (s) => s.name === "torchstack_gpu_process_memory_used_mib" && s.labels.pid === "52001",
    );
    expect(proc?.labels.process).toBe("python3 train.py, resumed");
    expect(samples.find((s) => s.name === "torchstack_nvidia_driver_available")?.value).toBe(1);
  });

  it("pushes a state event and then ticks over Server-Sent Events", async () => {
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: dashboard.port,
          path: "/events",
          headers: { host: `127.0.0.1:${dashboard.port}`, authorization: `Bearer ${TOKEN}` },
        },
        (res) => {
          expect(res.headers["content-type"]).toContain("text/event-stream");
          let buffer = "";
          res.setEncoding("utf8").on("data", (chunk: string) => {
            buffer += chunk;
            const parts = buffer.split("\n\n");
            buffer = parts.pop() ?? "";
            events.push(...parts);
            if (events.filter((e) => e.includes("event: tick")).length >= 2) {
              req.destroy();
              resolve();
            }
          });
        },
      );
      req.on("error", (e) => (events.length ? resolve() : reject(e)));
      req.end();
    });
    const stateEvent = events.find((e) => e.includes("event: state")) ?? "";
    const data = JSON.parse(stateEvent.split("data: ")[1] ?? "{}") as {
      doctor: { findings: { code: string; message: string }[] };
      environments: unknown[];
      history: { series: Record<string, unknown> };
    };
    expect(data.doctor.findings[0]).toMatchObject({ code: "shm", message: "64 MB /dev/shm" });
    expect(data.environments).toHaveLength(1);
    expect(Object.keys(data.history.series)).toHaveLength(8);
  });
});

describe("metrics rendering", () => {
  it("escapes label values and reports no driver honestly", () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    const text = renderMetrics(
      { time: 1_700_000_000_000, gpus: [], processes: [], message: NO_DRIVER_MESSAGE },
      "h",
    );
    const samples = parsePrometheusText(text);
    expect(samples.find((s) => s.name === "torchstack_nvidia_driver_available")?.value).toBe(0);
    expect(samples.some((s) => s.name.startsWith("DCGM_"))).toBe(false);
  });
});

describe("torchstack dashboard --json", () => {
  it("prints {url} as the first stdout line, serves, and stops on abort", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stderr.resume();
    const controller = new AbortController();
    const done = runCli({
      argv: ["dashboard", "--json", "--no-open", "--interval", "200"],
      cwd: process.cwd(),
      env: scenarioEnv("v100x2-r418", { TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-state-")) }),
      stdout,
      stderr,
      signal: controller.signal,
    });
    const firstLine = await new Promise<string>((resolve) => {
      let text = "";
      stdout.on("data", (c: Buffer) => {
        text += c.toString("utf8");
        if (text.includes("\n")) resolve(text.split("\n")[0] ?? "");
      });
    });
    const { url } = JSON.parse(firstLine) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const parsed = new URL(url);
    const res = await get(Number(parsed.port), `/api/snapshot?token=${parsed.searchParams.get("token")}`);
    expect(JSON.parse(res.body).gpus).toHaveLength(2);
    controller.abort();
    expect(await done).toBe(0);
  });

  it("explains a port that is already in use", async () => {
    const { createServer } = await import("node:http");
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stderr.resume();
    let out = "";
    stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    const code = await runCli({
      argv: ["dashboard", "--json", "--port", String(port)],
      cwd: process.cwd(),
      env: scenarioEnv("v100x2-r418"),
      stdout,
      stderr,
      signal: new AbortController().signal,
    });
    blocker.close();
    expect(code).toBe(1);
    expect(JSON.parse(out).error.code).toBe("E_PORT_UNAVAILABLE");
  });

  it("refuses a non-loopback host with a usage error", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (c: Buffer) => {
      err += c.toString("utf8");
    });
    const code = await runCli({
      argv: ["dashboard", "--host", "0.0.0.0"],
      cwd: process.cwd(),
      env: {},
      stdout,
      stderr,
      signal: new AbortController().signal,
    });
    expect(code).toBe(2);
    expect(err).toContain("loopback only");
  });
});

describe("dashboard jobs over Server-Sent Events", () => {
  it("sends the jobs in the state event, then a jobs event when they change", async () => {
    const env = scenarioEnv("v100x2-r418");
    const monitor = new Monitor({ env, intervalMs: 200 });
    await monitor.start();
    let state: "RUNNING" | "FAILED" = "RUNNING";
    const jobs: JobsSource = {
      description: "a test source",
      list: async () => [
        {
          id: "j1",
          name: null,
          target: "local",
          schedulerId: null,
          state,
          reason: null,
          submittedAt: null,
          ranks: [{ rank: 0, node: "node 0", state, exitCode: null }],
          rootCause: null,
          finding: null,
        },
      ],
    };
    const dashboard = await startDashboard({
      monitor,
      env,
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      jobs,
      refreshMs: 100,
    });
    try {
      const events: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: dashboard.port,
            path: "/events",
            headers: { host: `127.0.0.1:${dashboard.port}`, authorization: `Bearer ${TOKEN}` },
          },
          (res) => {
            let buffer = "";
            res.setEncoding("utf8").on("data", (chunk: string) => {
              buffer += chunk;
              const parts = buffer.split("\n\n");
              buffer = parts.pop() ?? "";
              events.push(...parts);
              if (events.some((e) => e.includes("event: state"))) state = "FAILED";
              if (events.some((e) => e.startsWith("event: jobs"))) {
                req.destroy();
                resolve();
              }
            });
          },
        );
        req.on("error", (e) => (events.length ? resolve() : reject(e)));
        req.end();
      });
      const first = JSON.parse(events.find((e) => e.includes("event: state"))?.split("data: ")[1] ?? "{}");
      expect(first.jobs[0].state).toBe("RUNNING");
      expect(first.source).toBe("a test source");
      const update = JSON.parse(events.find((e) => e.startsWith("event: jobs"))?.split("data: ")[1] ?? "{}");
      expect(update.jobs[0].state).toBe("FAILED");
      expect(events.filter((e) => e.startsWith("event: jobs"))).toHaveLength(1);
    } finally {
      await dashboard.close();
      monitor.stop();
    }
  });
});
