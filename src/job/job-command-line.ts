/**
 * The user's own `torchstack job …` line, rebuilt from the render input for a
 * fix: the target, the Kubernetes flavor, the spec file and a workspace that
 * is not the spec's folder, so a suggested command runs as the user ran it.
 */
import { dirname } from "node:path";
import type { RenderJobInput } from "./job-types.js";
import { shellJoin } from "./render/shell-quote.js";

export function jobCommandLine(
  verb: "check" | "run" | "render",
  input: Pick<RenderJobInput, "target" | "flavor" | "workspace">,
  specFile: string,
  extra: readonly string[] = [],
): string {
  const words = ["torchstack", "job", verb, "--target", input.target];
  if (input.flavor) words.push("--flavor", input.flavor);
  words.push("-f", specFile);
  if (input.workspace !== dirname(specFile)) words.push("--workspace", input.workspace);
  return shellJoin([...words, ...extra]);
}
