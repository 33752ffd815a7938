/**
 * The shape of an image's inventory: every dpkg package (name, version,
 * architecture) and every Python distribution (normalized name, version, venv
 * or system site folders) inside it, plus the image it was read from. Written
 * beside the lock (`torchstack.inventory.json`), which names it with its digest;
 * read back through this schema, never cast.
 */
import { z } from "zod";

export const dpkgEntrySchema = z
  .object({ name: z.string().min(1), version: z.string().min(1), arch: z.string().min(1) })
  .strict();
export type DpkgEntry = z.infer<typeof dpkgEntrySchema>;

export const pipEntrySchema = z
  .object({
    /** PEP 503 normalized: "jupyter-server". */
    name: z.string().min(1),
    version: z.string().min(1),
    /** venv: installed by pip into /opt/venv; system: the OS's site folders (apt's python3-* packages). */
    location: z.enum(["venv", "system"]),
  })
  .strict();
export type PipEntry = z.infer<typeof pipEntrySchema>;

/** What the probe inside the container prints. */
export const inventoryProbeSchema = z.object({
  probe: z.literal("inventory"),
  python: z.string(),
  dpkg: z.array(dpkgEntrySchema),
  pip: z.array(pipEntrySchema),
});

export const inventorySchema = z
  .object({
    inventoryVersion: z.literal(1),
    /** The image it was read from: its ID (sha256:…) and the reference used. */
    image: z.object({ id: z.string(), ref: z.string() }).strict(),
    python: z.string(),
    dpkg: z.array(dpkgEntrySchema),
    pip: z.array(pipEntrySchema),
  })
  .strict();
export type Inventory = z.infer<typeof inventorySchema>;
