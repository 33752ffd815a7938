/**
 * `torchstack sbom [NAME|IMAGE]`: a CycloneDX 1.6 SBOM of an environment's or
 * image's complete inventory, validated against the official schema and
 * written to -o FILE, else ./NAME.cdx.json for a NAME, else beside the spec's lock.
 */
import { runProcess } from "../../process/run-process.js";
import { writeSbom } from "../../sbom/write-sbom.js";
import { defineCommand } from "../command.js";
import { specFileOption } from "../common-options.js";
import { VERSION } from "../version.js";

export const sbomCommand = defineCommand({
  name: "sbom",
  summary: "write a CycloneDX SBOM of an environment's or image's every package",
  usage: "sbom [NAME|IMAGE] [-f FILE] [-o FILE]",
  description:
    "Lists every dpkg package and Python distribution in the image (the inventory the lock records, else read " +
    "from the image) as CycloneDX 1.6 JSON with pkg:deb and pkg:pypi purls, the base image, torch's CUDA " +
    "libraries, and the torch build (variant, CUDA, cuDNN, NCCL, archList) as properties; validated against the " +
    "official CycloneDX schema. Without NAME|IMAGE: the spec's image. Written beside the lock (torchstack.cdx.json) " +
    "unless -o is given. Details: docs/sbom.md.",
  options: {
    file: specFileOption,
    output: { type: "string", short: "o", valueName: "FILE", description: "where to write the SBOM" },
  },
  positionals: [{ name: "NAME|IMAGE", description: "an environment name or a local image reference" }],
  examples: [
    "torchstack sbom",
    "torchstack sbom cpu-example",
    "torchstack sbom cpu-example:lock-0123456789ab -o sbom.json",
  ],
  async run(input, io) {
    const target = input.positionals[0];
    const file = input.flags.file;
    const output = input.flags.output;
    const result = await writeSbom(
      {
        toolVersion: VERSION,
        ...(target ? { target } : {}),
        ...(file ? { file } : {}),
        ...(output ? { output } : {}),
      },
      { run: runProcess, env: io.env, cwd: io.cwd, reporter: io.reporter },
    );
    return {
      json: result,
      text: `wrote ${result.file} (CycloneDX 1.6, ${result.components} components, validated)`,
    };
  },
});
