/**
 * Every child process starts through the process runner (src/process: runProcess to collect, startProcess to
 * stream), so argument arrays, error translation and SIGTERM-then-SIGKILL hold everywhere. A source file
 * outside src/process that imports node:child_process fails here, with its name. Tests may still use it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../../src");
const CHILD_PROCESS = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)["'](?:node:)?child_process["']/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(?:ts|js|cjs|mjs)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe("child processes start through src/process", () => {
  it("recognises every way of importing child_process", () => {
    for (const line of [
      'import { spawn } from "node:child_process";',
      "import * as cp from 'child_process';",
      'const { execFile } = await import("node:child_process");',
      'const cp = require("child_process");',
      'export { spawn } from "node:child_process";',
    ])
      expect(CHILD_PROCESS.test(line), line).toBe(true);
    expect(CHILD_PROCESS.test('import { startProcess } from "../process/start-process.js";')).toBe(false);
  });

  it("no source file outside src/process imports child_process", () => {
    const offenders = sourceFiles(SRC)
      .map((file) => relative(SRC, file))
      .filter((file) => !file.startsWith("process/"))
      .filter((file) => CHILD_PROCESS.test(readFileSync(join(SRC, file), "utf8")));
    expect(offenders, "spawn through src/process/start-process.ts or run-process.ts instead").toEqual([]);
  });
});
