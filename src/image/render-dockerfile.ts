/**
 * Renders the Dockerfile from a lock: a plain OS base (the wheels bring CUDA),
 * layers ordered for reuse (OS → Python → torch → your packages → apps → your
 * files), BuildKit cache mounts, a non-root user, tini as PID 1, pinned
 * versions, OCI labels carrying the stack, and a HEALTHCHECK when an app is on.
 * Deterministic: no timestamps, so the same lock renders the same bytes.
 */

import { APT_PREFERENCES_PATH } from "../inventory/inventory-pins.js";
import type { LockFile } from "../lock/lock-schema.js";
import { EXEC_WRAPPER } from "./assets/image-assets.js";
import { appSection, userPackagesSection } from "./dockerfile-late-sections.js";
import { type DockerfilePlan, planDockerfile } from "./dockerfile-plan.js";
import { installerStage } from "./dockerfile-python-bootstrap.js";
import { nvccSection, osSection, pythonSection, torchSection, userSection } from "./dockerfile-sections.js";
import { freezeSection, hashedTorchSection } from "./dockerfile-wheel-sections.js";

export interface RenderDockerfileOptions {
  /**
   * Write `# syntax=docker/dockerfile:1` first. Default false: that line makes BuildKit fetch the frontend
   * image from Docker Hub; the frontend built into BuildKit reads every instruction this file uses.
   */
  syntax?: boolean;
  /** OCI source URL, when known. */
  source?: string;
  description?: string;
  /** The context carries `apt-preferences` (the lock's inventory): copy it before the first apt install. */
  aptPreferences?: boolean;
}

/**
 * A Dockerfile string literal: JSON quoting is valid Dockerfile double-quote syntax, and `$` is escaped
 * so that LABEL and ENV keep `$HOME` or `${x}` in a description literally instead of expanding them.
 */
const quote = (value: string) => JSON.stringify(value).replaceAll("$", "\\$");

function baseRefOf(plan: DockerfilePlan): string {
  const { base } = plan.lock;
  return base.digest ? `${base.ref}@${base.digest}` : base.ref;
}

function fromSection(plan: DockerfilePlan): string[] {
  const { stack, torchSource } = plan.lock;
  const ref = baseRefOf(plan);
  const why =
    torchSource === "distro"
      ? ["# Base: Debian's own torch is CPU only; no CUDA anywhere."]
      : stack.cuda
        ? [
            `# Base: a plain OS image, not a CUDA/cuDNN one: the ${stack.wheel} wheels bring their own CUDA`,
            "# libraries (nvidia-* pip packages), so CUDA is never installed twice; only the host driver matters.",
          ]
        : ["# Base: a plain OS image; CPU wheels need no CUDA."];
  return [...why, `FROM ${ref}`, "", 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]'];
}

function metadataSection(plan: DockerfilePlan, options: RenderDockerfileOptions): string[] {
  const { lock } = plan;
  const ports = { jupyter: 8888, ssh: 2222, tensorboard: 6006, vscode: 8443 };
  for (const [name, app] of Object.entries(lock.apps)) ports[name as keyof typeof ports] = app.port;
  const stackJson = JSON.stringify(lock.stack);
  const user = `${lock.user.name}:${lock.user.uid}:${lock.user.gid}`;
  const source = options.source ?? lock.source;
  const description =
    options.description ??
    lock.description ??
    `PyTorch ${lock.stack.torch} (${lock.torchSource === "distro" ? "Debian package" : lock.stack.wheel}), Python ${lock.stack.python}, ${lock.flavor} flavor`;
  const labels: [string, string][] = [
    ["dev.torchstack.spec-name", lock.name],
    ["dev.torchstack.stack", stackJson],
    ["dev.torchstack.apps", JSON.stringify(lock.apps)],
    ["dev.torchstack.user", user],
    ["dev.torchstack.flavor", lock.flavor],
    ["dev.torchstack.torch-source", lock.torchSource],
    ["dev.torchstack.exec", EXEC_WRAPPER],
    ["org.opencontainers.image.title", lock.name],
    ["org.opencontainers.image.description", description],
    ["org.opencontainers.image.version", plan.contentTag],
    ...(source ? [["org.opencontainers.image.source", source] as [string, string]] : []),
    ["org.opencontainers.image.base.name", lock.base.ref],
    ...(lock.base.digest
      ? [["org.opencontainers.image.base.digest", lock.base.digest] as [string, string]]
      : []),
  ];
  const env: [string, string][] = [
    ["TORCHSTACK_STACK", stackJson],
    ["TORCHSTACK_MIN_DRIVER", lock.stack.minDriver ?? ""],
    ["JUPYTER_PORT", String(ports.jupyter)],
    ["SSH_PORT", String(ports.ssh)],
    ["TENSORBOARD_PORT", String(ports.tensorboard)],
    ["VSCODE_PORT", String(ports.vscode)],
  ];
  if (lock.apps.tensorboard?.logdir) env.push(["TENSORBOARD_LOGDIR", lock.apps.tensorboard.logdir]);
  if (lock.stack.cuda) env.push(["NVIDIA_DRIVER_CAPABILITIES", "compute,utility"]);
  const continued = (keyword: string, pairs: [string, string][]) =>
    pairs.map(
      ([k, v], i) =>
        `${i === 0 ? `${keyword} ` : "    "}${k}=${quote(v)}${i === pairs.length - 1 ? "" : " \\"}`,
    );
  const appPorts = Object.values(lock.apps).map((a) => a.port);
  const lines = [
    "# What the entrypoint checks and reports, and labels that `torchstack ps` and others read (no timestamps).",
    ...continued("ENV", env),
    ...continued("LABEL", labels),
  ];
  if (appPorts.length > 0) {
    lines.push(
      `EXPOSE ${appPorts.join(" ")}`,
      'HEALTHCHECK --interval=10s --timeout=5s --start-period=30s CMD ["/usr/local/bin/torchstack-healthcheck"]',
    );
  }
  return lines;
}

function startSection(plan: DockerfilePlan): string[] {
  const { name, uid, gid } = plan.lock.user;
  return [
    `# Non-root by default (numeric, so Kubernetes' runAsNonRoot admits it; any UID with group 0 works too).`,
    `# \`torchstack up\` starts it as root only to remap ${name}'s UID/GID to the workspace owner${plan.lock.apps.ssh ? " or start sshd" : ""};`,
    `# the entrypoint then drops to ${name} (setpriv). tini is PID 1: it reaps zombies and forwards signals.`,
    `USER ${uid}:${gid}`,
    "WORKDIR /workspace",
    'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/torchstack-entrypoint"]',
    'CMD ["sleep", "infinity"]',
  ];
}

export function renderDockerfile(lock: LockFile, options: RenderDockerfileOptions = {}): string {
  const plan = planDockerfile(lock);
  const header = [
    ...(options.syntax === true ? ["# syntax=docker/dockerfile:1"] : []),
    `# ${lock.name}: ${plan.contentTag}. Rendered by \`torchstack render\` from the lock;`,
    "# edit torchstack.yaml and re-render rather than editing this file.",
  ];
  const sections = [
    header,
    installerStage(plan, baseRefOf(plan)),
    fromSection(plan),
    options.aptPreferences
      ? [
          "# Rebuild from the lock's inventory: apt installs exactly the recorded version of every package.",
          `COPY apt-preferences ${APT_PREFERENCES_PATH}`,
        ]
      : [],
    osSection(plan),
    nvccSection(plan),
    userSection(plan),
    pythonSection(plan),
    plan.lock.wheels ? hashedTorchSection(plan.lock, plan.lock.wheels) : torchSection(plan),
    // Apps before your packages: packages change often, apps rarely, so adding a
    // package rebuilds only its own layer (measured in docs/bench/bench-engine.md).
    appSection(plan),
    userPackagesSection(plan),
    plan.lock.wheels ? freezeSection() : [],
    ["# torchstack's entrypoint, healthcheck and app config, then nothing but metadata.", "COPY rootfs/ /"],
    metadataSection(plan, options),
    startSection(plan),
  ].filter((section) => section.length > 0);
  return `${sections.map((section) => section.join("\n")).join("\n\n")}\n`;
}
