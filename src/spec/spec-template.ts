/**
 * The text `torchstack init` writes: a complete torchstack.yaml in which every
 * section is explained by a comment, filled from a preset, the chosen name and
 * what the host told us about its NVIDIA driver and GPUs. Pure: text out.
 */
import { parse } from "yaml";
import type { HostFacts } from "../host/host-facts.js";
import type { Preset } from "./presets.js";

/** A name as YAML reads it back as the same string: `123`, `true`, `null`, `1e3`, `0x10` are quoted. */
function yamlString(value: string): string {
  return parse(value) === value ? value : JSON.stringify(value);
}

export interface TemplateInput {
  preset: Preset;
  name: string;
  /** Null when the host could not be read. */
  host: HostFacts | null;
  /** Set when the host has a driver: written as `targets` and the `cuda` the lock keeps. */
  targets?: HostTargets;
}

/** The host as targets (init on a machine with a driver): its GPUs, its driver as the floor, a CUDA that runs there. */
export interface HostTargets {
  gpus: string[];
  /** "570.86": the host's driver, as the oldest driver the image must start on. */
  driver: string;
  /** The wheel CUDA that runs on these targets for the preset's torch; null when none does. */
  cuda: string | null;
}

function targetsLines(targets: HostTargets | undefined): string[] {
  if (!targets) {
    return [
      "# targets: where the image must run (GPUs by name or sm_XY, the oldest driver). With targets,",
      "# resolve and lock never look at the machine they run on, so the lock is the same everywhere:",
      '# targets: { gpus: [H100, "RTX 5090"], driver: "570.86" }',
      "# platform: x86_64 or aarch64 (GH200, GB200 and Thor hosts are aarch64); default: this machine's.",
    ];
  }
  return [
    "# targets: where the image must run, written from this host's GPUs and driver. resolve and lock",
    "# choose for these, never for the machine they run on, so the lock checks and builds the same on a",
    "# laptop, a CI runner and a server. Add every GPU you deploy to (H100, rtx4090, sm_90, …); driver is",
    "# the oldest NVIDIA driver the image must start on. Remove the block to resolve for each host instead.",
    "targets:",
    `  gpus: [${targets.gpus.map(quote).join(", ")}]`,
    `  driver: ${quote(targets.driver)}`,
    "# platform: x86_64 or aarch64 (GH200, GB200 and Thor hosts are aarch64); default: this machine's.",
  ];
}

function hostLines(host: HostFacts | null): string[] {
  if (host === null) return ["# Host: not inspected."];
  if (host.driver === null)
    return [
      "# Host: no NVIDIA driver found when this file was written (a CPU machine, or a build host).",
      "#   `cuda: auto` then picks the torch release's default wheel; pin cuda for a specific GPU host.",
    ];
  const lines = [`# Host: NVIDIA driver ${host.driver} (read from ${host.driverSource}).`];
  for (const gpu of host.gpus) {
    const cc = gpu.computeCapability ? `, compute capability ${gpu.computeCapability}` : "";
    lines.push(`#   GPU ${gpu.index}: ${gpu.name}${cc}`);
  }
  if (host.gpus.length === 0) lines.push("#   No GPU listed by the driver.");
  return lines;
}

function quote(value: string): string {
  return `"${value}"`;
}

/** `auto` when the host has a driver to fit; otherwise the preset's CUDA, so a build host gets what it says. */
function cudaLines({ preset, host, targets }: TemplateInput): string[] {
  const reference = quote(preset.referenceCuda ?? "");
  if (targets?.cuda)
    return [
      `# cuda: ${targets.cuda} is the wheel variant torch ${preset.torch} runs with on the targets above`,
      "# (`torchstack resolve --explain` says why); pinned so the lock keeps it. auto re-chooses for the",
      "# targets; cpu = CPU-only wheels.",
      `cuda: ${quote(targets.cuda)}`,
    ];
  if (host?.driver)
    return [
      "# cuda: auto picks the wheel variant that this host's driver and every GPU can run",
      `# (see \`torchstack resolve --explain\`); the preset was written for CUDA ${preset.referenceCuda}:`,
      `# pin it with cuda: ${reference}. cpu = CPU-only wheels.`,
      "cuda: auto",
    ];
  return [
    `# cuda: the preset's CUDA ${preset.referenceCuda}, pinned because no driver was found here to fit.`,
    "# auto picks the variant the host's driver and GPUs can run (`torchstack resolve --explain`);",
    "# cpu = CPU-only wheels.",
    `cuda: ${reference}`,
  ];
}

function torchLines(input: TemplateInput): string[] {
  const { preset } = input;
  const notes = preset.notes.map((line) => `# ${line}`);
  if (preset.torchSource === "distro") {
    return [
      ...notes,
      "# Where torch comes from: wheels (official PyTorch indexes, CUDA or CPU) or distro",
      "# (the OS's python3-torch, CPU only; Debian 12 fixes torch 1.13.1 and Python 3.11).",
      "torchSource: distro",
      "# cpu: no CUDA. (With torchSource: wheels, auto / cpu / a version such as 12.8.)",
      "cuda: cpu",
      `python: ${quote(preset.python)}`,
    ];
  }
  return [
    ...notes,
    "# Where torch comes from: wheels (official PyTorch indexes) or distro (the OS's python3-torch, CPU only).",
    "torchSource: wheels",
    '# torch: a release ("2.7.1") or a minor ("2.7" = its newest patch release).',
    `torch: ${quote(preset.torch ?? "")}`,
    ...cudaLines(input),
    "# python: the CPython minor for the environment (must have wheels for this torch).",
    `python: ${quote(preset.python)}`,
  ];
}

export function renderSpecTemplate(input: TemplateInput): string {
  const { preset, name } = input;
  const lines = [
    "# torchstack.yaml: one PyTorch environment, from spec to running container.",
    "# Reference: docs/spec.md. Next: `torchstack resolve --explain` (the exact stack),",
    "# `torchstack lock` (pin it), `torchstack render -o ctx` (the Dockerfile), `torchstack build`, `torchstack up`.",
    "#",
    ...hostLines(input.host),
    "",
    ...targetsLines(input.targets),
    "",
    "# name: names the image, the container and `torchstack up NAME` (lower-case, digits, . _ -).",
    `name: ${yamlString(name)}`,
    "# description and source end up in the image's OCI labels (source: your project's URL).",
    "# description: Training environment for the vision team",
    "# source: https://github.com/me/project",
    "",
    "# extends: a parent spec (path relative to this file) to derive from, e.g. a team's golden image;",
    "# mappings merge, this file wins, lists are replaced.",
    "# extends: ../golden/torchstack.yaml",
    "",
    ...torchLines(input),
    "",
    "# flavor: runtime (torch only), toolchain (runtime + gcc/g++ and Python headers, which",
    "# torch.compile / Triton need at run time), devel (toolchain + nvcc for CUDA extensions).",
    `flavor: ${preset.flavor}`,
    "",
    "# base: the OS image: ubuntu-22.04, ubuntu-24.04, debian-12, debian-13, or image:REF for your own base.",
    `base: ${preset.base}`,
    "",
    "# packages: extra OS and Python packages, installed after torch so torch's layer is reused.",
    "# pip entries are requirement strings (pin with ==); torch cannot be replaced (constraints file).",
    "packages:",
    "  pip: []",
    "  apt: []",
    "",
    "# apps: servers started in the container. true/false, or a mapping with options.",
    "#   jupyter:     port (8888); lab: true for JupyterLab (wheels only; distro images run Jupyter Server)",
    "#   ssh:         port (2222); authorizedKeys: path to a public key (default: your ~/.ssh key or a generated one)",
    "#   tensorboard: port (6006); logdir (wheels only)",
    "#   vscode:      port (8443), code-server (wheels only; its download needs network at build time)",
    "apps:",
    `  jupyter: ${preset.apps.jupyter}`,
    `  ssh: ${preset.apps.ssh}`,
    "  tensorboard: false",
    "",
    "# user: the non-root user inside the container; uid/gid auto = the workspace owner's.",
    "user:",
    "  name: dev",
    "  uid: auto",
    "  gid: auto",
    "",
    "# run: defaults for `torchstack up` (flags override them).",
    "run:",
    `  # gpus: all, none, a count (2), or indices / UUIDs ("0,1").`,
    `  gpus: ${preset.torchSource === "distro" ? "none" : "all"}`,
    "  # shm: shared memory for DataLoader workers and NCCL (Docker's default 64m is too small);",
    "  # or ipc: host.",
    "  shm: 8g",
    "  # memory: 32g",
    "  # cpus: 8",
    '  # mounts: ["~/datasets:/data:ro"]',
    "  # env: { HF_HOME: /workspace/.cache/huggingface }",
    "",
  ];
  return `${lines.join("\n")}`;
}
