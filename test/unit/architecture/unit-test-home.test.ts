/**
 * Unit tests have one home: test/unit/, mirroring src/ (src/a/b/x.ts is tested by test/unit/a/b/x.test.ts).
 * A test or test helper under src/ fails here with its path and the path it belongs at.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../..");
const SRC = join(ROOT, "src");

const TEST_FILE = /\.test(?:-support)?\.[cm]?[jt]s$|\.snap$/;

function testFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFilesUnder(path);
    return TEST_FILE.test(name) ? [relative(ROOT, path)] : [];
  });
}

function misplacedTests(files: readonly string[]): string[] {
  return files.filter((file) => TEST_FILE.test(file));
}

describe("unit tests live in test/unit/", () => {
  it("recognises a test, a test helper and a snapshot under src/, in every folder", () => {
    expect(
      misplacedTests([
        "src/spec/load-spec.test.ts",
        "src/job/render/job-fixtures.test-support.ts",
        "src/job/render/__snapshots__/render-job.test.ts.snap",
        "src/environments/up/container-plan.test.ts",
        "src/spec/load-spec.ts",
      ]),
    ).toEqual([
      "src/spec/load-spec.test.ts",
      "src/job/render/job-fixtures.test-support.ts",
      "src/job/render/__snapshots__/render-job.test.ts.snap",
      "src/environments/up/container-plan.test.ts",
    ]);
  });

  it("has no test file under src/", () => {
    const misplaced = misplacedTests(testFilesUnder(SRC)).map(
      (file) => `${file} → test/unit/${file.slice("src/".length)}`,
    );
    expect(misplaced, "move each with its imports rewritten (git mv, then fix relative paths)").toEqual([]);
  });
});
