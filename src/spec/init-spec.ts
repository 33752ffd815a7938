/**
 * `torchstack init`'s core: choose the preset and name, render the commented
 * spec, check that it loads, and write it atomically, refusing to replace an
 * existing file unless forced.
 */
import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { BASE_OS, type BaseOs } from "../catalog/base-images.js";
import { builtinCatalog, type Catalog } from "../catalog/catalog.js";
import { TorchstackError, UsageError } from "../errors/torchstack-error.js";
import { assertWritableFile, writeFileAtomic } from "../fs/atomic-write.js";
import type { HostFacts } from "../host/host-facts.js";
import { parseSpecText, SPEC_FILE_NAME } from "./load-spec.js";
import { LATEST_PRESET, latestPreset, PRESET_NAMES, PRESETS, type Preset } from "./presets.js";
import { baseSchema } from "./schema.js";
import { type HostTargets, renderSpecTemplate } from "./spec-template.js";

export interface InitOptions {
  cwd: string;
  /** Output path (-o); default torchstack.yaml in cwd; "-" returns the content without writing. */
  output?: string;
  preset?: string;
  name?: string;
  force: boolean;
  host: HostFacts | null;
  /** The host as targets (GPUs, driver floor, a CUDA that runs there), when it has a driver. */
  targets?: HostTargets;
  /** The catalog the default preset (the newest confirmed stack) comes from; default built-in. */
  catalog?: Catalog;
  /** `--base`: build on this base instead of the preset's (its own Python when torchstack knows it). */
  base?: string;
}

export interface InitResult {
  file: string;
  preset: string;
  name: string;
  content: string;
}

/** With no --preset, init starts from the newest confirmed stack in the catalog. */
export const DEFAULT_PRESET = LATEST_PRESET;

/** A valid spec name from a directory name: "My Project" → "my-project". */
export function nameFromDirectory(dir: string): string {
  const cleaned = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "");
  return cleaned || "torch";
}

/** The preset called `name`; an unknown name is a usage error that lists the choices. */
export function presetNamed(name: string, catalog: Catalog = builtinCatalog): Preset {
  if (name === LATEST_PRESET) return latestPreset(catalog);
  const preset = PRESETS[name];
  if (!preset)
    throw new UsageError(
      `unknown preset "${name}"; choose one of: ${[LATEST_PRESET, ...PRESET_NAMES].join(", ")}`,
    );
  return preset;
}

/** The preset on another base, with that base's own Python (Debian 13: 3.13; Debian 12: 3.11). */
export function presetOnBase(preset: Preset, base: string): Preset {
  const parsed = baseSchema.safeParse(base);
  if (!parsed.success)
    throw new UsageError(
      `--base "${base}" is not a base: use ${Object.keys(BASE_OS).join(", ")}, or image:REF (e.g. image:torchstack-local/debian:13)`,
    );
  const named = base in BASE_OS ? BASE_OS[base as BaseOs["id"]] : undefined;
  const image = /(?:debian:13\b|:trixie\b)/.test(base)
    ? BASE_OS["debian-13"]
    : /(?:debian:12\b|:bookworm\b)/.test(base)
      ? BASE_OS["debian-12"]
      : undefined;
  const python = (named ?? image)?.python ?? preset.python;
  return { ...preset, base, python };
}

export function initSpec(options: InitOptions): InitResult {
  const presetName = options.preset ?? DEFAULT_PRESET;
  const preset = presetNamed(presetName, options.catalog);
  const name = options.name ?? nameFromDirectory(options.cwd);
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name))
    throw new UsageError(`--name "${name}" must be lower-case letters, digits, '.', '_' or '-'`);
  const toStdout = options.output === "-";
  const file = toStdout ? "-" : resolve(options.cwd, options.output ?? SPEC_FILE_NAME);
  // a folder, device, FIFO or socket is refused whatever --force says; a link is written through
  const target = toStdout ? undefined : assertWritableFile(file);
  if (target && target.kind !== "missing" && !options.force) {
    throw new TorchstackError("E_SPEC_EXISTS", `${file} already exists; not overwriting it`, {
      remedies: [`torchstack init --force (replaces ${basename(file)})`, "torchstack init -o other.yaml"],
    });
  }
  if (target && !existsSync(dirname(target.path))) {
    throw new TorchstackError("E_NO_DIR", `directory ${dirname(file)} does not exist`, {
      remedies: [`mkdir -p ${dirname(file)}`],
    });
  }
  const content = renderSpecTemplate({
    preset: options.base ? presetOnBase(preset, options.base) : preset,
    name,
    host: options.host,
    ...(options.targets ? { targets: options.targets } : {}),
  });
  parseSpecText(content, file); // a template that does not load is a bug; fail before writing
  if (!toStdout) writeFileAtomic(file, content);
  return { file, preset: presetName, name, content };
}
