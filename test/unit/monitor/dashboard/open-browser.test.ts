/**
 * `dashboard` with a display opens the browser on a one-time URL: the token never reaches xdg-open's (and
 * so the browser's) argv, which every local user can read with `ps`. A stand-in xdg-open records its argv.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runDashboard } from "../../../../src/monitor/dashboard/run-dashboard.js";
import { scenarioEnv } from "../monitor-fixtures.js";

const TOKEN = "open-browser-token-abcdefghijklmnopqrstuvwxyz";
const dir = mkdtempSync(join(tmpdir(), "ts-open-browser-"));
const recorded = join(dir, "argv");
const savedPath = process.env.PATH;

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const parsed = new URL(url);
    request({ host: "127.0.0.1", port: parsed.port, path: `${parsed.pathname}${parsed.search}` }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}

afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(dir, { recursive: true, force: true });
});

describe("dashboard opening a browser", () => {
  it("passes a one-time code, not the token, and the code opens the page once", async () => {
    writeFileSync(
      join(dir, "xdg-open"),
      `#!/bin/sh\nprintf '%s' "$*" > ${recorded}.tmp && mv ${recorded}.tmp ${recorded}\n`,
      { mode: 0o755 },
    );
    process.env.PATH = `${dir}:${savedPath}`;
    const controller = new AbortController();
    const stdout = new PassThrough();
    const running = runDashboard({
      env: scenarioEnv("h100x8", {
        TORCHSTACK_DASHBOARD_TOKEN: TOKEN,
        TORCHSTACK_STATE_DIR: join(dir, "state"),
      }),
      host: "127.0.0.1",
      port: 0,
      intervalMs: 200,
      json: false,
      open: true,
      stdout,
      signal: controller.signal,
      step: () => {},
    });
    try {
      for (let i = 0; i < 100 && !existsSync(recorded); i += 1)
        await new Promise((done) => setTimeout(done, 50));
      const opened = readFileSync(recorded, "utf8");
      expect(opened).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[\w-]+$/);
      expect(opened).not.toContain(TOKEN);
      expect(await status(opened)).toBe(303);
      expect(await status(opened)).toBe(403);
    } finally {
      controller.abort();
      await running;
    }
  });
});
