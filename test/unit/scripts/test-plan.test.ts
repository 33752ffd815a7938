/**
 * scripts/test.sh, the test command (`npm test`), decides what to install, set up and run from who runs it
 * and TORCHSTACK_TEST_TIERS; `--dry-run` prints that plan and runs nothing. Runs a copy of the script as root
 * and as an unprivileged user (setpriv, uid 65534), with a stand-in dpkg-query that reports the host
 * packages this test chooses and stand-ins for npm and vitest that record each call (a dry run makes none);
 * the last tests run the fast tier's steps through those stand-ins and read the summary.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { canSwitchUser } from "../../support/as-local-user.js";

const NOBODY = 65534;
const ALL_PACKAGES = [
  "python3-torch",
  "chromium",
  "docker-registry",
  "docker-compose",
  "shellcheck",
  "flake8",
  "openssh-client",
  "slurm-wlm",
  "munge",
  "runc",
  "python3-pip",
];
const ROOT_ONLY_SKIP =
  "test: SKIPPED the unit tests that switch users or need root (file ownership, setpriv, the OCI bundle's privileges): not root; to run them: sudo npm test";
const ENGINE_SKIPS_NOT_ROOT = [
  "test: SKIPPED the engine tier (a real Docker engine, registry, Compose and Dev Containers clients, SSH): not root, and it needs root to install host packages and start dockerd (npm run engine:setup); to run it: sudo npm test",
  "test: SKIPPED the Slurm job tests (engine tier): not root, and they need root to start munge, slurmctld and two slurmd in network namespaces (npm run slurm:setup); to run them: sudo npm test",
  "test: SKIPPED the Kubernetes job tests (engine tier): not root, and they need root to build and start the control plane on loopback (npm run k8s:setup); to run them: sudo npm test",
];

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Checkout {
  root: string;
  npmCalls: string;
}

/** A copy of the script in a checkout with a lock, node_modules as asked, and stand-ins for dpkg-query and npm. */
function checkout({
  installed = ALL_PACKAGES,
  nodeModules = "current" as "current" | "stale" | "missing",
} = {}) {
  const root = mkdtempSync(join(tmpdir(), "torchstack-test-plan-"));
  temps.push(root);
  chmodSync(root, 0o755);
  mkdirSync(join(root, "scripts"));
  for (const name of ["test.sh", "checkout-state.sh"])
    cpSync(join("scripts", name), join(root, "scripts", name));
  writeFileSync(join(root, "package-lock.json"), "{}\n");
  if (nodeModules !== "missing") {
    mkdirSync(join(root, "node_modules"));
    writeFileSync(join(root, "node_modules/.package-lock.json"), "{}\n");
    const when =
      nodeModules === "stale" ? new Date("2026-01-01T00:00:00Z") : new Date("2026-01-03T00:00:00Z");
    utimesSync(join(root, "node_modules/.package-lock.json"), when, when);
    utimesSync(
      join(root, "package-lock.json"),
      new Date("2026-01-02T00:00:00Z"),
      new Date("2026-01-02T00:00:00Z"),
    );
  }
  const bin = join(root, "fake-bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "installed"), installed.map((name) => `${name}\n`).join(""));
  writeFileSync(
    join(bin, "dpkg-query"),
    '#!/bin/sh\n# dpkg-query -W -f=FORMAT PACKAGE\ngrep -qx "$3" "$(dirname "$0")/installed" || exit 1\nprintf "install ok installed"\n',
  );
  const npmCalls = join(root, "npm-calls");
  // npm and vitest stand-ins record each call; npm fails on the script named by FAIL_AT
  writeFileSync(
    join(bin, "npm"),
    `#!/bin/sh\necho "npm $*" >>${npmCalls}\n[ "$2" != "$FAIL_AT" ] || exit 3\n`,
  );
  if (nodeModules !== "missing") {
    mkdirSync(join(root, "node_modules/.bin"));
    writeFileSync(join(root, "node_modules/.bin/vitest"), `#!/bin/sh\necho "vitest $*" >>${npmCalls}\n`);
    chmodSync(join(root, "node_modules/.bin/vitest"), 0o755);
  }
  for (const tool of ["dpkg-query", "npm"]) chmodSync(join(bin, tool), 0o755);
  return { root, npmCalls } satisfies Checkout;
}

/** The script's dry run in `checkout`, as root or as uid 65534: exit status and the lines it printed. */
function plan(at: Checkout, { asNobody = false, env = {} as Record<string, string> } = {}) {
  const script = ["bash", join(at.root, "scripts", "test.sh"), "--dry-run"];
  const argv = asNobody
    ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", ...script]
    : script;
  const result = spawnSync(argv[0] as string, argv.slice(1), {
    encoding: "utf8",
    env: { PATH: `${join(at.root, "fake-bin")}:/usr/local/bin:/usr/bin:/bin`, HOME: at.root, ...env },
  });
  expect(existsSync(at.npmCalls)).toBe(false);
  return { status: result.status, lines: `${result.stdout}${result.stderr}`.trimEnd().split("\n") };
}

describe.skipIf(!canSwitchUser)("npm test (scripts/test.sh): its plan, its steps and its summary", () => {
  it("as root: installs what is missing, sets up the engine, Slurm and Kubernetes, and runs every tier", () => {
    const { status, lines } = plan(checkout({ installed: [], nodeModules: "missing" }));
    expect(status).toBe(0);
    expect(lines).toEqual([
      "test: plan (as root, TORCHSTACK_TEST_TIERS=all)",
      "test: 1. npm dependencies: npm ci (node_modules is missing)",
      `test: 2. host packages: the missing ones of ${ALL_PACKAGES.join(" ")} (scripts/apt-ensure.sh)`,
      "test: 3. checks: lint, lint:sh, lint:py, typecheck, build",
      "test: 4. engine set-up: engine:setup, slurm:setup, k8s:setup, then TORCHSTACK_E2E=1",
      "test: 5. tiers: unit, engine; then the images the tests built are removed (pass or fail)",
      "test: dry run: nothing was run",
    ]);
  });

  it("as a normal user: runs the checks and the unit tier, and says what it skips, why, and how to run it", () => {
    const { status, lines } = plan(checkout(), { asNobody: true });
    expect(status).toBe(0);
    expect(lines).toEqual([
      `test: plan (as user ${NOBODY}, not root, TORCHSTACK_TEST_TIERS=all)`,
      "test: 1. npm dependencies: up to date",
      "test: 2. host packages: none installed (not root)",
      "test: 3. checks: lint, lint:sh, lint:py, typecheck, build",
      "test: 4. engine set-up: none (not root)",
      "test: 5. tiers: unit",
      ROOT_ONLY_SKIP,
      ...ENGINE_SKIPS_NOT_ROOT,
      "test: dry run: nothing was run",
    ]);
  });

  it("as a normal user without the host packages: names each one, what it skips, and how to install it", () => {
    const { lines } = plan(checkout({ installed: ["chromium", "flake8"] }), { asNobody: true });
    const skips = lines.filter((line) => line.includes("is not installed"));
    expect(skips).toEqual([
      "test: SKIPPED the probe tests, run for real on the host (CPU torch 1.13 with gloo): python3-torch is not installed (installing it needs root); to run them: sudo apt-get install -y python3-torch, or sudo npm test",
      "test: SKIPPED the registry tests: a real registry on loopback for base-image digests (and `build --push`): docker-registry is not installed (installing it needs root); to run them: sudo apt-get install -y docker-registry, or sudo npm test",
      "test: SKIPPED the Compose tests: the exported compose.yaml read and run by a real Compose client: docker-compose is not installed (installing it needs root); to run them: sudo apt-get install -y docker-compose, or sudo npm test",
      "test: SKIPPED the shell linter (lint:sh): shellcheck is not installed (installing it needs root); to run them: sudo apt-get install -y shellcheck, or sudo npm test",
    ]);
  });

  it("as a normal user with TORCHSTACK_E2E=1: runs the engine tier against what is already set up", () => {
    const { lines } = plan(checkout(), { asNobody: true, env: { TORCHSTACK_E2E: "1" } });
    expect(lines).toContain(
      "test: 4. engine set-up: none (TORCHSTACK_E2E=1 is set: the engine, Slurm and Kubernetes already set up are used)",
    );
    expect(lines).toContain(
      "test: 5. tiers: unit, engine; then the images the tests built are removed (pass or fail)",
    );
    expect(lines.filter((line) => line.includes("engine tier"))).toEqual([]);
  });

  it("as root with TORCHSTACK_TEST_TIERS=unit: only the fast tier, nothing installed or set up", () => {
    const { status, lines } = plan(
      checkout({ installed: ALL_PACKAGES.filter((name) => name !== "chromium") }),
      {
        env: { TORCHSTACK_TEST_TIERS: "unit", TORCHSTACK_E2E: "1" },
      },
    );
    expect(status).toBe(0);
    expect(lines).toEqual([
      "test: plan (as root, TORCHSTACK_TEST_TIERS=unit)",
      "test: 1. npm dependencies: up to date",
      "test: 2. host packages: none installed (TORCHSTACK_TEST_TIERS=unit)",
      "test: 3. checks: lint, lint:sh, lint:py, typecheck, build",
      "test: 4. engine set-up: none (TORCHSTACK_TEST_TIERS=unit)",
      "test: 5. tiers: unit",
      "test: SKIPPED the dashboard's browser tests (headless Chromium): chromium is not installed, and TORCHSTACK_TEST_TIERS=unit installs nothing; to run them: apt-get install -y chromium, or npm test without TORCHSTACK_TEST_TIERS",
      "test: SKIPPED the engine tier, with the Slurm and Kubernetes job tests: TORCHSTACK_TEST_TIERS=unit; to run them: npm test as root without TORCHSTACK_TEST_TIERS",
      "test: dry run: nothing was run",
    ]);
  });

  it("installs the npm dependencies again when package-lock.json changed since, and always under CI=true", () => {
    expect(plan(checkout({ nodeModules: "stale" })).lines).toContain(
      "test: 1. npm dependencies: npm ci (node_modules is older than package-lock.json)",
    );
    expect(plan(checkout(), { env: { CI: "true" } }).lines).toContain(
      "test: 1. npm dependencies: npm ci (CI=true: CI installs exactly package-lock.json)",
    );
  });

  it("refuses an unknown tier set or argument with the values it takes (exit 2)", () => {
    const tiers = plan(checkout(), { env: { TORCHSTACK_TEST_TIERS: "engine" } });
    expect(tiers.status).toBe(2);
    expect(tiers.lines).toEqual([
      "test: error: TORCHSTACK_TEST_TIERS='engine' names no tier set: use all (the default: every tier this user can run) or unit (the checks and the unit tier only)",
    ]);
    const at = checkout();
    const argument = spawnSync("bash", [join(at.root, "scripts", "test.sh"), "--dryrun"], {
      encoding: "utf8",
    });
    expect(argument.status).toBe(2);
    expect(argument.stderr).toContain("unknown argument '--dryrun': the only one is --dry-run");
  });

  it("runs the fast tier's steps in order and ends with a summary of what passed and what was skipped", () => {
    const at = checkout();
    const result = spawnSync("bash", [join(at.root, "scripts", "test.sh")], {
      encoding: "utf8",
      env: { PATH: `${join(at.root, "fake-bin")}:/usr/bin:/bin`, TORCHSTACK_TEST_TIERS: "unit" },
    });
    expect(result.status).toBe(0);
    expect(readFileSync(at.npmCalls, "utf8").trimEnd().split("\n")).toEqual([
      "npm run lint",
      "npm run lint:sh",
      "npm run lint:py",
      "npm run typecheck",
      "npm run build",
      "vitest run --project unit",
    ]);
    expect(result.stderr).toMatch(
      /test: summary: passed in \d+ s: lint, lint:sh, lint:py, typecheck, build, unit tier\n/,
    );
    expect(result.stderr).toContain("test:   - the engine tier, with the Slurm and Kubernetes job tests\n");
  });

  it("stops at the first failing step and says which, with its exit status", () => {
    const at = checkout();
    const result = spawnSync("bash", [join(at.root, "scripts", "test.sh")], {
      encoding: "utf8",
      env: {
        PATH: `${join(at.root, "fake-bin")}:/usr/bin:/bin`,
        TORCHSTACK_TEST_TIERS: "unit",
        FAIL_AT: "typecheck",
      },
    });
    expect(result.status).toBe(3);
    expect(readFileSync(at.npmCalls, "utf8")).not.toContain("build");
    expect(result.stderr).toMatch(
      /test: summary: FAILED at typecheck \(exit 3\) after \d+ s; passed before it: lint, lint:sh, lint:py\n/,
    );
  });
});
