/**
 * The shape of torchstack.lock: everything a build needs to be repeatable —
 * the resolved stack, the base image and its digest, every pin (torch, user
 * packages, app packages), apps, flavor and user. Read back through this schema,
 * never cast. `lockVersion` changes only with an incompatible shape. Strings that
 * reach the Dockerfile are checked for what they are (lock-strings.ts).
 */
import { z } from "zod";
import { flavorSchema, torchSourceSchema } from "../spec/schema.js";
import { platformSchema } from "../spec/targets-schema.js";
import {
  digestSchema,
  ociReferenceSchema,
  plainUrlSchema,
  sha256HexSchema,
  unixUserSchema,
  versionText,
} from "./lock-strings.js";
import { wheelSetSchema } from "./wheels/wheel-set-schema.js";

export const stackSchema = z
  .object({
    torch: versionText,
    wheel: versionText,
    cuda: versionText.nullable(),
    cudnn: versionText.nullable(),
    nccl: versionText.nullable(),
    python: versionText,
    torchvision: versionText.nullable(),
    torchaudio: versionText.nullable(),
    minDriver: versionText.nullable(),
    archList: z.array(versionText),
  })
  .strict();

export const pinSchema = z
  .object({
    name: z.string().min(1),
    /** Exact version; null when the spec leaves it open (the build takes the newest). */
    version: z.string().nullable(),
    manager: z.enum(["pip", "apt", "download"]),
    /** What is installed, exactly as passed to pip/apt: "torch==2.7.1", "python3-torch=1.13.1+dfsg-4", "pandas". */
    requirement: z.string().min(1),
    url: plainUrlSchema.optional(),
    sha256: sha256HexSchema.nullable().optional(),
  })
  .strict();
export type Pin = z.infer<typeof pinSchema>;

const appLockSchema = z
  .object({
    port: z.number().int().min(1).max(65535),
    ui: z.enum(["lab", "notebook", "server"]).optional(),
    /** TensorBoard's log directory inside the container. */
    logdir: z.string().optional(),
  })
  .strict();

/** The targets a lock was resolved for; `lock --check`, `build` and `up` re-resolve for these, never for the host. */
export const resolvedForSchema = z
  .object({
    source: z.enum(["targets", "host", "none"]),
    platform: platformSchema,
    gpus: z.array(z.object({ label: z.string(), computeCapability: z.string().nullable() }).strict()),
    /** A driver version, "none" (the host had no driver), or null (not checked). */
    driver: z.string().nullable(),
  })
  .strict();

export const lockSchema = z
  .object({
    lockVersion: z.literal(1),
    name: z.string(),
    description: z.string().optional(),
    source: z.string().optional(),
    /** sha256 of the normalized (extends-merged, canonical JSON) spec: "sha256:…". */
    specHash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
    torchSource: torchSourceSchema,
    flavor: flavorSchema,
    /** CPU architecture of the image (absent in locks written before platforms: x86_64). */
    platform: platformSchema.optional(),
    stack: stackSchema,
    /** What the stack was resolved for: the spec's targets, or the host that locked (see resolvedForSchema). */
    resolvedFor: resolvedForSchema.optional(),
    base: z
      .object({
        /** "ubuntu-24.04", "debian-12", or "image" for image:REF. */
        os: z.string(),
        ref: ociReferenceSchema,
        /** "sha256:…" when a registry was reachable at lock time; null otherwise. */
        digest: digestSchema.nullable(),
      })
      .strict(),
    /** The PyTorch wheel index of the variant; null for distro torch. */
    indexUrl: plainUrlSchema.nullable(),
    pins: z
      .object({
        torch: z.array(pinSchema),
        pip: z.array(pinSchema),
        apt: z.array(pinSchema),
        apps: z.array(pinSchema),
      })
      .strict(),
    apps: z
      .object({
        jupyter: appLockSchema.optional(),
        ssh: appLockSchema.optional(),
        tensorboard: appLockSchema.optional(),
        vscode: appLockSchema.optional(),
      })
      .strict(),
    user: z
      .object({ name: unixUserSchema, uid: z.number().int().min(0), gid: z.number().int().min(0) })
      .strict(),
    /**
     * The built image's complete inventory (every dpkg and pip package), in the file beside the lock:
     * written by `build`; a rebuild installs exactly those versions. Like `images`, it does not change the lock tag.
     */
    inventory: z
      .object({
        /** File name beside the lock: "torchstack.inventory.json". */
        file: z.string().min(1),
        /** sha256 of the inventory's contents (see inventoryDigest). */
        digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
        /** The image ID it was read from. */
        imageId: z.string(),
        dpkgPackages: z.number().int().min(0),
        pipDistributions: z.number().int().min(0),
      })
      .strict()
      .optional(),
    /** Every wheel the image installs, by sha256 (see wheel-set-schema.ts); absent when locked `--offline`. */
    wheels: wheelSetSchema.optional(),
    /** Where `build --push` put the image: each pushed reference with its manifest digest. */
    images: z.array(z.object({ ref: ociReferenceSchema, digest: z.string() }).strict()).optional(),
  })
  .strict();

export type LockFile = z.infer<typeof lockSchema>;
