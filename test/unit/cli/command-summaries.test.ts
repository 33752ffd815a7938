import { describe, expect, it } from "vitest";
import { COMMAND_SUMMARIES } from "../../../src/cli/command-summaries.js";
import { commandEntries } from "../../../src/cli/registry.js";

describe("command summaries (one source: the command)", () => {
  it("the generated table matches every command's own summary (run `npm run gen:summaries`)", async () => {
    const own = Object.fromEntries(
      await Promise.all(commandEntries.map(async (e) => [e.name, (await e.load()).summary] as const)),
    );
    expect(COMMAND_SUMMARIES).toEqual(own);
  });

  it("each registry name is the command's own name", async () => {
    for (const entry of commandEntries) expect((await entry.load()).name).toBe(entry.name);
  });
});
