/**
 * Reads the JSON report of `pip install --dry-run --report` (pip's documented
 * installation report, version 1): for each distribution pip would install, its
 * name, version, the wheel's URL and sha256, and its Requires-Dist. Pure: text in,
 * wheels out; a report without a wheel hash is refused rather than locked unhashed.
 */
import { z } from "zod";
import { TorchstackError } from "../../errors/torchstack-error.js";
import type { LockedWheel, WheelLayer } from "./wheel-set-schema.js";

const reportSchema = z.object({
  version: z.string(),
  pip_version: z.string().optional(),
  install: z.array(
    z.object({
      metadata: z.object({
        name: z.string(),
        version: z.string(),
        requires_dist: z.array(z.string()).optional(),
      }),
      download_info: z.object({
        url: z.string(),
        archive_info: z.object({ hashes: z.record(z.string(), z.string()).optional() }).optional(),
      }),
    }),
  ),
});

export interface ReportedWheel {
  wheel: Omit<LockedWheel, "index" | "layer">;
  url: string;
  requiresDist: string[];
}

/** PEP 503 normalization: "Jinja2" → "jinja2", "typing_extensions" → "typing-extensions". */
export const normalizeName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

export function parsePipReport(text: string): { pipVersion: string; wheels: ReportedWheel[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TorchstackError(
      "E_WHEELS_UNRESOLVED",
      `pip's report is not JSON: ${(error as Error).message}`,
      {
        remedies: ["python3 -m pip install --upgrade pip (pip 23 or newer writes the report)"],
      },
    );
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success)
    throw new TorchstackError("E_WHEELS_UNRESOLVED", "pip's report does not have the documented shape", {
      remedies: ["python3 -m pip install --upgrade pip (pip 23 or newer writes the report)"],
    });
  const wheels = parsed.data.install.map((item): ReportedWheel => {
    const url = item.download_info.url;
    const file = decodeURIComponent(url.split("#")[0]?.split("?")[0]?.split("/").pop() ?? "");
    const sha256 = item.download_info.archive_info?.hashes?.sha256;
    const name = normalizeName(item.metadata.name);
    if (!file.endsWith(".whl") || !sha256)
      throw new TorchstackError(
        "E_WHEELS_UNRESOLVED",
        `${name} ${item.metadata.version} resolved to ${file || url}, not a wheel with a sha256`,
        { remedies: [`use an index that serves ${name} as a wheel with its sha256 (as PyPI does)`] },
      );
    return {
      wheel: { name, version: item.metadata.version, file, sha256 },
      url,
      requiresDist: item.metadata.requires_dist ?? [],
    };
  });
  return { pipVersion: parsed.data.pip_version ?? "unknown", wheels };
}

/** Stage the reported wheels into one layer, with the index they came from. */
export function toLocked(
  reported: readonly ReportedWheel[],
  index: string,
  layer: WheelLayer,
): LockedWheel[] {
  return reported.map(({ wheel }) => ({ ...wheel, index, layer }));
}
