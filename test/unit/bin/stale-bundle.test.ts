/**
 * bin/stale-bundle.js: in a git checkout whose src/ changed after the last build, the CLI says on a terminal
 * that dist/ (what it runs) is older than src/ and how to fix it; an installed package, a current bundle,
 * changes the bundle does not hold, and a CLI whose stderr is not a terminal stay silent. Runs a copy of
 * bin/ beside a stand-in bundle and sources whose mtimes the test sets.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const WARNING = "dist/ is older than src/: run npm run build";
const BUILT = new Date("2026-01-02T00:00:00Z");
const EARLIER = new Date("2026-01-01T00:00:00Z");
const LATER = new Date("2026-01-03T00:00:00Z");
const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(root: string, path: string, mtime: Date, text = "") {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  utimesSync(full, mtime, mtime);
}

/** A checkout: bin/ copied, .git, a stand-in bundle built at BUILT, and src/ files older than it. */
function checkout({ git = true } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "torchstack-stale-bundle-test-"));
  temps.push(root);
  cpSync("bin", join(root, "bin"), { recursive: true });
  if (git) mkdirSync(join(root, ".git"));
  const bundle = `/*torchstack-build:${"0".repeat(16)}*/module.exports={main(){process.stdout.write("ran the bundle\\n")}};`;
  file(root, "dist/cli.cjs", BUILT, bundle);
  file(root, "src/cli/main.ts", EARLIER);
  file(root, "src/spec/load-spec.ts", EARLIER);
  return root;
}

function warningFor(root: string): string | undefined {
  const { staleBundleWarning } = createRequire(import.meta.url)(join(root, "bin", "stale-bundle.js"));
  return staleBundleWarning(root);
}

describe("the stale-bundle warning", () => {
  it("names the fix and the first source changed after the build", () => {
    const root = checkout();
    file(root, "src/spec/load-spec.ts", LATER);
    const warning = warningFor(root);
    expect(warning).toContain(`torchstack: warning: ${WARNING}\n`);
    expect(warning).toContain("src/spec/load-spec.ts changed after the last build");
  });

  it("is silent when the bundle is newer than every source", () => {
    expect(warningFor(checkout())).toBeUndefined();
  });

  it("is silent outside a git checkout (an installed package), however old dist/ is", () => {
    const root = checkout({ git: false });
    file(root, "src/spec/load-spec.ts", LATER);
    expect(warningFor(root)).toBeUndefined();
  });

  it("ignores what the bundle does not hold: tests, snapshots, the probe scripts read from src/ at run time", () => {
    const root = checkout();
    file(root, "src/spec/load-spec.test.ts", LATER);
    file(root, "src/spec/__snapshots__/load-spec.test.ts.snap", LATER);
    file(root, "src/probe/scripts/doctor_probe.py", LATER);
    expect(warningFor(root)).toBeUndefined();
  });

  it("leaves a missing bundle to the CLI's own message", () => {
    const root = checkout();
    rmSync(join(root, "dist"), { recursive: true });
    expect(warningFor(root)).toBeUndefined();
    const result = spawnSync(process.execPath, [join(root, "bin", "torchstack.js")], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the bundled CLI is missing");
  });

  it("is written only when stderr is a terminal, and the CLI then runs the bundle as before", () => {
    const root = checkout();
    file(root, "src/cli/main.ts", LATER);
    const piped = spawnSync(process.execPath, [join(root, "bin", "torchstack.js")], { encoding: "utf8" });
    expect(piped.stderr).toBe("");
    expect(piped.stdout).toBe("ran the bundle\n");
    if (!hasScript) return;
    // script(1) runs the CLI on a pseudo-terminal, as a person at a shell would
    const command = `${process.execPath} ${join(root, "bin", "torchstack.js")}`;
    const onTerminal = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8" });
    const output = onTerminal.stdout.replaceAll("\r\n", "\n");
    expect(output).toContain(
      `torchstack: warning: ${WARNING}\n  src/cli/main.ts changed after the last build`,
    );
    expect(output).toContain("ran the bundle\n");
    expect(onTerminal.status).toBe(0);
  });
});
