// The environment a command means when none is named: down/urls/logs take the spec's name as NAME,
// verify/bench/doctor run inside the spec's environment when it is running (and say so); down of an
// environment already down succeeds; a misspelt environment name gets "did you mean", not `up TYPO`.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseProbeTarget } from "../../../src/cli/spec-environment.js";
import type { ContainerDetails, Engine } from "../../../src/engine/engine-client.js";
import { downEnvironment } from "../../../src/environments/down-environment.js";
import { findEnvironment } from "../../../src/environments/find-environment.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

function specFolder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ts-spec-env-"));
  writeFileSync(join(dir, "torchstack.yaml"), `name: ${name}\ntorch: "2.7.1"\n`);
  return dir;
}

/** An engine holding one managed, running environment `name`. */
function engineWith(name: string): { engine: Engine; removed: string[] } {
  const removed: string[] = [];
  const details: ContainerDetails = {
    id: "c1",
    name: `torchstack-${name}`,
    image: "x",
    state: "running",
    running: true,
    exitCode: null,
    startedAt: null,
    health: null,
    labels: { "dev.torchstack.managed": "true", "dev.torchstack.env": name },
    env: {},
  };
  const engine = {
    containers: {
      inspect: async (ref: string) => (ref === details.name || ref === details.id ? details : null),
      list: async () => [
        { id: "c1", name: details.name, image: "x", state: "running", labels: details.labels },
      ],
      stop: async () => {},
      remove: async (id: string) => {
        removed.push(id);
      },
    },
  } as unknown as Engine;
  return { engine, removed };
}

describe("probes default to the spec's running environment", () => {
  it("run inside it when it is running, and say so", async () => {
    const cwd = specFolder("proj");
    const target = await chooseProbeTarget(
      { inEnv: undefined, python: undefined },
      cwd,
      async (n) => n === "proj",
    );
    expect(target.inEnv).toBe("proj");
    expect(target.note).toContain("in environment proj, which torchstack.yaml started and is running");
    expect(target.note).toContain("--python python3 checks this host instead");
  });

  it("stay on the host when it is not running, with --python, or without a spec", async () => {
    const cwd = specFolder("proj");
    const asked: string[] = [];
    const running = async (n: string) => {
      asked.push(n);
      return false;
    };
    expect(
      (await chooseProbeTarget({ inEnv: undefined, python: undefined }, cwd, running)).inEnv,
    ).toBeUndefined();
    const never = async () => {
      throw new Error("not asked");
    };
    expect(
      (await chooseProbeTarget({ inEnv: undefined, python: "/usr/bin/python3" }, cwd, never)).inEnv,
    ).toBe(undefined);
    const empty = mkdtempSync(join(tmpdir(), "ts-no-spec-"));
    expect(
      (await chooseProbeTarget({ inEnv: undefined, python: undefined }, empty, never)).inEnv,
    ).toBeUndefined();
    expect(asked).toEqual(["proj"]);
  });
});

describe("NAME defaults to the spec's, as for up", () => {
  it("urls without NAME in a spec folder asks for the spec's environment", async () => {
    const cwd = specFolder("proj-urls");
    const run = await runCliInMemory(["urls", "--json"], {
      cwd,
      env: { TORCHSTACK_STATE_DIR: join(cwd, "state"), DOCKER_HOST: "unix:///nonexistent/docker.sock" },
    });
    expect(run.code).toBe(1);
    const error = (JSON.parse(run.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("E_NO_ENVIRONMENT");
    expect(error.message).toContain("no environment named proj-urls");
  });

  it("without a spec, the usage error says where NAME could come from", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ts-no-spec-"));
    const run = await runCliInMemory(["down"], {
      cwd,
      env: { DOCKER_HOST: "unix:///nonexistent/docker.sock" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing argument NAME: there is no torchstack.yaml");
  });
});

describe("down and missing environments", () => {
  const env = { TORCHSTACK_STATE_DIR: mkdtempSync(join(tmpdir(), "ts-down-state-")) };

  it("down of an environment already down succeeds and removes nothing", async () => {
    const { engine, removed } = engineWith("cpu-example");
    expect(await downEnvironment(engine, env, "other-project", { volumes: false })).toMatchObject({
      removed: false,
    });
    expect(removed).toEqual([]);
  });

  it("down of a misspelt name says which environment was meant and removes nothing", async () => {
    const { engine, removed } = engineWith("cpu-example");
    await expect(downEnvironment(engine, env, "cpu-exampel", { volumes: false })).rejects.toMatchObject({
      code: "E_NO_ENVIRONMENT",
      message: expect.stringContaining("did you mean cpu-example?"),
    });
    expect(removed).toEqual([]);
  });

  it("exec/logs of a misspelt name suggest the near one, not `up` of the typo", async () => {
    const { engine } = engineWith("cpu-example");
    const error = await findEnvironment(engine, "cpu-exampel").catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "E_NO_ENVIRONMENT",
      message: expect.stringContaining("did you mean cpu-example?"),
    });
    expect((error as { remedies: string[] }).remedies.join("\n")).not.toContain("torchstack up cpu-exampel");
  });
});
