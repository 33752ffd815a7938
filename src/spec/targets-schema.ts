/**
 * The spec keys that say where an image must run: `targets` (the GPUs, by name or
 * `sm_XY`, and the oldest NVIDIA driver it must start on) and `platform` (the CPU
 * architecture of the image, x86_64 or aarch64). With `targets`, resolve and lock
 * never look at the host; without it they resolve for the host they run on.
 */
import { z } from "zod";

export const PLATFORMS = ["x86_64", "aarch64"] as const;
export const platformSchema = z.enum(PLATFORMS);
export type Platform = z.infer<typeof platformSchema>;

export const driverVersionSchema = z
  .string()
  .regex(/^\d{2,4}(\.\d{1,3}){0,2}$/, "must be an NVIDIA driver version such as 570.86 or 570.86.15");

export const targetsSchema = z
  .object({
    /** GPUs the image must run on: catalog names ("H100", "RTX 5090") or capabilities ("sm_90"). */
    gpus: z.array(z.string().min(1)).optional(),
    /** The oldest driver the image must start on; "none" = no driver is checked. */
    driver: z.union([driverVersionSchema, z.literal("none")]).optional(),
  })
  .strict();
export type TargetsSpec = z.infer<typeof targetsSchema>;

/** Node's `process.arch` as a platform: arm64 → aarch64, anything else → x86_64. */
export function platformOfArch(arch: string): Platform {
  return arch === "arm64" ? "aarch64" : "x86_64";
}
