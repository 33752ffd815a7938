import { describe, expect, it } from "vitest";
import { hostAllowed, newToken } from "../../src/monitor/dashboard/auth.js";
import { summarizeResult } from "../../src/monitor/dashboard/latest-results.js";
import { dashboardToken } from "../../src/monitor/dashboard/run-dashboard.js";

describe("dashboard auth helpers", () => {
  it("accepts only loopback Host headers with our port", () => {
    expect(hostAllowed("127.0.0.1:9401", 9401)).toBe(true);
    expect(hostAllowed("localhost:9401", 9401)).toBe(true);
    expect(hostAllowed("[::1]:9401", 9401)).toBe(true);
    expect(hostAllowed("127.0.0.1:9402", 9401)).toBe(false);
    expect(hostAllowed("attacker.example:9401", 9401)).toBe(false);
    expect(hostAllowed("127.0.0.1.attacker.example:9401", 9401)).toBe(false);
    expect(hostAllowed(undefined, 9401)).toBe(false);
  });

  it("makes 256-bit URL-safe tokens and validates a fixed one", () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
    expect(dashboardToken({})).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(dashboardToken({ TORCHSTACK_DASHBOARD_TOKEN: "x".repeat(30) })).toBe("x".repeat(30));
    expect(() => dashboardToken({ TORCHSTACK_DASHBOARD_TOKEN: "short" })).toThrow(/at least 24/);
  });
});

describe("latest doctor/bench summaries", () => {
  it("reduces doctor and bench documents to rows without trusting their shape", () => {
    const doctor = summarizeResult("doctor", "/x/latest.json", {
      savedAt: "2025-06-02T10:00:00Z",
      findings: [
        { code: "E_SHM_SMALL", severity: "warn", message: "/dev/shm is 64 MB", fix: ["--ipc=host"] },
        "junk",
      ],
    });
    expect(doctor?.time).toBe("2025-06-02T10:00:00Z");
    expect(doctor?.rows).toEqual([{ label: "E_SHM_SMALL", status: "warn", detail: "/dev/shm is 64 MB" }]);
    const bench = summarizeResult("bench", "/x/latest.json", {
      ok: true,
      results: [
        { name: "matmul", precision: "bf16", unit: "TFLOP/s", value: 612.5, status: "ok", fraction: 0.62 },
        { name: "h2d", unit: "GB/s", value: null, status: "skip", reason: "no GPU" },
      ],
    });
    expect(bench?.rows).toEqual([
      { label: "matmul bf16", status: "ok", detail: "612.5 TFLOP/s (62% of peak)" },
      { label: "h2d", status: "skip", detail: "no GPU" },
    ]);
    expect(summarizeResult("doctor", "/x", [1, 2])).toBeNull();
  });
});
