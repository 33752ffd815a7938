import { describe, expect, it } from "vitest";
import { hostAllowed, newToken } from "../../../../src/monitor/dashboard/auth.js";
import { benchView, doctorView } from "../../../../src/monitor/dashboard/latest-results.js";
import { dashboardToken } from "../../../../src/monitor/dashboard/run-dashboard.js";

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

describe("latest doctor/bench results", () => {
  it("reduces doctor findings to code, message and fixes without trusting their shape", () => {
    const doctor = doctorView(
      {
        savedAt: "2025-06-02T10:00:00Z",
        findings: [
          { code: "E_SHM_SMALL", severity: "warning", message: "/dev/shm is 64 MiB", fix: ["--ipc=host"] },
          "junk",
        ],
      },
      "2025-06-03T00:00:00Z",
    );
    expect(doctor).toEqual({
      time: "2025-06-02T10:00:00Z",
      findings: [
        { code: "E_SHM_SMALL", severity: "warning", message: "/dev/shm is 64 MiB", fix: ["--ipc=host"] },
      ],
    });
    expect(doctorView([1, 2], null)).toBeNull();
  });

  it("turns bench results into bars against the datasheet peak, skipping figures without a value", () => {
    const bench = benchView(
      {
        ok: true,
        gpu: { name: "NVIDIA H100 80GB HBM3", catalog: "H100 SXM5 80GB" },
        results: [
          { name: "matmul", precision: "bf16", unit: "TFLOPS", value: 612.5, peak: 989, fraction: 0.6193 },
          { name: "memory_bandwidth", unit: "GB/s", value: 2900, peak: 3350 },
          { name: "h2d", unit: "GB/s", value: null, status: "skip", reason: "no GPU" },
        ],
      },
      "2025-06-03T00:00:00Z",
    );
    expect(bench?.time).toBe("2025-06-03T00:00:00Z");
    expect(bench?.gpu).toBe("H100 SXM5 80GB");
    expect(bench?.bars).toEqual([
      { label: "matmul bf16", value: 612.5, unit: "TFLOPS", peak: 989, fraction: 0.6193 },
      { label: "memory bandwidth", value: 2900, unit: "GB/s", peak: 3350, fraction: 2900 / 3350 },
    ]);
  });
});
