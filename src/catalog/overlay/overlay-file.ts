/**
 * Where the overlay lives (`<state dir>/catalog/overlay.json`) and how it is
 * read and replaced: schema-checked on read, written atomically so a failed
 * update leaves the previous overlay as it was.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TorchstackError } from "../../errors/torchstack-error.js";
import { writeFileAtomic } from "../../fs/atomic-write.js";
import { makeStateFolder, stateDir } from "../../fs/state-dir.js";
import { type Overlay, OverlaySchema } from "./overlay-schema.js";

export function catalogStateDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), "catalog");
}

export function overlayPath(env: NodeJS.ProcessEnv): string {
  return join(catalogStateDir(env), "overlay.json");
}

/** The overlay and its path, or undefined when `catalog update` never ran. */
export async function readOverlay(
  env: NodeJS.ProcessEnv,
): Promise<{ overlay: Overlay; file: string } | undefined> {
  const file = overlayPath(env);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    // No file, or a state "folder" that is not one: no overlay can be there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const parsed = OverlaySchema.safeParse(data);
  if (!parsed.success) {
    throw new TorchstackError("E_CATALOG_OVERLAY_INVALID", `the catalog overlay ${file} cannot be read`, {
      remedies: [
        "run `torchstack catalog update` to rewrite it",
        `or delete ${file} to use the built-in catalog alone`,
      ],
    });
  }
  return { overlay: parsed.data, file };
}

export function writeOverlay(env: NodeJS.ProcessEnv, overlay: Overlay): string {
  const file = overlayPath(env);
  makeStateFolder(env, "catalog");
  writeFileAtomic(file, `${JSON.stringify(OverlaySchema.parse(overlay), null, 2)}\n`);
  return file;
}
