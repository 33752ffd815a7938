/** Fixture helpers for the monitor tests: paths, and fixture text without its `#` provenance header. */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FieldSet, FieldSlot } from "../../../src/gpu/query-fields.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "fixtures", "nvidia-smi");
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

/**
 * A 16-GPU scenario folder made from the (synthesized) 8 × H100 one: GPUs 8–15
 * repeat 0–7 with their own index and UUID. Returns its absolute path, usable as
 * FAKE_NVIDIA_SMI_SCENARIO.
 */
export function sixteenGpuScenario(dir: string): string {
  const source = join(FIXTURES, "scenarios", "h100x8");
  const twin = (line: string) =>
    line
      .replace(/GPU-3f1c/g, "GPU-4f2d")
      .replace(/^(GPU |[^,]+, )(\d+)([:,])/, (_m, a, i, b) => `${a}${Number(i) + 8}${b}`);
  const read = (name: string) => readFileSync(join(source, name), "utf8").split("\n");
  const list = read("list.txt");
  writeFileSync(
    join(dir, "list.txt"),
    [...list, ...list.filter((l) => l.startsWith("GPU ")).map(twin)].join("\n"),
  );
  const rows = read("query-gpu.csv");
  const out: string[] = [];
  let tick: string[] = [];
  const flush = () => {
    out.push(...tick, ...tick.map(twin));
    tick = [];
  };
  for (const line of rows) {
    if (/^\d{4}\//.test(line)) {
      if (tick.length && tick[0]?.slice(0, 23) !== line.slice(0, 23)) flush();
      tick.push(line);
    } else {
      flush();
      if (line) out.push(line);
    }
  }
  flush();
  writeFileSync(join(dir, "query-gpu.csv"), `${out.join("\n")}\n`);
  writeFileSync(join(dir, "compute-apps.csv"), readFileSync(join(source, "compute-apps.csv"), "utf8"));
  return dir;
}
