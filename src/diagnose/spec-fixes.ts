/**
 * Fixes in torchstack's terms. Inside a torchstack image `pip install torch==…` is refused (the
 * image's pip constraints pin torch, so nothing replaces it silently), so where the user works
 * with a torchstack.yaml or inside an environment, a fix that installs another torch becomes the
 * edit that does it: the version and CUDA in torchstack.yaml, then lock and build. Pure.
 */

const PIP_INSTALL_TORCH = /pip install torch(?:==([\w.+-]+))? --index-url \S+\/(cu\d+|cpu)\b\S*/;

/** `cu128` → `12.8`, `cu130` → `13.0`, `cpu` → `cpu`. */
function cudaOfVariant(variant: string): string {
  if (variant === "cpu") return "cpu";
  const digits = variant.slice(2);
  return `${digits.slice(0, -1)}.${digits.slice(-1)}`;
}

/** One fix: its `pip install torch…` part replaced by the torchstack.yaml edit, lock and build. */
export function fixInSpecTerms(fix: string): string {
  const match = PIP_INSTALL_TORCH.exec(fix);
  if (!match) return fix;
  const [pip, version, variant = "cpu"] = match;
  const keys = [...(version ? [`torch: "${version}"`] : []), `cuda: "${cudaOfVariant(variant)}"`].join(
    " and ",
  );
  const edit = `set ${keys} in torchstack.yaml, then torchstack lock && torchstack build (pip cannot replace torch in the image: its constraints pin it)`;
  return fix.replace(pip, edit);
}

/** Every finding's fixes in torchstack's terms (same findings, same order). */
export function findingsInSpecTerms<T extends { fix: readonly string[] }>(findings: readonly T[]): T[] {
  return findings.map((finding) => ({ ...finding, fix: [...new Set(finding.fix.map(fixInSpecTerms))] }));
}
