/**
 * Zod schemas for the JSON the probe scripts print (src/probe/scripts/*.py).
 * The probes run in Pythons and containers we do not control, so their output
 * is untrusted: every document is parsed here before anything reads it, and a
 * mismatch becomes E_PROBE_OUTPUT instead of a crash further down.
 */
import { z } from "zod";

const nullableString = z.string().nullable();

export const migDeviceSchema = z.object({ profile: z.string(), index: z.number(), uuid: z.string() });

export const probeGpuSchema = z.object({
  index: z.number(),
  name: z.string(),
  uuid: nullableString,
  computeCapability: nullableString,
  memoryMiB: z.number().nullable(),
  migMode: nullableString,
  migDevices: z.array(migDeviceSchema),
});

export const hostSectionSchema = z.object({
  os: z.object({ name: z.string(), kernel: z.string(), arch: z.string(), inContainer: z.boolean() }),
  driver: z.object({
    version: nullableString,
    source: z.string(),
    cudaMax: nullableString,
    nvidiaSmi: nullableString,
    error: nullableString,
  }),
  gpus: z.array(probeGpuSchema),
  container: z.object({
    engines: z.array(z.object({ name: z.string(), path: z.string() })),
    nvidiaRuntimeConfigured: z.boolean(),
    nvidiaContainerToolkit: nullableString,
    cdiSpecs: z.array(z.string()),
  }),
  shm: z.object({
    path: z.string(),
    bytes: z.number().nullable(),
    freeBytes: z.number().nullable(),
    error: z.string().optional(),
  }),
});

export const torchFactsSchema = z.object({
  found: z.boolean(),
  version: nullableString,
  path: nullableString,
  cuda: nullableString,
  cudnn: z.union([z.number(), z.string()]).nullable(),
  nccl: z.union([z.number(), z.string()]).nullable(),
  archList: z.array(z.string()),
  cudaAvailable: z.boolean(),
  deviceCount: z.number(),
  devices: z.array(z.object({ index: z.number(), name: z.string(), capability: z.string() })),
  warnings: z.array(z.string()),
  error: nullableString,
  importMs: z.number().nullable(),
  /** false: facts read from torch's files without importing it (GPU-less host, no --full). */
  imported: z.boolean().optional(),
});

export const pythonSectionSchema = z.object({
  executable: z.string(),
  version: z.string(),
  torch: torchFactsSchema,
  torchvision: nullableString,
  torchaudio: nullableString,
  nvcc: z.object({ path: z.string(), version: nullableString }).nullable(),
  ldLibraryPath: z.array(z.object({ dir: z.string(), libs: z.array(z.string()) })),
  nvidiaPackages: z.array(z.object({ name: z.string(), version: z.string(), family: nullableString })),
  pipCheck: z.object({
    status: z.enum(["ok", "failed", "skipped"]),
    reason: nullableString,
    problems: z.array(z.string()),
  }),
});

export const doctorProbeSchema = z.object({
  probe: z.literal("doctor"),
  schema: z.literal(1),
  host: hostSectionSchema.nullable(),
  python: pythonSectionSchema.nullable(),
  elapsedMs: z.number(),
});

export const verifyCheckSchema = z.object({
  name: z.string(),
  status: z.enum(["pass", "fail", "skip"]),
  reason: z.string(),
  ms: z.number(),
});

export const verifyProbeSchema = z.object({
  probe: z.literal("verify"),
  schema: z.literal(1),
  ok: z.boolean(),
  checks: z.array(verifyCheckSchema),
  elapsedMs: z.number(),
});

export const benchResultSchema = z.looseObject({
  name: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  ms: z.number().nullable(),
  status: z.enum(["ok", "skip"]),
  reason: nullableString,
  precision: z.string().optional(),
  size: z.number().optional(),
});

export const benchProbeSchema = z.object({
  probe: z.literal("bench"),
  schema: z.literal(1),
  quick: z.boolean(),
  ok: z.boolean(),
  error: z.string().optional(),
  torch: z.string().optional(),
  torchCuda: nullableString.optional(),
  device: z.enum(["cpu", "cuda"]).optional(),
  cpuSized: z.boolean().optional(),
  threads: z.number().optional(),
  gpus: z.array(z.object({ index: z.number(), name: z.string(), capability: z.string() })).optional(),
  results: z.array(benchResultSchema).optional(),
  selfcheck: z
    .object({
      op: z.string(),
      rounds: z.number(),
      inner: z.number(),
      harnessMs: z.number(),
      handMs: z.number(),
      overheadPct: z.number(),
    })
    .optional(),
  telemetry: z
    .object({
      sampled: z.boolean(),
      reason: z.string().optional(),
      field: z.string().nullable().optional(),
      samples: z.array(z.record(z.string(), z.unknown())),
    })
    .optional(),
  elapsedMs: z.number().optional(),
});

export type ProbeGpu = z.infer<typeof probeGpuSchema>;
export type HostSection = z.infer<typeof hostSectionSchema>;
export type PythonSection = z.infer<typeof pythonSectionSchema>;
export type TorchFacts = z.infer<typeof torchFactsSchema>;
export type DoctorProbe = z.infer<typeof doctorProbeSchema>;
export type VerifyCheck = z.infer<typeof verifyCheckSchema>;
export type VerifyProbe = z.infer<typeof verifyProbeSchema>;
export type BenchResult = z.infer<typeof benchResultSchema>;
export type BenchProbe = z.infer<typeof benchProbeSchema>;

export const probeSchemas = { doctor: doctorProbeSchema, verify: verifyProbeSchema, bench: benchProbeSchema };
export type ProbeKind = keyof typeof probeSchemas;
