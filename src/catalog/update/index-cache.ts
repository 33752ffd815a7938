/**
 * The cache that makes a second `catalog update` cheap and `--offline`
 * possible: every page and metadata file read from the index, with its ETag
 * and Last-Modified, one JSON file per URL under `<state dir>/catalog/cache/`.
 * Entries are written atomically and only after an update succeeded.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../fs/atomic-write.js";

const EntrySchema = z.object({
  url: z.string(),
  etag: z.string().nullable(),
  lastModified: z.string().nullable(),
  /** sha256 of `body`, hex. */
  sha256: z.string(),
  body: z.string(),
});
export type CacheEntry = z.infer<typeof EntrySchema>;

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export class IndexCache {
  constructor(readonly dir: string) {}

  private file(url: string): string {
    return join(this.dir, `${sha256Hex(url).slice(0, 32)}.json`);
  }

  /** The cached entry, or undefined when absent or unreadable (a bad entry is refetched). */
  get(url: string): CacheEntry | undefined {
    try {
      const parsed = EntrySchema.safeParse(JSON.parse(readFileSync(this.file(url), "utf8")));
      if (!parsed.success || parsed.data.url !== url || sha256Hex(parsed.data.body) !== parsed.data.sha256) {
        return undefined;
      }
      return parsed.data;
    } catch {
      return undefined;
    }
  }

  putAll(entries: readonly CacheEntry[]): void {
    if (entries.length === 0) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 }); // inside the state folder
    for (const entry of entries) writeFileAtomic(this.file(entry.url), JSON.stringify(entry));
  }
}
