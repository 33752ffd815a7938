/**
 * The dashboard in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core), fed by the replayed nvidia-smi scenarios (8 × H100, 4 × A100
 * with MIG, 16 GPUs), the recorded jobs fixture and saved bench and doctor results.
 * At 1400×1000 and 800×1000 every GPU's index and utilisation must sit inside the
 * first viewport, with no horizontal overflow; the failed job's root-cause rank
 * must be visible without scrolling at 1400. Skipped only when Chromium is missing.
 * TORCHSTACK_UPDATE_SCREENSHOT=1 copies the screenshots to docs/images/ (the README and
 * docs/monitoring.md show them from there).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, startDashboard } from "../../../../src/monitor/dashboard/server.js";
import { Monitor } from "../../../../src/monitor/monitor.js";
import { fixtureEnviron, fixtureJobs } from "../jobs/jobs-fixture.js";
import { scenarioEnv, sixteenGpuScenario } from "../monitor-fixtures.js";
import { countColour, distinctColours, readPng } from "./png.js";

const CHROMIUM = "/usr/bin/chromium";
const CHART_COLOURS = { utilization: "#16a34a", memory: "#2563eb", power: "#d97706", temperature: "#dc2626" };
const UNROUNDED = 0.004423699788617383;

/** Saved results in the state folder, as `bench` and `doctor` write them (synthesized values). */
function writeResults(state: string): void {
  mkdirSync(join(state, "bench"), { recursive: true });
  mkdirSync(join(state, "doctor"), { recursive: true });
  writeFileSync(
    join(state, "bench", "latest.json"),
    JSON.stringify({
      ok: true,
      gpu: { name: "NVIDIA H100 80GB HBM3", catalog: "H100 SXM5 80GB" },
      results: [
        { name: "matmul", precision: "bf16", unit: "TFLOPS", value: 612.4412, peak: 989, fraction: 0.61925 },
        {
          name: "matmul",
          precision: "fp32",
          unit: "TFLOPS",
          value: UNROUNDED,
          peak: 67,
          fraction: UNROUNDED / 67,
        },
        { name: "memory_bandwidth", unit: "GB/s", value: 2871.3, peak: 3350, fraction: 0.857 },
      ],
    }),
  );
  writeFileSync(
    join(state, "doctor", "latest.json"),
    JSON.stringify({
      savedAt: "2025-06-02T10:00:00Z",
      findings: [
        {
          code: "E_SHM_SMALL",
          severity: "warning",
          message: "/dev/shm is 64 MiB (under 1 GiB): DataLoader workers fail with a Bus error.",
          fix: ["restart the container with --shm-size=8g (or --ipc=host)"],
        },
      ],
    }),
  );
}

interface Served {
  monitor: Monitor;
  dashboard: Dashboard;
}

async function serve(scenario: string, state: string): Promise<Served> {
  const env = scenarioEnv(scenario, { TORCHSTACK_STATE_DIR: state });
  const monitor = new Monitor({ env, intervalMs: 250 });
  await monitor.start();
  const dashboard = await startDashboard({
    monitor,
    env,
    host: "127.0.0.1",
    port: 0,
    token: "browser-token-0123456789abcdefghijklmn",
    hostname: "gpu-box",
    jobs: fixtureJobs(),
    readEnviron: fixtureEnviron(),
  });
  return { monitor, dashboard };
}

async function open(browser: Browser, url: string, width: number, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });
  await page.waitForFunction(() => Number(document.body.dataset.ticks ?? "0") >= 3, undefined, {
    timeout: 15_000,
  });
  return page;
}

/** Index and utilisation cells of every GPU row that do not lie inside the first viewport. */
function outsideFirstScreen(page: Page, width: number) {
  return page.evaluate((w) => {
    const out: string[] = [];
    for (const row of Array.from(document.querySelectorAll<HTMLElement>(".gpu-row[data-gpu]"))) {
      for (const cell of [row.querySelector(".idx"), row.querySelector(".util .val")]) {
        const box = cell?.getBoundingClientRect();
        if (!box || box.width === 0 || box.bottom > 1000 || box.right > w || box.left < 0)
          out.push(`GPU ${row.dataset.gpu}: ${cell?.className ?? "missing"} at ${JSON.stringify(box)}`);
      }
    }
    return out;
  }, width);
}

function horizontalOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

function keep(file: string, name: string): void {
  if (process.env.TORCHSTACK_UPDATE_SCREENSHOT === "1") copyFileSync(file, join("docs", "images", name));
}

describe.skipIf(!existsSync(CHROMIUM))("dashboard in headless Chromium", () => {
  let browser: Browser;
  const out = mkdtempSync(join(tmpdir(), "ts-dashboard-"));
  const state = join(out, "state");

  beforeAll(async () => {
    writeResults(state);
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
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("8 GPUs: every GPU, the jobs with the failed job's root-cause rank, processes and hints on the first screen", async () => {
    const { monitor, dashboard } = await serve("h100x8", state);
    try {
      for (const width of [1400, 800]) {
        const errors: string[] = [];
        const page = await open(browser, dashboard.url, width, errors);
        expect(new URL(page.url()).searchParams.get("token")).toBeNull();
        expect(await page.locator(".gpu-row[data-gpu]").count()).toBe(8);
        expect(await outsideFirstScreen(page, width)).toEqual([]);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        const file = join(out, `h100x8-${width}.png`);
        await page.screenshot({ path: file });
        keep(file, `dashboard-h100x8-${width}.png`);
        if (width === 1400) keep(file, "dashboard.png");
        // the jobs panel, fed by the recorded job status / diagnose documents
        const failed = page.locator('.job[data-state="failed"]');
        expect(await failed.locator(".root-cause .cause").textContent()).toBe(
          "root cause: rank 2 on gpu-a02, exit -9 · E_PROCESS_KILLED",
        );
        expect(await failed.locator(".rank.root").textContent()).toBe("r2");
        expect(await page.locator('.job[data-state="pending"] .reason').textContent()).toContain(
          "Insufficient nvidia.com/gpu",
        );
        if (width === 1400) {
          const cause = await failed.locator(".root-cause .cause").boundingBox();
          expect((cause?.y ?? 2000) + (cause?.height ?? 0)).toBeLessThanOrEqual(1000);
        }
        // processes by GPU number, UUID on hover, with the job and rank from the process environment
        const first = page.locator("table.processes tbody tr").first();
        expect(await first.locator(".gpu-number").textContent()).toBe("0");
        expect(await first.locator(".gpu-number").getAttribute("title")).toMatch(/^GPU-3f1c0a00/);
        expect(await first.textContent()).toContain("finetune-local-21 · rank 0");
        expect(await page.locator("#processes").textContent()).toContain("python3 train.py, resumed");
        // the hints strip sits at the top and carries the host-wide /dev/shm hint
        const hints = await page.locator("#hints").boundingBox();
        expect(hints?.y ?? 1000).toBeLessThan(120);
        expect(await page.locator("#hints").textContent()).toContain("/dev/shm is 64 MiB");
        // results as pictures, every figure to 3 significant figures
        expect(await page.locator("#bench ul.bars li").count()).toBe(3);
        const benchText = (await page.locator("#bench").textContent()) ?? "";
        expect(benchText).toContain("0.00442 TFLOPS of 67 TFLOPS");
        expect(benchText).toContain("612 TFLOPS of 989 TFLOPS · 61.9%");
        expect(await page.locator("body").textContent()).not.toContain(String(UNROUNDED));
        expect(await page.locator("#doctor .finding").first().textContent()).toContain("--shm-size=8g");
        expect(errors).toEqual([]);
        await page.close();
      }
      // a phone-sized window still has no sideways scrolling
      const narrow = await open(browser, dashboard.url, 360, []);
      expect(await horizontalOverflow(narrow)).toBeLessThanOrEqual(0);
      await narrow.close();
    } finally {
      await dashboard.close();
      monitor.stop();
    }
  }, 90_000);

  it("opens a GPU's detailed charts on click and draws them from the live stream", async () => {
    const { monitor, dashboard } = await serve("h100x8", state);
    const errors: string[] = [];
    const page = await open(browser, dashboard.url, 1400, errors);
    try {
      expect(await page.locator(".detail").count()).toBe(0);
      await page.click('.gpu-row[data-gpu="0"]');
      expect(await page.locator('.gpu-row[data-gpu="0"]').getAttribute("aria-expanded")).toBe("true");
      const before = Number(await page.evaluate(() => document.body.dataset.ticks));
      await page.waitForFunction((n) => Number(document.body.dataset.ticks) >= n + 3, before);
      expect(await page.locator(".detail figure.chart").count()).toBe(4);
      expect(await page.locator(".detail polyline.line").count()).toBeGreaterThanOrEqual(4);
      const file = join(out, "h100x8-1400-open.png");
      await page.screenshot({ path: file });
      keep(file, "dashboard-h100x8-1400-open.png");
      const png = readPng(readFileSync(file));
      expect([png.width, png.height]).toEqual([1400, 1000]);
      expect(distinctColours(png)).toBeGreaterThan(50);
      for (const colour of Object.values(CHART_COLOURS))
        expect(countColour(png, colour)).toBeGreaterThan(100);
      await page.keyboard.press("Enter"); // the row keeps focus: Enter closes it again
      expect(await page.locator(".detail").count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await dashboard.close();
      monitor.stop();
    }
  }, 60_000);

  it("MIG: instances sit under their parent GPU, and processes on them are numbered GPU.instance", async () => {
    const { monitor, dashboard } = await serve("a100x4-mig-r470", state);
    try {
      for (const width of [1400, 800]) {
        const errors: string[] = [];
        const page = await open(browser, dashboard.url, width, errors);
        expect(await outsideFirstScreen(page, width)).toEqual([]);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        const order = await page.evaluate(() =>
          Array.from(
            document.querySelectorAll<HTMLElement>("#gpus > .gpu-row[data-gpu], #gpus > .mig-row"),
          ).map((n) => `${n.classList.contains("mig-row") ? "mig" : "gpu"}${n.dataset.gpu}`),
        );
        expect(order).toEqual(["gpu0", "mig0", "mig0", "mig0", "mig0", "gpu1", "gpu2", "gpu3"]);
        expect(await page.locator(".mig-row").first().textContent()).toContain(
          "MIG 1g.20gb · device 0 · 1 process",
        );
        expect(await page.locator("table.processes .gpu-number").first().textContent()).toBe("0.0");
        const file = join(out, `a100x4-mig-${width}.png`);
        await page.screenshot({ path: file });
        keep(file, `dashboard-a100x4-mig-${width}.png`);
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await dashboard.close();
      monitor.stop();
    }
  }, 90_000);

  it("16 GPUs switch to the dense layout and still fit the first screen", async () => {
    const scenario = sixteenGpuScenario(mkdtempSync(join(tmpdir(), "ts-16gpu-")));
    const { monitor, dashboard } = await serve(scenario, state);
    try {
      for (const width of [1400, 800]) {
        const page = await open(browser, dashboard.url, width, []);
        expect(await page.locator(".gpu-row[data-gpu]").count()).toBe(16);
        expect(await page.locator("#gpus.dense").count()).toBe(1);
        expect(await outsideFirstScreen(page, width)).toEqual([]);
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        const file = join(out, `h100x16-${width}.png`);
        await page.screenshot({ path: file });
        keep(file, `dashboard-h100x16-${width}.png`);
        await page.close();
      }
    } finally {
      await dashboard.close();
      monitor.stop();
    }
  }, 90_000);

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
      expect(await page.locator(".gpu-row[data-gpu]").count()).toBe(0);
      expect(await page.locator("polyline, path.sparkline").count()).toBe(0);
      expect(await page.locator("#jobs").textContent()).toContain("No torchstack jobs");
    } finally {
      await page.close();
      await server.close();
      empty.stop();
    }
  }, 60_000);
});
