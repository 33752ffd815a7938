/**
 * A synthesized bench probe document for the probe tests (not recorded on a
 * GPU: field values only exercise the arithmetic), shared by the annotate and
 * the bench --compare tests. `extra` adds results and top-level fields.
 */
export function benchDoc(
  tflops: number,
  bandwidth: number,
  extra: { results?: unknown[]; telemetry?: unknown } = {},
): Record<string, unknown> {
  const { results = [], ...rest } = extra;
  return {
    probe: "bench",
    schema: 1,
    quick: true,
    ok: true,
    torch: "2.8.0+cu128",
    device: "cuda",
    cpuSized: false,
    gpus: [{ index: 0, name: "NVIDIA H100 80GB HBM3", capability: "9.0" }],
    results: [
      {
        name: "matmul",
        unit: "TFLOPS",
        value: tflops,
        ms: 1,
        status: "ok",
        reason: null,
        precision: "bf16",
        size: 4096,
      },
      { name: "memory_bandwidth", unit: "GB/s", value: bandwidth, ms: 1, status: "ok", reason: null },
      ...results,
    ],
    ...rest,
  };
}
