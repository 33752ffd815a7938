/** The build context as data: files with their content and mode, and the marker that says "torchstack wrote this". */

export interface ContextFile {
  /** Relative to the context root, "/" separated. */
  path: string;
  content: string;
  mode: number;
}

export interface BuildContext {
  files: ContextFile[];
}

/** The marker that says a directory is a torchstack build context (safe to replace). */
export const CONTEXT_MARKER = ".torchstack-context";
