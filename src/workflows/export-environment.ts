/**
 * `torchstack export devcontainer|compose`: the spec and its lock → the
 * container `up` would create (planExport) → `.devcontainer/devcontainer.json`
 * or `compose.yaml`, with a fresh app token kept in an env file beside it
 * (0600 over any old file, never through a link, never in the image or the
 * exported file; a `.gitignore` beside it names it). The network is the
 * spec's `run.network`, else the engine's default (host where it has no bridge):
 * only then is the engine reached, so an export with `run.network` set costs no
 * engine round trip (and its command loads no engine client).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { defaultNetwork } from "../engine/default-network.js";
import type { Engine } from "../engine/engine-client.js";
import { capUlimits, readHardLimits } from "../environments/up/ulimit-fallback.js";
import { workspaceOwner } from "../environments/up/workspace-owner.js";
import { TorchstackError } from "../errors/torchstack-error.js";
import { planExport, renderEnvFile } from "../export/export-plan.js";
import { gitignoreWith } from "../export/git-ignore.js";
import { COMPOSE_ENV_FILE, renderCompose } from "../export/render-compose.js";
import { DEVCONTAINER_ENV_FILE, renderDevcontainer } from "../export/render-devcontainer.js";
import { writeFileAtomic, writeSecretFileAtomic } from "../fs/atomic-write.js";
import type { Reporter } from "../report/reporter.js";
import { loadEnvironmentImage } from "./environment-image.js";

export interface ExportOptions {
  kind: "devcontainer" | "compose";
  file?: string;
  /** devcontainer: the folder that gets `.devcontainer/`; compose: the compose file. */
  output?: string;
  /** compose: the folder mounted at /workspace (default: the current folder). */
  workspace?: string;
}

export interface ExportDeps {
  /** Reaches the engine; called only when the spec leaves run.network unset. */
  connectEngine: () => Promise<Engine>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  reporter: Reporter;
}

export interface ExportResult {
  ok: true;
  files: string[];
  urls: Record<string, string>;
}

function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new TorchstackError("E_EXPORT_TARGET", `cannot create ${dir}: ${(error as Error).message}`, {
      remedies: ["pass another destination with -o", `check the permissions of ${dirname(dir)}`],
    });
  }
}

/** The app token's file, 0600, never through a link, with a `.gitignore` entry beside it. */
function writeSecretsFile(file: string, content: string): void {
  writeSecretFileAtomic(file, content);
  const ignore = join(dirname(file), ".gitignore");
  let existing: string | null = null;
  try {
    existing = readFileSync(ignore, "utf8");
  } catch {
    // no .gitignore yet
  }
  const next = gitignoreWith(existing, basename(file));
  if (next !== null) writeFileAtomic(ignore, next);
}

export async function exportEnvironment(options: ExportOptions, deps: ExportDeps): Promise<ExportResult> {
  const image = await loadEnvironmentImage(deps.cwd, options.file, {
    createLock: false,
    reporter: deps.reporter,
    env: deps.env,
  });
  const devcontainer = options.kind === "devcontainer";
  const target = resolve(deps.cwd, options.output ?? (devcontainer ? "." : "compose.yaml"));
  const workspace = devcontainer ? target : resolve(deps.cwd, options.workspace ?? ".");
  const network =
    image.spec.run?.network ?? (await defaultNetwork(await deps.connectEngine(), deps.reporter, "run"));
  const plan = planExport({
    spec: image.spec,
    lock: image.lock,
    image: image.tags.lock,
    specFile: image.specFile,
    workspace,
    owner: workspaceOwner(workspace, deps.env),
    network,
    token: randomBytes(24).toString("hex"),
  });
  // As `up` falls back when the host refuses a limit (memlock is often capped): the host's hard limits.
  const capped = capUlimits(plan.container.ulimits, readHardLimits());
  if (JSON.stringify(capped) !== JSON.stringify(plan.container.ulimits)) {
    deps.reporter.warn(
      `this host caps ${capped.map((u) => `${u.name} at ${u.hard}`).join(", ")}: the export uses these limits (raise them in /etc/security/limits.conf or the engine's service, then export again)`,
    );
    plan.container.ulimits = capped;
  }
  const files: string[] = [];
  if (devcontainer) {
    const dir = join(target, ".devcontainer");
    ensureDir(dir);
    const json = renderDevcontainer(plan, image.lock.user.name);
    const envFile = join(dir, DEVCONTAINER_ENV_FILE);
    writeSecretsFile(envFile, renderEnvFile(plan.secretEnv));
    writeFileAtomic(join(dir, "devcontainer.json"), `${JSON.stringify(json, null, 2)}\n`);
    files.push(join(dir, "devcontainer.json"), envFile);
  } else {
    ensureDir(dirname(target));
    const envFile = join(dirname(target), COMPOSE_ENV_FILE);
    writeSecretsFile(envFile, renderEnvFile(plan.secretEnv));
    writeFileAtomic(target, renderCompose(plan, workspace, dirname(target)));
    files.push(target, envFile);
  }
  deps.reporter.info(
    `the app token is in ${files[1]} (mode 0600, named in the .gitignore beside it); keep it out of version control`,
  );
  return { ok: true, files, urls: plan.access.urls };
}
