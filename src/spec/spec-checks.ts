/**
 * Checks of a valid spec that the schema alone cannot say, each located by line:
 * "tensorboard with Debian's torch" (Debian 12 has no tensorboard package), two
 * apps on one port, a target GPU the catalog does not know.
 */
import { distroTorchFor } from "../catalog/distro-torch.js";
import { unknownGpuReason } from "../catalog/known-gpu.js";
import type { ErrorCode } from "../errors/error-codes.js";
import { SpecError } from "../errors/torchstack-error.js";
import type { Spec } from "./schema.js";
import type { Locate } from "./spec-issues.js";
import { formatPath, type KeyPath } from "./yaml-source.js";

/**
 * The distro row a spec's base uses. An `image:REF` base is taken to be Debian 12 derived unless its
 * reference names Debian 13 (`…/debian:13`, `…:trixie`), like the local base `npm run engine:setup` makes.
 */
export function distroBaseOf(spec: Spec): string {
  if (spec.base === undefined) return "debian-12";
  if (!spec.base.startsWith("image:")) return spec.base;
  return /(?:debian:13\b|:trixie\b|debian-13\b)/.test(spec.base) ? "debian-13" : "debian-12";
}

export const DEFAULT_PORTS = { jupyter: 8888, ssh: 2222, tensorboard: 6006, vscode: 8443 } as const;

type Fail = (path: KeyPath, message: string, fix: string, code?: ErrorCode) => SpecError;

function distroChecks(spec: Spec, fail: Fail): SpecError | undefined {
  const base = distroBaseOf(spec);
  const row = distroTorchFor(base);
  if (!row)
    return fail(
      ["base"],
      `${base} has no python3-torch torchstack knows of`,
      "set base: debian-12, or torchSource: wheels",
    );
  const what = `${base}'s python3-torch ${row.torch}`;
  if (spec.apps?.tensorboard)
    return fail(
      ["apps", "tensorboard"],
      "tensorboard is not available with torchSource: distro (Debian 12 has no tensorboard package)",
      "remove apps.tensorboard, or set torchSource: wheels",
    );
  if (spec.apps?.vscode)
    return fail(
      ["apps", "vscode"],
      "vscode (code-server) is only offered with torchSource: wheels",
      "remove apps.vscode, or set torchSource: wheels",
    );
  const jupyter = spec.apps?.jupyter;
  if (typeof jupyter === "object" && jupyter.lab === true)
    return fail(
      ["apps", "jupyter", "lab"],
      "Debian 12 has no JupyterLab package; distro images run Jupyter Server",
      "remove apps.jupyter.lab, or set torchSource: wheels",
    );
  if (spec.cuda !== undefined && spec.cuda !== "cpu" && spec.cuda !== "auto")
    return fail(["cuda"], `${what} is CPU only`, "set cuda: cpu, or torchSource: wheels");
  if (spec.flavor === "devel")
    return fail(
      ["flavor"],
      "devel adds nvcc, which CPU-only distro torch cannot use",
      "set flavor: toolchain",
    );
  const minor = row.torch.split(".").slice(0, 2).join(".");
  if (spec.torch !== undefined && spec.torch !== row.torch && spec.torch !== minor)
    return fail(
      ["torch"],
      `${what} is torch ${row.torch}, not ${spec.torch}`,
      `remove torch, or set torchSource: wheels`,
    );
  if (spec.python !== undefined && spec.python !== row.python)
    return fail(
      ["python"],
      `${what} is built for Python ${row.python}`,
      `remove python (or set python: "${row.python}")`,
    );
  return undefined;
}

function portChecks(spec: Spec, fail: Fail): SpecError | undefined {
  const seen = new Map<number, string>();
  for (const app of Object.keys(DEFAULT_PORTS) as (keyof typeof DEFAULT_PORTS)[]) {
    const value = spec.apps?.[app];
    if (!value) continue;
    const port = (typeof value === "object" ? value.port : undefined) ?? DEFAULT_PORTS[app];
    const other = seen.get(port);
    if (other)
      return fail(
        ["apps", app, "port"],
        `port ${port} is also used by apps.${other}`,
        `give apps.${app} another port`,
      );
    seen.set(port, app);
  }
  return undefined;
}

const TORCH_PACKAGES = new Set(["torch", "torchvision", "torchaudio"]);

function packageChecks(spec: Spec, fail: Fail): SpecError | undefined {
  const pip = spec.packages?.pip ?? [];
  for (const [index, requirement] of pip.entries()) {
    const name = /^[A-Za-z0-9._-]+/.exec(requirement.trim())?.[0]?.toLowerCase() ?? "";
    if (TORCH_PACKAGES.has(name))
      return fail(
        ["packages", "pip", index],
        `${name} comes from the torch/cuda keys and is pinned by the constraints file`,
        `remove "${requirement}" from packages.pip; set torch: (and cuda:) instead`,
      );
    if (requirement.trim().startsWith("-") || /[\r\n]/.test(requirement))
      return fail(
        ["packages", "pip", index],
        "must be one requirement such as numpy==2.2.6 (no pip options, no line breaks)",
        "write one package per list item; index options are not supported",
      );
  }
  return undefined;
}

/** A target GPU (`targets.gpus`, or the older comma-separated `gpu`) the catalog cannot check. */
function gpuChecks(spec: Spec, fail: Fail): SpecError | undefined {
  const named: [KeyPath, string][] =
    spec.targets?.gpus?.map((name, index) => [["targets", "gpus", index], name]) ??
    (spec.gpu?.split(",") ?? []).map((name) => [["gpu"], name]);
  for (const [path, name] of named) {
    if (name.trim() === "") continue;
    const reason = unknownGpuReason(name);
    if (reason !== undefined)
      return fail(
        path,
        reason,
        "name it as the catalog does (one of the nearest above), or give its compute capability as sm_XY (e.g. sm_90)",
        "E_SPEC_INVALID",
      );
  }
  return undefined;
}

/** Returns the first cross-field problem as a located SpecError, or undefined. */
export function checkSpec(spec: Spec, locate: Locate): SpecError | undefined {
  const fail: Fail = (path, message, fix, code = "E_SPEC_CONFLICT") => {
    const { file, line } = locate(path);
    return new SpecError(code, message, { file, line, key: formatPath(path) }, { remedies: [fix] });
  };
  if (spec.user?.name === "root")
    return fail(["user", "name"], "the environment's user must not be root", "set user.name to e.g. dev");
  if (spec.torchSource === "distro") {
    const problem = distroChecks(spec, fail);
    if (problem) return problem;
  }
  return gpuChecks(spec, fail) ?? packageChecks(spec, fail) ?? portChecks(spec, fail);
}
