/**
 * The command framework's contract: flags are declared once and arrive typed
 * (defaults applied, empty values refused), misspelt flag names do not compile,
 * global options may come before the command, and command groups take two words.
 */
import { describe, expect, it } from "vitest";
import { type CommandInput, defineCommand } from "../../../src/cli/command.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

const demo = defineCommand({
  name: "demo",
  summary: "a demo",
  usage: "demo",
  options: {
    torch: { type: "string", description: "torch" },
    level: { type: "string", description: "level", default: "info" },
    gpu: { type: "string", multiple: true, description: "gpus" },
    explain: { type: "boolean", description: "explain" },
  },
  async run(input) {
    // @ts-expect-error: "troch" is not a declared flag, so this must not compile.
    input.flags.troch;
    // @ts-expect-error: "explain" is a boolean flag, not a string one.
    const explain: string | undefined = input.flags.explain;
    const flags: { torch: string | undefined; level: string; gpu: string[]; explain: boolean } = input.flags;
    return { json: { ...flags, explainRead: explain } };
  },
});

describe("typed commands", () => {
  it("runs a command with typed flags", async () => {
    const input: CommandInput<typeof demo.options> = {
      flags: { torch: "2.7", level: "info", gpu: [], explain: true },
      positionals: [],
      rest: [],
    };
    const outcome = await demo.run(input, {} as never);
    expect(outcome.json).toMatchObject({ torch: "2.7", level: "info", explainRead: true, explain: true });
  });

  it("applies defaults and fills `flags` for real commands", async () => {
    const run = await runCliInMemory(["resolve", "--no-host", "--driver", "none", "--json"]);
    expect(run.code, run.stderr).toBe(0);
  });

  it("refuses an empty string value with exit 2", async () => {
    const run = await runCliInMemory(["resolve", "--torch", "", "--no-host"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--torch needs a value/);
  });
});

describe("global options before the command", () => {
  it("accepts --json before the command", async () => {
    const run = await runCliInMemory(["--json", "resolve", "--no-host", "--driver", "none"]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
  });

  it("accepts -v and --log-format json before the command", async () => {
    const run = await runCliInMemory([
      "-v",
      "--log-format",
      "json",
      "resolve",
      "--no-host",
      "--driver",
      "none",
    ]);
    expect(run.code, run.stderr).toBe(0);
  });

  it("still calls an unknown word before the command unknown", async () => {
    const run = await runCliInMemory(["--frobnicate", "resolve"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "--frobnicate"/);
  });
});
