/**
 * `torchstack resolve`: the spec (when there is one), the host's driver and GPUs
 * (unless --no-host) and the flags, in that order of precedence, become one
 * ResolveRequest; resolveStack() turns it into the exact stack or a ResolveError.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadCatalog } from "../../catalog/catalog.js";
import { catalogAgeWarning } from "../../catalog/catalog-age.js";
import { detectHostFacts } from "../../host/detect-host.js";
import { loadProject } from "../../project/load-project.js";
import { resolveJson, resolveText } from "../../resolve/render-result.js";
import { applyFlags } from "../../resolve/request-from-flags.js";
import {
  hasTargets,
  requestFromHost,
  requestFromSpec,
  resolvedForSpec,
} from "../../resolve/request-from-spec.js";
import { resolveStack } from "../../resolve/resolve-stack.js";
import { SPEC_FILE_NAME } from "../../spec/load-spec.js";
import { platformOfArch } from "../../spec/targets-schema.js";
import { type CliIo, defineCommand } from "../command.js";
import { noHostOption, specFileOption } from "../common-options.js";

/** The spec, -f FILE or ./torchstack.yaml when there is one; `resolve` also works without. */
async function readSpec(explicit: string | undefined, io: CliIo) {
  if (explicit === undefined && !existsSync(join(io.cwd, SPEC_FILE_NAME))) return undefined;
  return loadProject({ cwd: io.cwd, file: explicit, lock: "none" });
}

export const resolveCommand = defineCommand({
  name: "resolve",
  summary: "resolve the spec into an exact, compatible stack",
  usage:
    "resolve [-f FILE] [--torch V] [--cuda auto|cpu|X.Y] [--python V] [--driver V|none] [--gpu NAME|sm_XY]… [--platform P] [--explain]",
  description:
    "Picks the exact torch, wheel variant, CUDA, cuDNN, NCCL, Python, torchvision and torchaudio that run together, " +
    "checked against the host's NVIDIA driver and every target GPU's compute capability. Flags override the spec " +
    "(./torchstack.yaml when present) and the host. Policy: docs/resolve-policy.md.",
  options: {
    file: { ...specFileOption, description: "spec file (default ./torchstack.yaml if present)" },
    torch: {
      type: "string",
      valueName: "VERSION",
      description: "torch version: 2.7 (newest patch) or 2.7.1",
    },
    cuda: {
      type: "string",
      valueName: "auto|cpu|X.Y",
      description: "wheel CUDA version; auto picks by policy",
    },
    python: { type: "string", valueName: "VERSION", description: "Python version, e.g. 3.12" },
    driver: {
      type: "string",
      valueName: "VERSION|none",
      description: "NVIDIA driver to check against (overrides the host)",
    },
    gpu: {
      type: "string",
      multiple: true,
      valueName: "NAME|sm_XY",
      description: "target GPU, e.g. H100, rtx4090, sm_90",
    },
    flavor: { type: "string", valueName: "FLAVOR", description: "runtime, toolchain or devel" },
    "torch-source": {
      type: "string",
      valueName: "wheels|distro",
      description: "official wheels or the OS's python3-torch",
    },
    platform: {
      type: "string",
      valueName: "x86_64|aarch64",
      description: "CPU platform of the image (default: the spec's, a target GPU's, else this host's)",
    },
    explain: {
      type: "boolean",
      description:
        "say why this torch and variant, and why each newer release and other variant was passed over",
    },
    "no-host": noHostOption,
  },
  examples: [
    "torchstack resolve --torch 2.7 --gpu rtx5090 --explain",
    "torchstack resolve --torch 2.7.1 --cuda 12.8 --json",
    "torchstack resolve --no-host --driver 535.104.05 --gpu sm_80",
  ],
  async run(input, io) {
    const flags = {
      torch: input.flags.torch,
      cuda: input.flags.cuda,
      python: input.flags.python,
      driver: input.flags.driver,
      gpus: input.flags.gpu,
      flavor: input.flags.flavor,
      torchSource: input.flags["torch-source"],
      platform: input.flags.platform,
    };
    applyFlags({}, flags); // malformed flags fail (exit 2) before any file or host is read
    const explain = input.flags.explain;
    const loaded = await readSpec(input.flags.file, io);
    if (loaded) io.reporter.debug(`spec: ${loaded.specFile}`);
    // The host is read only to choose, and only when neither the spec's targets nor the flags name them.
    const needHost =
      !input.flags["no-host"] &&
      !(loaded && hasTargets(loaded.spec)) &&
      (flags.driver === undefined || flags.gpus.length === 0);
    const host = needHost ? await detectHostFacts(io.env) : undefined;
    if (host)
      io.reporter.debug(
        `host driver: ${host.driver ?? "none"} (${host.driverSource}); GPUs: ${host.gpus.length}`,
      );
    const hostPlatform = platformOfArch(process.arch);
    const base = loaded
      ? requestFromSpec(loaded.spec, resolvedForSpec(loaded.spec, host, hostPlatform))
      : requestFromHost(host, hostPlatform);
    const request = applyFlags(base, flags);
    const catalog = await loadCatalog({ env: io.env });
    const stale = catalogAgeWarning(catalog, new Date());
    if (stale) io.reporter.warn(stale);
    const result = resolveStack(request, catalog);
    return { json: resolveJson(result, explain), text: resolveText(result, explain) };
  },
});
