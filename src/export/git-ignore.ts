/**
 * Keeps an exported secrets file out of version control: the `.gitignore`
 * beside it gets the file's name (created, or one line appended to what is
 * there; an entry already present leaves the file untouched).
 */

/** The `.gitignore` text with `name` ignored, or null when `existing` already ignores it. */
export function gitignoreWith(existing: string | null, name: string): string | null {
  const wanted = new Set([name, `/${name}`]);
  const lines = (existing ?? "").split("\n").map((line) => line.trim());
  if (lines.some((line) => wanted.has(line))) return null;
  const head = existing ?? "";
  const separator = head === "" || head.endsWith("\n") ? "" : "\n";
  return `${head}${separator}# torchstack export: the app token (never commit it)\n/${name}\n`;
}
