/**
 * Readiness: a WaitStrategy answers "ready yet?" and says what it saw. Factories
 * for an HTTP status (Jupyter's /api/status with the token → 200), a TCP
 * service banner (sshd's `SSH-2.0`), a log line and the image's healthcheck;
 * `waitUntilReady` polls them on an injectable clock until all are ready, the
 * container stops, or the timeout passes; the timeout error reports the last
 * observation of each strategy, the container state and its last log lines.
 */
import { request } from "node:http";
import { connect } from "node:net";
import { EngineError } from "../../errors/torchstack-error.js";

export interface Observation {
  ready: boolean;
  saw: string;
}

export interface WaitStrategy {
  name: string;
  check(context: WaitContext): Promise<Observation>;
}

export interface WaitContext {
  logs(): Promise<string>;
  state(): Promise<{ running: boolean; state: string; health: string | null }>;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

function httpStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

function tcpBanner(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.setEncoding("utf8");
    socket.once("data", (data: string) => {
      // Answer with an identification line so an SSH server logs no key-exchange error.
      if (data.startsWith("SSH-")) socket.end("SSH-2.0-torchstack-wait\r\n");
      else socket.destroy();
      resolve(data.split("\n")[0]?.trim() ?? "");
    });
    socket.on("timeout", () => socket.destroy(new Error("no banner within 1 s")));
    socket.on("error", reject);
  });
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const Wait = {
  forHttp(name: string, url: string, headers: Record<string, string> = {}, status = 200): WaitStrategy {
    return {
      name,
      check: () =>
        httpStatus(url, headers).then(
          (code) => ({
            ready: code === status,
            saw: `HTTP ${code} from ${url.replace(/token=[^&]+/, "token=…")}`,
          }),
          (error) => ({ ready: false, saw: `no HTTP answer: ${reason(error)}` }),
        ),
    };
  },
  forTcpBanner(name: string, host: string, port: number, prefix: string): WaitStrategy {
    return {
      name,
      check: () =>
        tcpBanner(host, port).then(
          (line) => ({ ready: line.startsWith(prefix), saw: `banner "${line}" on ${host}:${port}` }),
          (error) => ({ ready: false, saw: `no answer on ${host}:${port}: ${reason(error)}` }),
        ),
    };
  },
  forLogMessage(name: string, pattern: RegExp): WaitStrategy {
    return {
      name,
      check: async (context) => {
        const ready = pattern.test(await context.logs());
        return { ready, saw: ready ? `log matched ${pattern}` : `no log line matching ${pattern} yet` };
      },
    };
  },
  forHealthCheck(): WaitStrategy {
    return {
      name: "healthcheck",
      check: async (context) => {
        const { health } = await context.state();
        return { ready: health === "healthy", saw: `health ${health ?? "none"}` };
      },
    };
  },
};

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
  onReady?: (strategy: string) => void;
}

export async function waitUntilReady(
  strategies: readonly WaitStrategy[],
  context: WaitContext,
  options: WaitOptions,
): Promise<void> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  const pending = new Map(strategies.map((s) => [s.name, s]));
  const seen = new Map<string, string>();
  while (pending.size > 0) {
    if (options.signal?.aborted)
      throw new EngineError("E_INTERRUPTED", "interrupted while waiting for the environment");
    const results = await Promise.all(
      [...pending.values()].map(async (s) => [s, await s.check(context)] as const),
    );
    for (const [strategy, observation] of results) {
      seen.set(strategy.name, observation.saw);
      if (observation.ready) {
        pending.delete(strategy.name);
        options.onReady?.(strategy.name);
      }
    }
    if (pending.size === 0) return;
    const state = await context.state();
    if (!state.running || clock.now() >= deadline) {
      const logs = (await context.logs().catch(() => "")).trim().split("\n").slice(-15);
      const what = [...pending.keys()]
        .map((name) => `${name}: ${seen.get(name) ?? "not checked"}`)
        .join("; ");
      const why = state.running
        ? `not ready after ${Math.round(options.timeoutMs / 1000)} s`
        : `the container stopped (${state.state})`;
      throw new EngineError(
        "E_NOT_READY",
        `${why}: ${what}\nlast container logs:\n${logs.map((l) => `  ${l}`).join("\n")}`,
        {
          remedies: [
            "read the full logs: torchstack logs NAME",
            "give it longer: torchstack up --timeout 120",
          ],
          details: { pending: [...pending.keys()], seen: Object.fromEntries(seen), state: state.state, logs },
        },
      );
    }
    await clock.sleep(options.intervalMs ?? 100, options.signal);
  }
}
