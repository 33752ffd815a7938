/**
 * `torchstack dashboard`: a local web page with every GPU at a glance (detailed
 * history charts on click), torchstack jobs with their ranks and root cause,
 * processes, hints, the latest doctor and bench results, and /metrics for
 * Prometheus. Loopback only, token-protected, bounded; serves until Ctrl-C.
 */
import { runDashboard } from "../../monitor/dashboard/run-dashboard.js";
import { monitorEnvironmentLister } from "../../monitor/environment-source.js";
import { childProcessDiagnoser, selfCommand } from "../../monitor/jobs/child-diagnoser.js";
import { recordedJobsSource } from "../../monitor/jobs/recorded-jobs-source.js";
import { runProcess } from "../../process/run-process.js";
import { jobStatus } from "../../workflows/job-run-manage.js";
import { wholeNumberValue } from "../args.js";
import { defineCommand } from "../command.js";

export const dashboardCommand = defineCommand({
  name: "dashboard",
  summary: "local web dashboard: GPU history, environments, results, /metrics",
  usage: "dashboard [--port N] [--host 127.0.0.1] [--interval MS] [--no-open] [--json]",
  description:
    "Serves a page on 127.0.0.1 with one compact row per GPU (utilisation, memory, power, temperature, throttle reason, " +
    "a sparkline; MIG instances under their GPU) that opens its charts (10 min, 6 h, 24 h) on click, torchstack jobs with " +
    "their ranks and a failed job's root-cause rank, GPU processes by GPU number with their environment and job rank, hints, " +
    "the environments with their URLs, and the latest bench (against the datasheet peak) and doctor findings. " +
    "A random token is required on every route (set TORCHSTACK_DASHBOARD_TOKEN to keep one across restarts). " +
    "/metrics speaks the Prometheus text format with DCGM exporter names; scrape it with `bearer_token`. " +
    'With --json the first stdout line is {"url":"http://127.0.0.1:PORT/?token=…"}.',
  options: {
    port: { type: "string", valueName: "N", description: "port to listen on (default: a free port)" },
    host: {
      type: "string",
      valueName: "HOST",
      description: "loopback address to bind: 127.0.0.1 (default), localhost or ::1",
    },
    interval: {
      type: "string",
      valueName: "MS",
      description: "sampling interval in milliseconds (default 1000)",
    },
    "no-open": { type: "boolean", description: "do not open a browser" },
  },
  examples: [
    "torchstack dashboard",
    "torchstack dashboard --port 9401 --no-open",
    'torchstack dashboard --json   # first line: {"url":…}',
  ],
  async run(input, io) {
    const out = io.stdout as typeof io.stdout & { isTTY?: boolean };
    const self = selfCommand();
    await runDashboard({
      env: io.env,
      host: input.flags.host ?? "127.0.0.1",
      port: wholeNumberValue(input.flags.port, "--port", { min: 0, max: 65_535 }) ?? 0,
      intervalMs: wholeNumberValue(input.flags.interval, "--interval", { min: 100, max: 60_000 }) ?? 1000,
      json: io.json,
      open:
        !input.flags["no-open"] && out.isTTY === true && Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY),
      stdout: io.stdout,
      signal: io.signal,
      step: (m) => io.reporter.step(m),
      listEnvironments: monitorEnvironmentLister,
      // the job records `job list` reads; unfinished jobs are refreshed from their scheduler as `job status` does
      jobs: recordedJobsSource({
        env: io.env,
        refresh: (id) => jobStatus(id, { env: io.env, run: runProcess, progress: () => {} }),
        // a failed job's logs are diagnosed in a child torchstack under a time budget, never on the server's loop
        ...(self ? { diagnose: childProcessDiagnoser(self, io.env, runProcess) } : {}),
      }),
    });
    return {};
  },
});
