/**
 * Runs `torchstack dashboard` until the signal aborts: starts the monitor and the
 * server, writes the URL (as the first stdout line `{"url":…}` with --json),
 * optionally opens a browser, and closes everything on Ctrl-C.
 */

import type { Writable } from "node:stream";
import { TorchstackError, UsageError } from "../../errors/torchstack-error.js";
import { startProcess } from "../../process/start-process.js";
import type { JobsSource } from "../jobs/jobs-source.js";
import { type EnvironmentLister, Monitor } from "../monitor.js";
import { LOOPBACK_HOSTS, newToken } from "./auth.js";
import { startDashboard } from "./server.js";
import { tokenFreeLister } from "./token-free-urls.js";

export interface RunDashboardOptions {
  env: NodeJS.ProcessEnv;
  host: string;
  port: number;
  intervalMs: number;
  json: boolean;
  open: boolean;
  stdout: Writable;
  signal: AbortSignal;
  step: (message: string) => void;
  listEnvironments?: EnvironmentLister;
  /** The jobs panel's source (default: none). */
  jobs?: JobsSource;
}

export function dashboardToken(env: NodeJS.ProcessEnv): string {
  const fixed = env.TORCHSTACK_DASHBOARD_TOKEN;
  if (fixed === undefined || fixed === "") return newToken();
  if (!/^[A-Za-z0-9_-]{24,}$/.test(fixed)) {
    throw new UsageError("TORCHSTACK_DASHBOARD_TOKEN must be at least 24 characters of A-Z a-z 0-9 _ -", {
      remedies: ["export TORCHSTACK_DASHBOARD_TOKEN=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')"],
    });
  }
  return fixed;
}

/** EADDRINUSE / EACCES from listen() as an error that says what to do. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  if (code !== "EADDRINUSE" && code !== "EACCES") return error;
  return new TorchstackError(
    "E_PORT_UNAVAILABLE",
    `cannot listen on ${host}:${port}: ${code === "EADDRINUSE" ? "the port is in use" : "permission denied"}`,
    {
      remedies: [
        "torchstack dashboard --port 0   # any free port",
        `ss -ltnp 'sport = :${port}'   # what holds the port`,
      ],
    },
  );
}

export async function runDashboard(options: RunDashboardOptions): Promise<void> {
  if (!LOOPBACK_HOSTS.has(options.host)) {
    throw new UsageError(
      `dashboard binds to loopback only (127.0.0.1, localhost, ::1), not "${options.host}"; reach it from elsewhere through an SSH tunnel: ssh -L 9401:127.0.0.1:9401 this-host`,
    );
  }
  const token = dashboardToken(options.env);
  const monitor = new Monitor({
    env: options.env,
    intervalMs: options.intervalMs,
    ...(options.listEnvironments ? { listEnvironments: tokenFreeLister(options.listEnvironments) } : {}),
  });
  options.step("starting the GPU sampler");
  await monitor.start();
  const dashboard = await startDashboard({
    monitor,
    env: options.env,
    host: options.host,
    port: options.port,
    token,
    ...(options.jobs ? { jobs: options.jobs } : {}),
  }).catch((error: unknown) => {
    monitor.stop();
    throw listenError(error, options.host, options.port);
  });
  if (options.json) options.stdout.write(`${JSON.stringify({ url: dashboard.url })}\n`);
  else options.stdout.write(`torchstack dashboard: ${dashboard.url}\n(Ctrl-C to stop)\n`);
  if (options.open && !options.json) {
    const opener = process.platform === "darwin" ? "open" : "xdg-open";
    // a one-time code, not the token: a browser's argv is readable by every local user (ps)
    const browser = startProcess(opener, [dashboard.oneTimeUrl()], { output: "ignore", detached: true });
    browser.exited.catch(() => {}); // no opener: the URL above is enough
    browser.unref();
  }
  try {
    if (!options.signal.aborted) {
      await new Promise((resolve) => options.signal.addEventListener("abort", resolve, { once: true }));
    }
  } finally {
    await dashboard.close();
    monitor.stop();
  }
}
