import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  type Clock,
  Wait,
  type WaitContext,
  type WaitStrategy,
  waitUntilReady,
} from "../../../../src/environments/readiness/wait-strategies.js";

function fakeClock(): Clock & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

const running: WaitContext = {
  logs: async () => "booting\nstill booting",
  state: async () => ({ running: true, state: "running", health: null }),
};

const readyAfter = (n: number): WaitStrategy => {
  let calls = 0;
  return { name: `after${n}`, check: async () => ({ ready: ++calls >= n, saw: `call ${calls}` }) };
};

describe("waitUntilReady", () => {
  it("polls on the injected clock until every strategy is ready", async () => {
    const clock = fakeClock();
    const ready: string[] = [];
    await waitUntilReady([readyAfter(3), readyAfter(1)], running, {
      timeoutMs: 10_000,
      intervalMs: 100,
      clock,
      onReady: (n) => ready.push(n),
    });
    expect(ready).toEqual(["after1", "after3"]);
    expect(clock.slept).toBe(200);
  });

  it("times out reporting what it saw, the state and the last logs", async () => {
    const never: WaitStrategy = { name: "jupyter", check: async () => ({ ready: false, saw: "HTTP 503" }) };
    await expect(
      waitUntilReady([never], running, { timeoutMs: 1000, clock: fakeClock() }),
    ).rejects.toMatchObject({
      code: "E_NOT_READY",
      message: expect.stringMatching(/not ready after 1 s: jupyter: HTTP 503[\s\S]*still booting/),
    });
  });

  it("fails at once when the container stops", async () => {
    const stopped: WaitContext = {
      logs: async () => "boom",
      state: async () => ({ running: false, state: "exited", health: null }),
    };
    await expect(
      waitUntilReady([readyAfter(5)], stopped, { timeoutMs: 60_000, clock: fakeClock() }),
    ).rejects.toThrow(/container stopped \(exited\)/);
  });

  it("matches log lines and the engine's health status", async () => {
    const context: WaitContext = {
      logs: async () => "Jupyter Server 1.23.3 is running",
      state: async () => ({ running: true, state: "running", health: "healthy" }),
    };
    await waitUntilReady([Wait.forLogMessage("log", /is running/), Wait.forHealthCheck()], context, {
      timeoutMs: 1,
      clock: fakeClock(),
    });
  });

  it("checks a real HTTP endpoint with headers", async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.headers.authorization === "token good" ? 200 : 403;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}/api/status`;
    expect(await Wait.forHttp("j", url, { Authorization: "token good" }).check(running)).toMatchObject({
      ready: true,
    });
    expect(await Wait.forHttp("j", url, { Authorization: "token bad" }).check(running)).toEqual({
      ready: false,
      saw: `HTTP 403 from ${url}`,
    });
    server.close();
    expect((await Wait.forTcpBanner("ssh", "127.0.0.1", port, "SSH-2.0").check(running)).ready).toBe(false);
  });
});
