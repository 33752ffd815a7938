/**
 * Where a catalog fact comes from. Every row carries one, so a reader can tell a
 * primary source from an inference; `unverified` rows are flagged in output.
 */
export type SourceStatus = "primary" | "primary-copy" | "secondary" | "unverified";

export interface Provenance {
  status: SourceStatus;
  /** What was read: a repository file at a commit, an issue, a document. */
  ref: string;
  /** When the fact was captured (YYYY-MM or YYYY-MM-DD). */
  date: string;
  note?: string;
  /**
   * The repository's copy of the document `ref` cites, relative to the repository
   * root ("docs/sources/compat-facts.md"); a test checks that it exists.
   */
  file?: string;
}

/** The repository copy of the compatibility reference the built-in catalog was compiled from. */
export const COMPAT_FACTS_FILE = "docs/sources/compat-facts.md";
