/**
 * `torchstack sbom [NAME|IMAGE]`: picks the image (an environment's, a local
 * image reference, or the spec's lock tag), takes its inventory (the one the
 * lock records when it is that image's, else read from the image), builds the
 * CycloneDX SBOM, validates it against the official schema and writes it:
 * `-o FILE`; else, for a NAME or IMAGE argument, `./NAME.cdx.json` where the user is (the
 * environment's spec folder may be shared or read-only); else beside the spec's lock
 * (`torchstack.cdx.json`).
 */
import { dirname, join, resolve } from "node:path";
import { dockerCli } from "../engine/docker-cli.js";
import { TorchstackError } from "../errors/torchstack-error.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { lockTag } from "../image-build/image-tags.js";
import { collectInventory } from "../inventory/collect-inventory.js";
import type { Inventory } from "../inventory/inventory-schema.js";
import { lockDigest } from "../lock/lock-file.js";
import type { ProcessRunner } from "../process/run-process.js";
import { loadProject, type Project } from "../project/load-project.js";
import type { Reporter } from "../report/reporter.js";
import { buildSbom } from "./build-sbom.js";
import { subjectFromLabels } from "./sbom-subject.js";
import { validateSbom } from "./validate-sbom.js";

export interface SbomOptions {
  target?: string;
  file?: string;
  output?: string;
  toolVersion: string;
}

export interface SbomDeps {
  run: ProcessRunner;
  env: NodeJS.ProcessEnv;
  cwd: string;
  reporter: Reporter;
}

export interface SbomResult {
  ok: true;
  file: string;
  image: string;
  specVersion: "1.6";
  components: number;
}

interface ImageFacts {
  id: string;
  labels: Record<string, string>;
}

async function inspectImage(ref: string, deps: SbomDeps): Promise<ImageFacts | undefined> {
  const result = await deps.run(
    dockerCli("images", deps.env),
    ["image", "inspect", "--format", "{{.Id}} {{json .Config.Labels}}", ref],
    {
      env: deps.env,
      reject: false,
    },
  );
  if (result.exitCode !== 0) return undefined;
  const [id = "", ...rest] = result.stdout.trim().split(" ");
  let labels: Record<string, string> = {};
  try {
    labels = (JSON.parse(rest.join(" ")) as Record<string, string> | null) ?? {};
  } catch {
    labels = {};
  }
  return { id, labels };
}

/** The environment's container image, when NAME is a torchstack environment. */
async function environmentImage(
  name: string,
  deps: SbomDeps,
): Promise<{ image: string; spec: string } | undefined> {
  const result = await deps.run(
    dockerCli("images", deps.env),
    [
      "container",
      "inspect",
      "--format",
      '{{.Image}} {{index .Config.Labels "dev.torchstack.spec"}}',
      `torchstack-${name}`,
    ],
    { env: deps.env, reject: false },
  );
  if (result.exitCode !== 0) return undefined;
  const [image = "", spec = ""] = result.stdout.trim().split(" ");
  return image ? { image, spec } : undefined;
}

interface Target {
  image: string;
  lockPath: string | undefined;
  fallbackName: string;
  /** The project whose lock describes the image, when there is one. */
  project?: Project;
}

async function pickTarget(options: SbomOptions, deps: SbomDeps): Promise<Target> {
  if (options.target) {
    const env = await environmentImage(options.target, deps);
    if (env) {
      const project = env.spec
        ? await loadProject({ cwd: deps.cwd, file: env.spec, spec: "path", lock: "optional" })
        : undefined;
      return {
        image: env.image,
        lockPath: project?.lock ? project.lockPath : undefined,
        fallbackName: options.target,
        ...(project?.lock ? { project } : {}),
      };
    }
    return {
      image: options.target,
      lockPath: undefined,
      fallbackName: options.target.replace(/[:@/]+/g, "-"),
    };
  }
  const project = await loadProject({ cwd: deps.cwd, file: options.file, spec: "find", lock: "required" });
  const { lock, lockPath } = project;
  return { image: lockTag(lock.name, lockDigest(lock)), lockPath, fallbackName: lock.name, project };
}

export async function writeSbom(options: SbomOptions, deps: SbomDeps): Promise<SbomResult> {
  const target = await pickTarget(options, deps);
  const facts = await inspectImage(target.image, deps);
  if (!facts)
    throw new TorchstackError("E_IMAGE_NOT_FOUND", `no local image or environment named ${target.image}`, {
      remedies: [
        "torchstack build (builds the spec's image)",
        "torchstack ps (lists environments)",
        "docker image ls",
      ],
    });
  const lock = target.project?.lock;
  let inventory: Inventory | undefined;
  if (lock?.inventory?.imageId === facts.id && target.project) {
    deps.reporter.info(`inventory from ${join(dirname(target.project.lockPath), lock.inventory.file)}`);
    inventory = target.project.inventory();
  }
  if (!inventory) {
    deps.reporter.step(`reading the inventory of ${target.image}`);
    inventory = await collectInventory(target.image, { ...deps, docker: dockerCli("images", deps.env) });
  }
  const subject = subjectFromLabels(target.image, facts.id, facts.labels);
  const bom = buildSbom(subject, inventory, options.toolVersion);
  const text = `${JSON.stringify(bom, null, 2)}\n`;
  await validateSbom(text);
  const file = sbomOutputPath(options, target, deps.cwd);
  writeFileAtomic(file, text);
  return { ok: true, file, image: target.image, specVersion: "1.6", components: bom.components.length };
}

/**
 * Where the SBOM goes: -o FILE; with a NAME or IMAGE argument the current folder (never the
 * environment's spec folder, which may be a checkout or read-only); else beside the spec's lock.
 */
export function sbomOutputPath(
  options: Pick<SbomOptions, "output" | "target">,
  target: Pick<Target, "lockPath" | "fallbackName">,
  cwd: string,
): string {
  if (options.output) return resolve(cwd, options.output);
  if (options.target || !target.lockPath) return resolve(cwd, `${target.fallbackName}.cdx.json`);
  return join(dirname(target.lockPath), `${lockBase(target.lockPath)}.cdx.json`);
}

const lockBase = (lockPath: string) =>
  (lockPath.split("/").pop() ?? "torchstack.lock").replace(/\.lock$/, "");
