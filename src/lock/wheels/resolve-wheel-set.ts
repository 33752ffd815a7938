/**
 * Resolves the image's complete wheel set with the host's pip, from the indexes'
 * metadata alone (nothing is downloaded but `.metadata` files), in three stages
 * that become three image layers: torch and its closure, then the apps' packages,
 * then yours, each stage constrained to what the earlier ones chose, so adding a
 * package of yours never moves torch, an nvidia-* wheel or triton.
 * When torch is not PyPI's build, torch/torchvision/torchaudio alone come from the
 * PyTorch index (resolved with --no-deps) and everything they need from the Python
 * index: the PyTorch index is never the index for anything else.
 * Given the previous lock's set, the layers whose inputs are unchanged are kept
 * as locked (kept-layers.ts), so a re-lock does not move torch's layer.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { wheelIndexUrl } from "../../catalog/wheel-index.js";
import { TorchstackError } from "../../errors/torchstack-error.js";
import type { ProcessRunner } from "../../process/run-process.js";
import type { LockFile } from "../lock-schema.js";
import { INSTALLER_REQUIREMENT } from "./installer.js";
import { appRequirementsOf, keptLayers, type WheelSetInputs } from "./kept-layers.js";
import { netrcOf, type PackageIndexes } from "./package-indexes.js";
import { normalizeName, parsePipReport, type ReportedWheel, toLocked } from "./pip-report.js";
import { pipResolveArgs, pipResolveEnv } from "./pip-resolve-args.js";
import { wheelPlatforms } from "./wheel-platform.js";
import type { LockedWheel, WheelLayer, WheelSet } from "./wheel-set-schema.js";

export interface ResolveWheelsInput {
  lock: LockFile;
  indexes: PackageIndexes;
  /** torch/torchvision/torchaudio are PyPI's build of the release (no +cuXXX label). */
  torchFromPypi: boolean;
  /** The previous lock's set and what it was resolved from: its unchanged layers are kept. */
  previous?: { set: WheelSet; inputs: WheelSetInputs };
}

export interface ResolveWheelsDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  /** The interpreter whose pip resolves (default python3). */
  python?: string;
  signal?: AbortSignal;
  /** Progress lines ("resolving torch's wheels from https://pypi.org/simple"). */
  onStage?: (message: string) => void;
}

interface Stage {
  requirements: string[];
  index: string;
  extraIndex?: string | null;
  noDeps?: boolean;
  pinned: readonly LockedWheel[];
}

const TORCH_FAMILY = new Set(["torch", "torchvision", "torchaudio"]);

/** Requires-Dist lines that apply without extras ("triton==3.3.1; platform_system == 'Linux'" yes, "…; extra == 'opt'" no). */
function baseRequirements(reported: readonly ReportedWheel[]): string[] {
  const lines = reported.flatMap((r) => r.requiresDist).filter((line) => !/\bextra\s*==/.test(line));
  return [
    ...new Set(
      lines.filter((line) => !TORCH_FAMILY.has(normalizeName(line.split(/[\s;<>=!~[(]/, 1)[0] ?? ""))),
    ),
  ];
}

export async function resolveWheelSet(input: ResolveWheelsInput, deps: ResolveWheelsDeps): Promise<WheelSet> {
  const { lock, indexes } = input;
  const python = deps.python ?? "python3";
  const platforms = wheelPlatforms(lock);
  const dir = mkdtempSync(join(tmpdir(), "torchstack-wheels-"));
  const netrc = netrcOf(indexes);
  const netrcFile = netrc ? join(dir, "netrc") : null;
  if (netrcFile) writeFileSync(netrcFile, netrc, { mode: 0o600 });
  let pipVersion = "unknown";

  const runStage = async (stage: Stage, optional = false): Promise<ReportedWheel[]> => {
    const constraintsFile =
      stage.pinned.length > 0 ? join(dir, `constraints-${stage.pinned.length}.txt`) : undefined;
    if (constraintsFile)
      writeFileSync(constraintsFile, `${stage.pinned.map((w) => `${w.name}==${w.version}`).join("\n")}\n`);
    const args = pipResolveArgs({
      requirements: stage.requirements,
      python: lock.stack.python,
      platforms,
      targetDir: join(dir, "target-unused"),
      ...(constraintsFile ? { constraintsFile } : {}),
      ...(stage.noDeps ? { noDeps: true } : {}),
    });
    const result = await deps.run(python, args, {
      env: pipResolveEnv(deps.env, stage.index, stage.extraIndex ?? null, netrcFile),
      timeoutMs: 15 * 60_000,
      maxStdoutBytes: 64 * 1024 * 1024,
      reject: false,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (result.exitCode !== 0) {
      const stderr = result.stderr.trim();
      // An optional stage the index cannot serve is left out (the caller says what that means).
      if (optional && /No matching distribution found/.test(stderr)) return [];
      if (/No module named pip/.test(stderr) || result.exitCode === 127)
        throw new TorchstackError("E_NO_PIP", `${python} has no pip to resolve the image's wheels with`, {
          remedies: [
            "sudo apt-get install python3-pip",
            "or torchstack lock --offline (a lock with unhashed wheels)",
          ],
        });
      const lines = stderr
        .split("\n")
        .filter((l) => /ERROR|error:/.test(l))
        .slice(-4);
      throw new TorchstackError(
        "E_WHEELS_UNRESOLVED",
        `pip could not resolve ${stage.requirements.join(" ")} for CPython ${lock.stack.python} on ${platforms[0]} from ${stage.index}: ${lines.join(" ") || stderr.slice(-400) || `exit ${result.exitCode}`}`,
        {
          remedies: [
            "check each package name and version in torchstack.yaml (packages.pip) against the index",
            "a mirror: --python-index URL (or PIP_INDEX_URL); torchstack lock --offline writes a lock without wheel hashes",
          ],
        },
      );
    }
    const report = parsePipReport(result.stdout);
    pipVersion = report.pipVersion;
    return report.wheels;
  };

  const locked: LockedWheel[] = [];
  const add = (reported: readonly ReportedWheel[], index: string, layer: WheelLayer) => {
    for (const wheel of toLocked(reported, index, layer)) {
      const earlier = locked.find((w) => w.name === wheel.name);
      if (!earlier) locked.push(wheel);
      else if (earlier.version !== wheel.version)
        throw new TorchstackError(
          "E_WHEELS_UNRESOLVED",
          `${wheel.name} resolved to ${wheel.version} for the ${layer} layer but ${earlier.version} for the ${earlier.layer} layer`,
          { remedies: [`pin ${wheel.name}==${earlier.version} in torchstack.yaml packages.pip`] },
        );
    }
  };

  const torchReqs = lock.pins.torch.map((p) => p.requirement);
  const appReqs = appRequirementsOf(lock);
  const torchIndexUrl = input.torchFromPypi ? null : wheelIndexUrl(lock.stack.wheel, indexes.pytorch.url);
  const kept = input.previous
    ? keptLayers(input.previous.inputs, input.previous.set, {
        python: lock.stack.python,
        platforms,
        pythonIndex: indexes.python.url,
        torchIndex: torchIndexUrl,
        torchRequirements: torchReqs,
        appRequirements: appReqs,
      })
    : { layers: [], wheels: [] };
  const keeps = (layer: WheelLayer) => kept.layers.includes(layer);

  // torch and its closure (from PyPI, or its own builds from the PyTorch index and the rest from PyPI), then uv.
  const resolveTorchAndInstaller = async (): Promise<void> => {
    if (torchIndexUrl === null) {
      deps.onStage?.(`resolving torch's wheels (${torchReqs.join(" ")}) from ${indexes.python.url}`);
      add(
        await runStage({ requirements: torchReqs, index: indexes.python.url, pinned: [] }),
        indexes.python.url,
        "torch",
      );
    } else {
      deps.onStage?.(`resolving ${torchReqs.join(" ")} from ${torchIndexUrl} (those packages only)`);
      const family = await runStage({
        requirements: torchReqs,
        index: torchIndexUrl,
        noDeps: true,
        pinned: [],
      });
      add(family, torchIndexUrl, "torch");
      const needs = baseRequirements(family);
      deps.onStage?.(`resolving what they need (${needs.length} requirements) from ${indexes.python.url}`);
      if (needs.length > 0)
        add(
          await runStage({ requirements: needs, index: indexes.python.url, pinned: locked }),
          indexes.python.url,
          "torch",
        );
    }
    // The installer (uv) on its own: no dependencies, nothing constrains it, and it never lands in torch's closure.
    deps.onStage?.(`resolving the installer's wheel (${INSTALLER_REQUIREMENT}) from ${indexes.python.url}`);
    const installer = await runStage(
      { requirements: [INSTALLER_REQUIREMENT], index: indexes.python.url, noDeps: true, pinned: [] },
      true,
    );
    if (installer.length === 0)
      deps.onStage?.(`${indexes.python.url} has no ${INSTALLER_REQUIREMENT}: the image installs with pip`);
    add(installer, indexes.python.url, "installer");
  };

  try {
    if (keeps("torch")) {
      const torchWheels = kept.wheels.filter((w) => w.layer === "torch" || w.layer === "installer");
      deps.onStage?.(
        `keeping the previous lock's torch layer and installer (${torchWheels.length} wheels): torch's requirements, Python, platform and indexes are unchanged (lock --upgrade resolves them afresh)`,
      );
      locked.push(...torchWheels);
    } else {
      await resolveTorchAndInstaller();
    }
    if (appReqs.length > 0 && keeps("apps")) {
      const appWheels = kept.wheels.filter((w) => w.layer === "apps");
      deps.onStage?.(
        `keeping the previous lock's app wheels (${appWheels.length}): their requirements are unchanged`,
      );
      locked.push(...appWheels);
    } else if (appReqs.length > 0) {
      deps.onStage?.(`resolving the apps' wheels (${appReqs.join(" ")}) under torch's`);
      add(
        await runStage({ requirements: appReqs, index: indexes.python.url, pinned: locked }),
        indexes.python.url,
        "apps",
      );
    }
    const userReqs = lock.pins.pip.map((p) => p.requirement);
    if (userReqs.length > 0) {
      deps.onStage?.(`resolving your packages' wheels (${userReqs.join(" ")}) under the rest`);
      add(
        await runStage({ requirements: userReqs, index: indexes.python.url, pinned: locked }),
        indexes.python.url,
        "pip",
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    resolver:
      pipVersion === "unknown" && input.previous
        ? input.previous.set.resolver
        : `pip ${pipVersion} install --dry-run --report`,
    python: lock.stack.python,
    platforms,
    pythonIndex: indexes.python.url,
    torchIndex: torchIndexUrl,
    wheels: locked,
  };
}
