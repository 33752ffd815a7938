import { describe, expect, it } from "vitest";
import type { Engine } from "../../../../src/engine/engine-client.js";
import { checkNetworkExists } from "../../../../src/environments/up/up-steps.js";

const engineWith = (names: string[]) => ({ networks: async () => names }) as unknown as Engine;

describe("checkNetworkExists", () => {
  it("accepts host, none, the default and networks the engine has", async () => {
    const engine = engineWith(["host", "none", "lab"]);
    for (const network of [undefined, "host", "none", "container:abc", "lab"])
      await expect(checkNetworkExists(engine, network)).resolves.toBeUndefined();
  });

  it("refuses a network the engine does not have, naming the ones it has", async () => {
    const failure = checkNetworkExists(engineWith(["host", "none", "lab"]), "bogusnet");
    await expect(failure).rejects.toMatchObject({
      code: "E_NO_NETWORK",
      remedies: ["use one of: host, none, lab", "or create it first: docker network create bogusnet"],
    });
  });
});
