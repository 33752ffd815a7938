/**
 * The overlay file `catalog update` writes: facts read from a wheel index, one
 * entry per torch release, with the index and the date they were read. Raw
 * index facts only; merge-overlay.ts turns them into catalog rows (and infers
 * what the index cannot say, such as compiled architecture lists).
 */
import { z } from "zod";

export const OVERLAY_SCHEMA_VERSION = 1;

const version = z.string().regex(/^\d+\.\d+\.\d+$/);
const pin = z.string().min(1).nullable();

export const IndexVariantSchema = z.object({
  /** "cpu" or "cu128": the wheel's local version. */
  wheel: z.string().regex(/^(cpu|cu\d{3})$/),
  /** CPython versions with a wheel: "3.12", free-threaded "3.13t". */
  pythons: z.array(z.string().regex(/^3\.\d+t?$/)),
  platforms: z.array(z.enum(["x86_64", "aarch64"])),
  cudnn: pin,
  nccl: pin,
  cudaRuntime: pin,
  triton: pin,
  requiresPython: pin,
  /** The wheel whose metadata gave the pins. */
  metadataFrom: z.string().nullable(),
  /** cuSPARSELt and NVSHMEM pins (PyPI source; absent in overlays written before it). */
  cusparselt: pin.optional(),
  nvshmem: pin.optional(),
  /** The URL of the wheel whose metadata gave the pins (PyPI source). */
  metadataUrl: z.string().optional(),
});
export type IndexVariant = z.infer<typeof IndexVariantSchema>;

export const IndexReleaseSchema = z.object({
  version,
  variants: z.array(IndexVariantSchema).min(1),
  /** The variant of the wheel without a local version (what PyPI serves), when the index has one. */
  pypiDefault: z.string().nullable(),
  torchvision: version.nullable(),
  torchaudio: version.nullable(),
  /** CPython versions with torch wheels but no wheel of the paired torchvision (2.14's 3.15 preview). */
  torchOnlyPython: z.array(z.string().regex(/^3\.\d+t?$/)).optional(),
});
export type IndexRelease = z.infer<typeof IndexReleaseSchema>;

export const OverlaySchema = z.object({
  schema: z.literal(OVERLAY_SCHEMA_VERSION),
  /** Base URL of the wheel index ("https://download.pytorch.org/whl"). */
  index: z.string().min(1),
  /** ISO date-time the pages were read. */
  fetchedAt: z.string().datetime(),
  releases: z.array(IndexReleaseSchema),
  /**
   * Each source read and its outcome (absent in overlays written before PyPI was a source). A
   * source that was unreachable keeps the releases it gave last time, so no update leaves half a
   * catalog; `releases` is what the sources say together.
   */
  sources: z
    .array(
      z.object({
        id: z.enum(["pytorch-index", "pypi"]),
        url: z.string(),
        outcome: z.enum(["read", "unchanged", "unreachable"]),
        reason: z.string().optional(),
        /** When this source's facts were read (the last successful read for an unreachable one). */
        readAt: z.string().nullable(),
        releases: z.array(IndexReleaseSchema),
      }),
    )
    .optional(),
});
export type Overlay = z.infer<typeof OverlaySchema>;
