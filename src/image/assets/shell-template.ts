/**
 * A tagged template for embedding shell scripts in TypeScript: the text is taken
 * raw (backslashes stay as written, so sed and awk patterns read as in a .sh file)
 * and `@{` stands for the shell's `${`, which a template literal would otherwise
 * interpolate. Scripts using it take no interpolations; values are baked in by
 * separate, quoted assignments (see `shellQuote`).
 */
export function sh(strings: TemplateStringsArray): string {
  return strings.raw.join("").replaceAll("@{", "${");
}

/** Quotes a value for a single-quoted POSIX sh word. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
