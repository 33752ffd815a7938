/**
 * Commands read their flags only as `input.flags.x`, typed from their own option
 * declarations, so a misspelt or mistyped flag does not compile. This scans
 * src/cli for the ways around that (a helper given a flag name as a string, the raw
 * parsed values, a flag picked by a computed key, an input whose flags lost their
 * types) and fails with the file, the line and the fix. Each pattern is shown to
 * catch an example, so the scan cannot quietly match nothing.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "../../../src/cli");

interface Rule {
  what: string;
  pattern: RegExp;
  /** A line the rule must catch. */
  example: string;
  /** A line it must let through. */
  allowed: string;
  /** Only files under this folder of src/cli (all of src/cli when absent). */
  under?: string;
}

const RULES: readonly Rule[] = [
  {
    what: "helper calls given `input` and a flag name as a string",
    pattern: /\b\w+\(\s*input\s*,\s*["'`]/,
    example: `const torch = stringFlag(input, "torch");`,
    allowed: "const name = environmentPositional(input, 0);",
  },
  {
    what: "string-keyed flag readers (removed in favour of input.flags)",
    pattern:
      /\b(?:stringFlag|requiredStringFlag|booleanFlag|listFlag|integerFlag|environmentFlag|outputFileFlag)\b/,
    example: `import { booleanFlag } from "../args.js";`,
    allowed: `import { wholeNumberValue } from "../args.js";`,
  },
  {
    what: "reads of the raw parsed values instead of the typed flags",
    pattern: /\binput\s*\.\s*values\b|\bvalues\s*\[\s*["'`]/,
    example: "const quiet = (input.values as Record<string, unknown>).quiet;",
    allowed: "const quiet = io.quiet;",
  },
  {
    what: "flags picked by a computed name",
    pattern: /\binput\s*\.\s*flags\s*\[\s*[^"'\s\]]/,
    example: "const value = input.flags[name];",
    allowed: `const keep = input.flags["no-host"];`,
  },
  {
    what: "inputs whose flags lost their types (CommandInput without the command's options)",
    pattern: /^(?!\s*import\b).*\bCommandInput\b(?!\s*<)(?!\s*,\s*"positionals")/,
    example: "function envFlags(input: CommandInput): Record<string, string> {",
    allowed: "type JobTargetInput = CommandInput<typeof jobTargetOptions>;",
    under: "commands",
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

function violations(rule: Rule): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(rule.under ? join(CLI, rule.under) : CLI)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (rule.pattern.test(line))
          found.push(`src/cli/${relative(CLI, file)}:${index + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe("commands read typed flags only", () => {
  for (const rule of RULES) {
    it(`has no ${rule.what}`, () => {
      expect(rule.pattern.test(rule.example), `the pattern must catch: ${rule.example}`).toBe(true);
      expect(rule.pattern.test(rule.allowed), `the pattern must allow: ${rule.allowed}`).toBe(false);
      expect(
        violations(rule),
        `read the flag as input.flags.NAME (input.flags["kebab-name"]) from the command's declared options; check its value with the helpers in src/cli/args.ts that take the value`,
      ).toEqual([]);
    });
  }
});
