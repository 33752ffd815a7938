/** Fixture helpers for the monitor tests: paths, and fixture text without its `#` provenance header. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FieldSet, FieldSlot } from "../../src/gpu/query-fields.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "nvidia-smi");
export const FAKE_NVIDIA_SMI = join(FIXTURES, "fake-nvidia-smi.cjs");

export function fixtureText(relative: string): string {
  return readFileSync(join(FIXTURES, relative), "utf8")
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .join("\n");
}

/** The `# fields:` line of a recorded fixture. */
export function fixtureFields(relative: string): string[] {
  const line = readFileSync(join(FIXTURES, relative), "utf8")
    .split("\n")
    .find((l) => l.startsWith("# fields: "));
  return line ? line.slice("# fields: ".length).split(",") : [];
}

/**
 * A field set over a recorded fixture's own field list. Columns we do not read
 * get the key of a column the test does not assert on ("pstate" when unused),
 * so parseGpuRow still sees one slot per column.
 */
export function fieldSetFor(names: string[], keys: Record<string, FieldSlot["key"]>): FieldSet {
  const filler: FieldSlot["key"] = Object.values(keys).includes("pstate") ? "migMode" : "pstate";
  return {
    slots: names.map((name) => {
      const key = keys[name] ?? filler;
      return { key, name, slot: { key, names: [name], optional: true }, choice: 0 };
    }),
  };
}

/** Scenario rows (header stripped) as the fake prints them for `names`. */
export function scenarioEnv(scenario: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TORCHSTACK_NVIDIA_SMI: FAKE_NVIDIA_SMI,
    FAKE_NVIDIA_SMI_SCENARIO: scenario,
    // keep these tests independent of any container engine on the machine
    DOCKER_HOST: "unix:///nonexistent/docker.sock",
    ...extra,
  };
}
