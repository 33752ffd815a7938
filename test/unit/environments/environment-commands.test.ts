import { describe, expect, it } from "vitest";
import { listEnvironments } from "../../../src/environments/list-environments.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const noEngine = { DOCKER_HOST: "unix:///nonexistent/torchstack-test.sock", HOME: "/nonexistent" };

describe("engine commands without an engine", () => {
  it("say how to start one, as JSON, with exit 1", async () => {
    for (const argv of [
      ["ps", "--json"],
      ["down", "demo", "--json"],
      ["logs", "demo", "--json"],
      ["gc", "--json"],
    ]) {
      const run = await runCliInMemory(argv, { env: noEngine });
      expect(run.code, argv.join(" ")).toBe(1);
      const out = JSON.parse(run.stdout);
      expect(out.ok).toBe(false);
      expect(out.error.code).toBe("E_NO_ENGINE");
      expect(out.error.remedies.join("\n")).toContain("npm run engine:setup");
    }
  });

  it("listEnvironments returns [] when no engine answers", async () => {
    expect(await listEnvironments(noEngine)).toEqual([]);
  });

  it("reject malformed flags with exit 2", async () => {
    expect((await runCliInMemory(["exec", "demo"], { env: noEngine })).code).toBe(2);
    expect((await runCliInMemory(["up", "--port", "jupyter=99999"], { env: noEngine })).code).toBe(2);
    expect((await runCliInMemory(["up", "--port", "notebooks=8888"], { env: noEngine })).code).toBe(2);
  });

  it("urls explains when there is no record", async () => {
    const run = await runCliInMemory(["urls", "nothing-here", "--json"], {
      env: { TORCHSTACK_STATE_DIR: "/nonexistent/state" },
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe("E_NO_ENVIRONMENT");
  });
});
