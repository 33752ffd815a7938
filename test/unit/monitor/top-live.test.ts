import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Monitor } from "../../../src/monitor/monitor.js";
import { runLiveTop } from "../../../src/monitor/top-live.js";
import { scenarioEnv } from "./monitor-fixtures.js";

function capture(tty: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY: tty, columns: 90 });
  let text = "";
  stream.on("data", (c: Buffer) => {
    text += c.toString("utf8");
  });
  return { stream, read: () => text };
}

describe("live top", () => {
  it("prints plain frames when not a TTY and stops on abort", async () => {
    const out = capture(false);
    const controller = new AbortController();
    const monitor = new Monitor({ env: scenarioEnv("v100x2-r418"), intervalMs: 100 });
    const running = runLiveTop({
      monitor,
      stdout: out.stream,
      signal: controller.signal,
      color: false,
      width: 80,
    });
    await new Promise((r) => setTimeout(r, 800));
    controller.abort();
    await running;
    const frames = out.read().split("torchstack top").length - 1;
    expect(frames).toBeGreaterThanOrEqual(3);
    expect(out.read()).not.toContain("\u001b[");
    expect(monitor.latest()).toBeDefined();
  });

  it("uses the alternate screen on a TTY, quits on q and restores the terminal", async () => {
    const out = capture(true);
    const raw: boolean[] = [];
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: (on: boolean) => {
        raw.push(on);
      },
    });
    const monitor = new Monitor({ env: scenarioEnv("h100x8"), intervalMs: 100 });
    const running = runLiveTop({
      monitor,
      stdout: out.stream,
      stdin,
      signal: new AbortController().signal,
      color: true,
      width: 80,
    });
    await new Promise((r) => setTimeout(r, 600));
    stdin.write("q");
    await running;
    const text = out.read();
    expect(text.startsWith("\u001b[?1049h")).toBe(true);
    expect(text.endsWith("\u001b[?25h\u001b[?1049l")).toBe(true);
    expect(raw).toEqual([true, false]);
  });

  it("prints the no-driver state once and returns without touching the terminal mode", async () => {
    const out = capture(true);
    const monitor = new Monitor({ env: { PATH: "/nonexistent" }, intervalMs: 100 });
    await runLiveTop({
      monitor,
      stdout: out.stream,
      signal: new AbortController().signal,
      color: false,
      width: 80,
    });
    expect(out.read()).toContain("no NVIDIA driver found on this host");
    expect(out.read()).not.toContain("\u001b[?1049h");
  });
});
