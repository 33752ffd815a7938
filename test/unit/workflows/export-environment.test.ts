import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../../src/engine/engine-client.js";
import { lockPathFor, writeLock } from "../../../src/lock/lock-file.js";
import { silentReporter } from "../../../src/report/reporter.js";
import { type ExportDeps, exportEnvironment } from "../../../src/workflows/export-environment.js";
import { lockSpec } from "../../../src/workflows/lock-environment.js";
import { asUser, canSwitchUser, OTHER_USER } from "../../support/as-local-user.js";

const root = mkdtempSync(join(tmpdir(), "torchstack-export-workflow-"));
const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state") };

/** A spec (from the shipped example, with its run section replaced) and the lock `build` would write. */
async function project(name: string, run: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const example = readFileSync(join(import.meta.dirname, "../../../examples/cpu/torchstack.yaml"), "utf8");
  const specFile = join(dir, "torchstack.yaml");
  writeFileSync(specFile, `${example.replace(/^run:\n(?: {2}.*\n)*/m, "")}run:\n${run}`);
  writeLock(lockPathFor(specFile), (await lockSpec(specFile, { env, noHost: true })).lock);
  return specFile;
}

/** An engine that only answers networks(), and counts how often it is reached. */
function engineWith(networks: string[]) {
  const reached = { connects: 0 };
  const connectEngine = async () => {
    reached.connects += 1;
    return { networks: async () => networks } as unknown as Engine;
  };
  return { reached, connectEngine };
}

const deps = (dir: string, connectEngine: ExportDeps["connectEngine"]): ExportDeps => ({
  connectEngine,
  env,
  cwd: dir,
  reporter: silentReporter,
});

describe("exportEnvironment: the network, and when the engine is asked", () => {
  let withNetwork = "";
  let withoutNetwork = "";
  beforeAll(async () => {
    withNetwork = await project("set", "  gpus: none\n  network: host\n");
    withoutNetwork = await project("unset", "  gpus: none\n");
  });

  it("takes run.network from the spec without reaching the engine", async () => {
    const engine = engineWith(["bridge", "host", "none"]);
    const out = join(root, "set", "compose.yaml");
    await exportEnvironment(
      { kind: "compose", file: withNetwork, output: out },
      deps(root, engine.connectEngine),
    );
    expect(engine.reached.connects).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("network_mode: host");
  });

  it("asks the engine once when run.network is unset: host where it has no bridge", async () => {
    const engine = engineWith(["host", "none"]);
    const out = join(root, "unset");
    await exportEnvironment(
      { kind: "devcontainer", file: withoutNetwork, output: out },
      deps(root, engine.connectEngine),
    );
    expect(engine.reached.connects).toBe(1);
    const json = JSON.parse(readFileSync(join(out, ".devcontainer", "devcontainer.json"), "utf8"));
    expect(json.runArgs).toContain("--network=host");
  });

  it("keeps the engine's default network where it has a bridge", async () => {
    const engine = engineWith(["bridge", "host", "none"]);
    const out = join(root, "unset", "compose.yaml");
    await exportEnvironment(
      { kind: "compose", file: withoutNetwork, output: out },
      deps(root, engine.connectEngine),
    );
    expect(engine.reached.connects).toBe(1);
    expect(readFileSync(out, "utf8")).not.toContain("network_mode");
  });
});

describe("exportEnvironment: the app token's file", () => {
  let spec = "";
  beforeAll(async () => {
    spec = await project("secrets", "  gpus: none\n  network: host\n");
  });
  const engine = () => engineWith(["host"]).connectEngine;

  it("is 0600 over an old 0644 file and named once in a .gitignore beside it", async () => {
    const out = join(root, "secrets", "compose.yaml");
    const envFile = join(root, "secrets", "torchstack.env");
    writeFileSync(envFile, "JUPYTER_TOKEN=old\n");
    chmodSync(envFile, 0o644);
    writeFileSync(join(root, "secrets", ".gitignore"), "node_modules/");
    for (let round = 0; round < 2; round += 1)
      await exportEnvironment({ kind: "compose", file: spec, output: out }, deps(root, engine()));
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, "secrets", ".gitignore"), "utf8")).toBe(
      "node_modules/\n# torchstack export: the app token (never commit it)\n/torchstack.env\n",
    );
    await exportEnvironment(
      { kind: "devcontainer", file: spec, output: join(root, "secrets") },
      deps(root, engine()),
    );
    expect(readFileSync(join(root, "secrets", ".devcontainer", ".gitignore"), "utf8")).toContain(
      "/torchstack.env\n",
    );
    expect(statSync(join(root, "secrets", ".devcontainer", "torchstack.env")).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!canSwitchUser)(
    "never goes through a link another user planted in a shared project",
    async () => {
      const shared = join(root, "shared");
      const loot = join(root, "loot");
      mkdirSync(shared);
      chmodSync(shared, 0o2777);
      mkdirSync(loot);
      chownSync(loot, OTHER_USER, OTHER_USER);
      chmodSync(root, 0o755);
      expect(asUser(OTHER_USER, ["sh", "-c", `umask 0 && : > ${loot}/stolen.env`]).status).toBe(0);
      expect(
        asUser(OTHER_USER, ["ln", "-s", join(loot, "stolen.env"), join(shared, "torchstack.env")]).status,
      ).toBe(0);
      await exportEnvironment(
        { kind: "compose", file: spec, output: join(shared, "compose.yaml") },
        deps(root, engine()),
      );
      expect(asUser(OTHER_USER, ["cat", join(loot, "stolen.env")]).stdout).toBe("");
      expect(lstatSync(join(shared, "torchstack.env")).isFile()).toBe(true);
      expect(readFileSync(join(shared, "torchstack.env"), "utf8")).toMatch(/JUPYTER_TOKEN=[0-9a-f]{48}/);
    },
  );
});
