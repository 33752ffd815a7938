/**
 * Parsing one package page of PEP 691's JSON simple API
 * (`application/vnd.pypi.simple.v1+json`): file names, absolute URLs, hashes,
 * `requires-python`, upload times (API 1.1) and whether the core metadata is
 * served beside the file (PEP 658/714 `core-metadata`). Pure; a body that is
 * not such a page fails with E_CATALOG_INDEX_INVALID.
 */
import { z } from "zod";
import { indexFormatError } from "../index/index-format-error.js";
import type { IndexLink } from "../index/parse-simple-index.js";

const metadataFlag = z.union([z.boolean(), z.object({ sha256: z.string().optional() }).passthrough()]);

const PageSchema = z.object({
  meta: z.object({ "api-version": z.string() }).passthrough(),
  name: z.string(),
  files: z.array(
    z
      .object({
        filename: z.string(),
        url: z.string(),
        hashes: z.record(z.string(), z.string()).default({}),
        "requires-python": z.string().nullable().optional(),
        "core-metadata": metadataFlag.optional(),
        "dist-info-metadata": metadataFlag.optional(),
        "upload-time": z.string().optional(),
        yanked: z.union([z.boolean(), z.string()]).optional(),
      })
      .passthrough(),
  ),
});

export interface PypiLink extends IndexLink {
  /** ISO date-time the file was uploaded (API 1.1), or null. */
  uploadTime: string | null;
}

function metadataHash(flag: z.infer<typeof metadataFlag> | undefined): string | null {
  if (flag === undefined || flag === false) return null;
  if (flag === true) return "";
  return flag.sha256?.toLowerCase() ?? "";
}

export function parseSimpleJson(text: string, pageUrl: string): PypiLink[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw indexFormatError(pageUrl, "not JSON (a truncated answer or an HTML error page)");
  }
  const page = PageSchema.safeParse(data);
  if (!page.success) throw indexFormatError(pageUrl, "not a PEP 691 simple-API page (no meta, name, files)");
  return page.data.files
    .filter((f) => f.yanked === undefined || f.yanked === false)
    .map((f) => ({
      filename: f.filename,
      url: new URL(f.url, pageUrl).toString(),
      sha256: f.hashes.sha256?.toLowerCase() ?? null,
      metadataSha256: metadataHash(f["core-metadata"] ?? f["dist-info-metadata"]),
      requiresPython: f["requires-python"] ?? null,
      uploadTime: f["upload-time"] ?? null,
    }));
}
