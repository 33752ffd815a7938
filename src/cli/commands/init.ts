/**
 * `torchstack init`: write a commented torchstack.yaml from a preset, noting
 * the host's NVIDIA driver and GPUs. Refuses to overwrite without --force.
 */
import { loadCatalog } from "../../catalog/catalog.js";
import { detectHostFacts } from "../../host/detect-host.js";
import { DEFAULT_PRESET, initSpec, presetNamed } from "../../spec/init-spec.js";
import { LATEST_PRESET, PRESET_NAMES, PRESETS } from "../../spec/presets.js";
import { platformOfArch } from "../../spec/targets-schema.js";
import { hostTargets } from "../../workflows/init-targets.js";
import { outputFileValue } from "../args.js";
import { defineCommand } from "../command.js";
import { noHostOption } from "../common-options.js";

export const initCommand = defineCommand({
  name: "init",
  summary: "write a commented torchstack.yaml from a preset",
  usage: "init [--preset NAME] [--base BASE] [--name NAME] [-o FILE] [--force]",
  description:
    "Writes torchstack.yaml with every section explained. Presets: " +
    `${LATEST_PRESET} (the newest confirmed torch release in the catalog, on its PyPI CUDA build); ` +
    PRESET_NAMES.map((name) => `${name} (${PRESETS[name]?.summary ?? ""})`).join("; ") +
    `. Default preset: ${DEFAULT_PRESET}. On a machine with an NVIDIA driver, its GPUs and driver are written as ` +
    "`targets` (with the CUDA that runs there), so the lock does not depend on the machine that resolves it.",
  options: {
    preset: {
      type: "string",
      valueName: "NAME",
      description: `one of ${[LATEST_PRESET, ...PRESET_NAMES].join(", ")}`,
    },
    base: {
      type: "string",
      valueName: "BASE",
      description:
        "build on this base instead (e.g. image:torchstack-local/debian:13), with its own Python when torchstack knows it",
    },
    name: {
      type: "string",
      valueName: "NAME",
      description: "environment name (default: the directory's name)",
    },
    output: {
      type: "string",
      short: "o",
      valueName: "FILE",
      description: "where to write (default ./torchstack.yaml; - prints it to standard output)",
    },
    force: { type: "boolean", description: "replace an existing file" },
    "no-host": noHostOption,
  },
  examples: [
    "torchstack init --preset pytorch-2.7",
    "torchstack init --preset cpu --name demo -o demo.yaml",
    "torchstack init --preset pytorch-2.9 --force --json",
    "torchstack init --preset pytorch-2.9 --base image:torchstack-local/debian:13",
    "torchstack init --preset cpu -o - > other/torchstack.yaml",
  ],
  async run(input, io) {
    const preset = input.flags.preset;
    const name = input.flags.name;
    const output = outputFileValue(input.flags.output, "--output", io.cwd, "torchstack.yaml");
    if (preset !== undefined) presetNamed(preset); // an unknown preset fails (exit 2) before the host is read
    const host = input.flags["no-host"] ? null : await detectHostFacts(io.env);
    const catalog = await loadCatalog({ env: io.env });
    const targets = hostTargets(
      presetNamed(preset ?? DEFAULT_PRESET, catalog),
      host,
      platformOfArch(process.arch),
      catalog,
    );
    const result = initSpec({
      cwd: io.cwd,
      force: input.flags.force,
      host,
      catalog,
      ...(targets ? { targets } : {}),
      ...(preset === undefined ? {} : { preset }),
      ...(name === undefined ? {} : { name }),
      ...(input.flags.base === undefined ? {} : { base: input.flags.base }),
      ...(output === undefined ? {} : { output }),
    });
    const driver = host?.driver
      ? `NVIDIA driver ${host.driver}, ${host.gpus.length} GPU(s)`
      : "no NVIDIA driver";
    if (result.file === "-") {
      return {
        json: {
          ok: true,
          file: "-",
          preset: result.preset,
          name: result.name,
          host,
          content: result.content,
        },
        text: result.content,
      };
    }
    return {
      json: {
        ok: true,
        file: result.file,
        preset: result.preset,
        name: result.name,
        host,
        targets: targets ?? null,
      },
      text: [
        `wrote ${result.file} (preset ${result.preset}, name ${result.name}; host: ${driver})`,
        ...(targets
          ? [
              `targets: ${targets.gpus.join(", ") || "no GPU"}, driver ≥ ${targets.driver}${targets.cuda ? `, cuda ${targets.cuda}` : ""} (this host)`,
            ]
          : []),
        "next: torchstack resolve --explain, torchstack lock, torchstack render -o ctx",
      ].join("\n"),
    };
  },
});
