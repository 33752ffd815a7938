/**
 * A complete PEP 508 requirement parser (pure, no dependencies): name,
 * extras, version specifiers (PEP 440 operators and versions), a direct URL
 * (`name @ https://…`) and environment markers (`; python_version >= "3.10"
 * and sys_platform == "linux"`, with `and`/`or`/parentheses), written as a
 * small recursive-descent parser over the grammar in the PEP. What it
 * refuses gets a message naming the column and what was expected there, so
 * `numpy==` (no version) and `numpy; rm -rf /` (not a marker) fail up front
 * instead of inside `pip install` halfway through a build.
 */

export interface Requirement {
  /** The name as written; `normalized` is the PEP 503 form (lower case, runs of -_. as -). */
  name: string;
  normalized: string;
  extras: string[];
  specifiers: { op: string; version: string }[];
  url?: string;
  marker?: string;
}

export class RequirementSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const MARKER_VARIABLES = new Set([
  "python_version",
  "python_full_version",
  "os_name",
  "sys_platform",
  "platform_release",
  "platform_system",
  "platform_version",
  "platform_machine",
  "platform_python_implementation",
  "implementation_name",
  "implementation_version",
  "extra",
  "dependency_groups",
  // legacy spellings pip still accepts
  "os.name",
  "sys.platform",
  "platform.version",
  "platform.machine",
  "platform.python_implementation",
  "python_implementation",
]);
const VERSION_OPS = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"] as const;
const MARKER_OPS = ["===", "~=", "==", "!=", "<=", ">=", "<", ">", "not in", "in"] as const;
/** PEP 440 public and local versions (the literal after an operator), with `.*` for == and !=. */
const PEP440 =
  /^v?(?:\d+!)?\d+(?:\.\d+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?(?:-\d+|[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? "";
  }
  spaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.pos += 1;
  }
  take(re: RegExp): string | undefined {
    const m = re.exec(this.text.slice(this.pos));
    if (m?.index !== 0) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
  fail(expected: string): never {
    const at = this.done ? "the end" : `"${this.text.slice(this.pos, this.pos + 12)}"`;
    throw new RequirementSyntaxError(
      `expected ${expected} at column ${this.pos + 1}, found ${at}`,
      this.pos + 1,
    );
  }
}

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

function parseVersionSpec(c: Cursor): { op: string; version: string }[] {
  const specs: { op: string; version: string }[] = [];
  const paren = c.peek() === "(";
  if (paren) c.pos += 1;
  for (;;) {
    c.spaces();
    const op = VERSION_OPS.find((o) => c.text.startsWith(o, c.pos));
    if (!op) {
      if (specs.length === 0 && !paren) return specs;
      c.fail(`a version operator (${VERSION_OPS.join(" ")})`);
    }
    c.pos += op.length;
    c.spaces();
    const version = c.take(/[A-Za-z0-9_.*+!-]+/);
    if (!version) c.fail(`a version after ${op}`);
    const wildcard = version.endsWith(".*");
    const bare = wildcard ? version.slice(0, -2) : version;
    const valid = op === "===" ? true : PEP440.test(bare) && (!wildcard || op === "==" || op === "!=");
    if (!valid) throw new RequirementSyntaxError(`"${version}" is not a PEP 440 version for ${op}`, c.pos);
    specs.push({ op, version });
    c.spaces();
    if (c.peek() !== ",") break;
    c.pos += 1;
  }
  if (paren) {
    if (c.peek() !== ")") c.fail('")"');
    c.pos += 1;
  }
  return specs;
}

function parseMarkerValue(c: Cursor): string {
  c.spaces();
  const quote = c.peek();
  if (quote === '"' || quote === "'") {
    const end = c.text.indexOf(quote, c.pos + 1);
    if (end === -1) c.fail(`a closing ${quote}`);
    const value = c.text.slice(c.pos, end + 1);
    c.pos = end + 1;
    return value;
  }
  const start = c.pos;
  const variable = c.take(/[a-z_][a-z_.]*/);
  if (!variable || !MARKER_VARIABLES.has(variable)) {
    c.pos = start;
    c.fail(`a marker variable (python_version, sys_platform, platform_machine, …) or a quoted string`);
  }
  return variable;
}

function parseMarkerAtom(c: Cursor): void {
  c.spaces();
  if (c.peek() === "(") {
    c.pos += 1;
    parseMarkerOr(c);
    c.spaces();
    if (c.peek() !== ")") c.fail('")"');
    c.pos += 1;
    return;
  }
  parseMarkerValue(c);
  c.spaces();
  const op = MARKER_OPS.find((o) =>
    /^[a-z]/.test(o)
      ? c.text.slice(c.pos).match(new RegExp(`^${o.replace(" ", "\\s+")}\\b`))
      : c.text.startsWith(o, c.pos),
  );
  if (!op) c.fail(`a marker operator (${MARKER_OPS.join(", ")})`);
  c.take(new RegExp(`^${op.replace(" ", "\\s+")}`));
  parseMarkerValue(c);
}

function parseMarkerAnd(c: Cursor): void {
  parseMarkerAtom(c);
  while (c.take(/\s+and\b/)) parseMarkerAtom(c);
}

function parseMarkerOr(c: Cursor): void {
  parseMarkerAnd(c);
  while (c.take(/\s+or\b/)) parseMarkerAnd(c);
}

export function parseRequirement(text: string): Requirement {
  const c: Cursor = new Cursor(text);
  c.spaces();
  const name = c.take(NAME);
  if (!name) c.fail("a package name (letters, digits, . _ -)");
  const requirement: Requirement = {
    name,
    normalized: name.toLowerCase().replace(/[-_.]+/g, "-"),
    extras: [],
    specifiers: [],
  };
  c.spaces();
  if (c.peek() === "[") {
    c.pos += 1;
    for (;;) {
      c.spaces();
      if (c.peek() === "]" && requirement.extras.length === 0) break;
      const extra = c.take(NAME);
      if (!extra) c.fail("an extra's name");
      requirement.extras.push(extra);
      c.spaces();
      if (c.peek() !== ",") break;
      c.pos += 1;
    }
    if (c.peek() !== "]") c.fail('"]"');
    c.pos += 1;
    c.spaces();
  }
  if (c.peek() === "@") {
    c.pos += 1;
    c.spaces();
    const url = c.take(/[^\s;]+/);
    if (!url || !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(url)) c.fail("a URL such as https://… after @");
    requirement.url = url;
    if (!c.done && !c.take(/\s+/)) c.fail("a space before ;");
  } else {
    requirement.specifiers = parseVersionSpec(c);
  }
  c.spaces();
  if (c.peek() === ";") {
    c.pos += 1;
    const start = c.pos;
    parseMarkerOr(c);
    requirement.marker = c.text.slice(start, c.pos).trim();
    c.spaces();
  }
  if (!c.done) c.fail(requirement.marker === undefined ? '"," a version, ";" markers or the end' : "the end");
  return requirement;
}
