/**
 * The image's complete wheel set as the lock records it: every distribution the
 * image installs from a Python package index (torch, each nvidia-* and cuda-* wheel,
 * triton, numpy, the apps' and your packages, all their dependencies), each with
 * its exact version, the index it was resolved from, its file name and sha256, and
 * the image layer that installs it. Absent from a lock written `--offline`.
 */
import { z } from "zod";

/**
 * Which Dockerfile layer installs a wheel: the installer (uv, which installs the rest), torch and its
 * closure, the apps, or your packages.
 */
export const wheelLayerSchema = z.enum(["installer", "torch", "apps", "pip"]);
export type WheelLayer = z.infer<typeof wheelLayerSchema>;

export const lockedWheelSchema = z
  .object({
    /** Normalized distribution name (PEP 503): "nvidia-cudnn-cu12". */
    name: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    version: z.string().min(1),
    /** The index it was resolved from (never with credentials). */
    index: z.string().url(),
    /** The wheel's file name: its tags say which Python and platform it is for. */
    file: z.string().regex(/\.whl$/),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    layer: wheelLayerSchema,
  })
  .strict();
export type LockedWheel = z.infer<typeof lockedWheelSchema>;

export const wheelSetSchema = z
  .object({
    /** What resolved it, with its version: "pip 25.1 install --dry-run --report". */
    resolver: z.string(),
    /** The CPython version and platform tags the set was resolved for. */
    python: z.string(),
    platforms: z.array(z.string()).min(1),
    /** The Python index (every package but torch's own when those come from the PyTorch index). */
    pythonIndex: z.string().url(),
    /** The PyTorch index, when torch, torchvision and torchaudio come from it; null when from the Python index. */
    torchIndex: z.string().url().nullable(),
    wheels: z.array(lockedWheelSchema).min(1),
  })
  .strict();
export type WheelSet = z.infer<typeof wheelSetSchema>;
