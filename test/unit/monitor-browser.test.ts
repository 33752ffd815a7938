/**
 * The dashboard in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core): load the tokenised URL, wait for the SSE-driven charts to draw,
 * screenshot the page and check the pixels. Skipped only when Chromium is missing.
 * TORCHSTACK_UPDATE_SCREENSHOT=1 also copies the screenshot to docs/dashboard.png.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, startDashboard } from "../../src/monitor/dashboard/server.js";
import { Monitor } from "../../src/monitor/monitor.js";
import { scenarioEnv } from "./monitor-fixtures.js";
import { countColour, distinctColours, readPng } from "./monitor-png.js";

const CHROMIUM = "/usr/bin/chromium";
const CHART_COLOURS = { utilization: "#16a34a", memory: "#2563eb", power: "#d97706", temperature: "#dc2626" };

describe.skipIf(!existsSync(CHROMIUM))("dashboard in headless Chromium", () => {
  let monitor: Monitor;
  let dashboard: Dashboard;
  let browser: Browser;
  const out = mkdtempSync(join(tmpdir(), "ts-dashboard-"));

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const env = scenarioEnv("h100x8", { TORCHSTACK_STATE_DIR: out });
    monitor = new Monitor({ env, intervalMs: 250 });
    await monitor.start();
    dashboard = await startDashboard({
      monitor,
      env,
      host: "127.0.0.1",
      port: 0,
      token: "browser-token-0123456789abcdefghijklmn",
    });
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    monitor?.stop();
  });

  it("draws live charts from SSE and the screenshot shows them", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await page.goto(dashboard.url);
      expect(new URL(page.url()).searchParams.get("token")).toBeNull();
      await page.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });
      await page.waitForFunction(
        () => Number(document.body.getAttribute("data-ticks") ?? "0") >= 4,
        undefined,
        {
          timeout: 15_000,
        },
      );
      expect(await page.locator("section.gpu").count()).toBe(8);
      expect(await page.locator("section.gpu polyline.line").count()).toBeGreaterThanOrEqual(32);
      expect(await page.locator("#processes").textContent()).toContain("python3 train.py, resumed");
      const file = join(out, "dashboard.png");
      await page.screenshot({ path: file, fullPage: false });
      if (process.env.TORCHSTACK_UPDATE_SCREENSHOT === "1") copyFileSync(file, join("docs", "dashboard.png"));
      expect(errors).toEqual([]);
      const png = readPng(readFileSync(file));
      expect([png.width, png.height]).toEqual([1400, 1000]);
      expect(distinctColours(png)).toBeGreaterThan(50);
      for (const colour of Object.values(CHART_COLOURS))
        expect(countColour(png, colour)).toBeGreaterThan(100);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("shows the honest empty state when there is no driver", async () => {
    const env = { PATH: "/nonexistent", TORCHSTACK_STATE_DIR: out };
    const empty = new Monitor({ env, intervalMs: 250 });
    await empty.start();
    const server = await startDashboard({
      monitor: empty,
      env,
      host: "127.0.0.1",
      port: 0,
      token: "empty-token-0123456789abcdefghijklmnop",
    });
    const page = await browser.newPage();
    try {
      await page.goto(server.url);
      await page.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });
      expect(await page.locator("#gpus").textContent()).toContain("no NVIDIA driver found on this host");
      expect(await page.locator("section.gpu").count()).toBe(0);
      expect(await page.locator("polyline").count()).toBe(0);
    } finally {
      await page.close();
      await server.close();
      empty.stop();
    }
  }, 60_000);
});
