/**
 * The schema of torchstack.yaml: the one description of an environment that
 * resolve, render, build and up all read. Types are derived from it; nothing
 * read from the file is ever cast. Loading (with file/line errors) is in load-spec.ts.
 */
import { z } from "zod";
import { jobBlockSchema } from "./job-schema.js";
import { reservedEnvReason } from "./reserved-env.js";
import { platformSchema, targetsSchema } from "./targets-schema.js";

export const flavorSchema = z.enum(["runtime", "toolchain", "devel"]);
export type Flavor = z.infer<typeof flavorSchema>;

/** Where torch comes from: the official wheel indexes, or the OS's own `python3-torch` (CPU only). */
export const torchSourceSchema = z.enum(["wheels", "distro"]);
export type TorchSource = z.infer<typeof torchSourceSchema>;

/** `2.7`, `2.7.1`. */
export const torchVersionSchema = z
  .string()
  .regex(/^\d+\.\d+(\.\d+)?$/, "must be a torch version such as 2.7 or 2.7.1");
/** `auto` picks the best variant for the host; `cpu` forces CPU wheels; `X.Y` pins a CUDA variant. */
export const cudaRequestSchema = z.union([
  z.literal("auto"),
  z.literal("cpu"),
  z.string().regex(/^\d+\.\d+$/, "must be auto, cpu or a CUDA version such as 12.8"),
]);
export const pythonVersionSchema = z.string().regex(/^3\.\d+t?$/, "must be a Python version such as 3.12");

/** Base operating systems torchstack knows how to build on, or any image (`image:REF`). */
export const baseSchema = z.union([
  z.enum(["ubuntu-22.04", "ubuntu-24.04", "debian-12", "debian-13"]),
  z.string().regex(/^image:\S+$/, "must be ubuntu-22.04, ubuntu-24.04, debian-12, debian-13 or image:REF"),
]);

const portSchema = z.number().int().min(1).max(65535);

const appToggle = <T extends z.ZodRawShape>(shape: T) =>
  z.union([z.boolean(), z.object(shape).strict()]).optional();

export const appsSchema = z
  .object({
    jupyter: appToggle({ port: portSchema.optional(), lab: z.boolean().optional() }),
    ssh: appToggle({ port: portSchema.optional(), authorizedKeys: z.string().optional() }),
    tensorboard: appToggle({ port: portSchema.optional(), logdir: z.string().optional() }),
    vscode: appToggle({
      port: portSchema.optional(),
      /** sha256 of the code-server release tarball, when the catalog has none for it. */
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, "must be the 64 lowercase hex digits of a sha256")
        .optional(),
    }),
  })
  .strict();
export type AppsSpec = z.infer<typeof appsSchema>;

export const gpusSchema = z.union([
  z.literal("all"),
  z.literal("none"),
  z.number().int().min(0),
  z.string().regex(/^[\w.:-]+(,[\w.:/-]+)*$/, "must be all, none, a count, or indices/UUIDs such as 0,1"),
  z.array(z.union([z.string(), z.number().int().min(0)])),
]);

const sizeSchema = z.string().regex(/^\d+(\.\d+)?[kmgtKMGT]?[bB]?$/, "must be a size such as 8g or 512m");

export const mountSchema = z.union([
  z.string().min(1),
  z
    .object({
      source: z.string().min(1),
      target: z.string().startsWith("/"),
      readonly: z.boolean().optional(),
    })
    .strict(),
]);

export const runSchema = z
  .object({
    gpus: gpusSchema.optional(),
    shm: sizeSchema.optional(),
    ipc: z.enum(["host", "private", "shareable"]).optional(),
    memory: sizeSchema.optional(),
    cpus: z.number().positive().optional(),
    mounts: z.array(mountSchema).optional(),
    ports: z.record(z.string(), portSchema).optional(),
    /** Extra environment for the container; torchstack's own variables are refused (reserved-env.ts). */
    env: z
      .record(z.string(), z.string())
      .superRefine((env, ctx) => {
        for (const name of Object.keys(env)) {
          const reason = reservedEnvReason(name);
          if (reason) ctx.addIssue({ code: "custom", message: reason, path: [name] });
        }
      })
      .optional(),
    network: z.string().optional(),
  })
  .strict();
export type RunSpec = z.infer<typeof runSchema>;

export const userSchema = z
  .object({
    name: z.string().regex(/^[a-z_][a-z0-9_-]*$/, "must be a Unix user name such as dev"),
    uid: z.union([z.literal("auto"), z.number().int().min(0)]).optional(),
    gid: z.union([z.literal("auto"), z.number().int().min(0)]).optional(),
  })
  .strict();

export const packagesSchema = z
  .object({
    pip: z.array(z.string().min(1)).optional(),
    apt: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9+.:=~-]*$/, "must be a Debian/Ubuntu package name"))
      .optional(),
  })
  .strict();

/** Credentials never go here: put them in ~/.netrc or the index URL given by flag or environment. */
const indexUrlSchema = z
  .string()
  .url("must be an index URL such as https://pypi.org/simple")
  .refine(
    (url) => !/^[a-z+]+:\/\/[^/]*@/i.test(url),
    "must carry no credentials (they would land in the lock)",
  );

export const indexesSchema = z
  .object({
    /** The Python index every package comes from (PEP 503 simple API), default https://pypi.org/simple. */
    python: indexUrlSchema.optional(),
    /** The PyTorch index's base (variant folders under it), default https://download.pytorch.org/whl. */
    pytorch: indexUrlSchema.optional(),
    /**
     * Where uv downloads a standalone CPython when the base OS lacks the stack's Python: a mirror of
     * python-build-standalone's releases (uv's UV_PYTHON_INSTALL_MIRROR); default uv's own (GitHub).
     */
    cpython: indexUrlSchema.optional(),
  })
  .strict();

export const specSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, "must be lower-case letters, digits, '.', '_' or '-'"),
    extends: z.string().min(1).optional(),
    /** One line for the image's OCI description label. */
    description: z.string().max(500).optional(),
    /** Where the environment's source lives (OCI `org.opencontainers.image.source`), e.g. the project's git URL. */
    source: z.string().url("must be a URL such as https://github.com/me/project").optional(),
    torch: torchVersionSchema.optional(),
    cuda: cudaRequestSchema.optional(),
    python: pythonVersionSchema.optional(),
    flavor: flavorSchema.optional(),
    base: baseSchema.optional(),
    torchSource: torchSourceSchema.optional(),
    torchvision: z.boolean().optional(),
    torchaudio: z.boolean().optional(),
    gpu: z.string().optional(),
    /** Where the image must run (GPUs, driver floor); without it resolve and lock use the host. */
    targets: targetsSchema.optional(),
    /** CPU architecture of the image; default: the host's. */
    platform: platformSchema.optional(),
    packages: packagesSchema.optional(),
    /** Package indexes (a mirror, a company proxy): the Python index and the PyTorch index's base. */
    indexes: indexesSchema.optional(),
    apps: appsSchema.optional(),
    user: userSchema.optional(),
    run: runSchema.optional(),
    /** What each rank of a distributed job runs, and where (job render/check/run). */
    job: jobBlockSchema.optional(),
  })
  .strict();

/** A spec as written in the file (fields optional). */
export type Spec = z.infer<typeof specSchema>;
