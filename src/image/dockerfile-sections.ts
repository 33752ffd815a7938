/**
 * The Dockerfile's early sections, in build order (OS packages, nvcc, user,
 * Python, torch), each a list of lines with a short comment saying why. Layer
 * order is for reuse: what changes least comes first, so adding a package to
 * the spec rebuilds only the layers after torch (dockerfile-late-sections.ts).
 */
import { PYPI_SIMPLE } from "../lock/wheels/package-indexes.js";
import { shellJoin, shellQuote } from "../process/shell-quote.js";
import type { DockerfilePlan } from "./dockerfile-plan.js";
import { standalonePythonSection } from "./dockerfile-python-bootstrap.js";
import { APT_CACHE, aptInstall, CONSTRAINTS_PATH, pipInstall, run } from "./dockerfile-run.js";

export function osSection(plan: DockerfilePlan): string[] {
  const flavorNote =
    plan.lock.flavor === "runtime"
      ? []
      : [
          `# ${plan.lock.flavor}: gcc/g++/make and Python headers, for the C that torch.compile/Triton build at run time.`,
        ];
  return [
    "# OS packages: tini (PID 1), CA certificates, Python tooling.",
    ...flavorNote,
    "# BuildKit caches apt downloads and lists outside the image (docker-clean removed so they stay cached).",
    "ARG DEBIAN_FRONTEND=noninteractive",
    "RUN rm -f /etc/apt/apt.conf.d/docker-clean \\",
    "    && echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' >/etc/apt/apt.conf.d/keep-cache",
    ...aptInstall(plan.osPackages),
  ];
}

export function nvccSection(plan: DockerfilePlan): string[] {
  const cuda = plan.nvcc;
  if (plan.lock.flavor !== "devel") return [];
  if (!cuda || !plan.os) {
    return [
      "# devel flavor on image:REF: the base is expected to carry nvcc (e.g. an nvidia/cuda devel image).",
      'RUN command -v nvcc >/dev/null || { echo "torchstack: flavor devel, but the base image has no nvcc" >&2; exit 1; }',
    ];
  }
  const dash = cuda.replace(".", "-");
  // NVIDIA's apt repository has one folder per CPU: x86_64, and sbsa for aarch64 servers (GH200, GB200, Thor).
  const arch = plan.lock.platform === "aarch64" ? "sbsa" : "x86_64";
  const repo = `https://developer.download.nvidia.com/compute/cuda/repos/${plan.os.cudaRepo}/${arch}`;
  const dev = [
    "cuda-nvcc",
    "cuda-cudart-dev",
    "cuda-nvrtc-dev",
    "libcublas-dev",
    "libcusparse-dev",
    "libcusolver-dev",
  ];
  return [
    `# devel: nvcc ${cuda} from NVIDIA's apt repository, pinned to the wheel's CUDA (cu${dash.replace("-", "")}),`,
    "#   plus the headers ATen's CUDA headers include, for building extensions. A CUDA devel base image",
    "#   would bring a second full CUDA; at run time torch still loads the libraries from its wheels.",
    ...run(APT_CACHE, [
      `curl -fsSLo /tmp/cuda-keyring.deb ${repo}/cuda-keyring_1.1-1_all.deb`,
      "dpkg -i /tmp/cuda-keyring.deb && rm /tmp/cuda-keyring.deb",
      "apt-get update",
      `apt-get install -y --no-install-recommends ${dev.map((p) => `${p}-${dash}`).join(" ")}`,
    ]),
    `ENV CUDA_HOME=/usr/local/cuda-${cuda} \\`,
    `    PATH=/usr/local/cuda-${cuda}/bin:$PATH`,
  ];
}

export function userSection(plan: DockerfilePlan): string[] {
  const { name, uid, gid } = plan.lock.user;
  return [
    `# The non-root user (${name} ${uid}:${gid}) and /workspace. The entrypoint remaps the IDs to the`,
    `# workspace owner's at start. A user the base already has with UID ${uid} (Ubuntu 24.04's 'ubuntu') is removed.`,
    "# /workspace belongs to group 0 as well, so an arbitrary UID with group 0 (OpenShift, runAsUser) can write it.",
    ...run(
      [],
      [
        `if getent passwd ${uid} >/dev/null; then userdel --remove "$(getent passwd ${uid} | cut -d: -f1)"; fi`,
        `if ! getent group ${gid} >/dev/null; then groupadd --gid ${gid} ${shellQuote(name)}; fi`,
        `useradd --uid ${uid} --gid ${gid} --create-home --shell /bin/bash ${shellQuote(name)}`,
        `install -d -o ${uid} -g 0 -m 0775 /workspace`,
      ],
    ),
  ];
}

export function pythonSection(plan: DockerfilePlan): string[] {
  const { python } = plan;
  const env = [
    "ENV VIRTUAL_ENV=/opt/venv \\",
    "    PATH=/opt/venv/bin:$PATH \\",
    "    PYTHONUNBUFFERED=1 \\",
    "    PIP_DISABLE_PIP_VERSION_CHECK=1",
  ];
  if (python.kind === "os") {
    const distro = plan.lock.torchSource === "distro";
    return [
      distro
        ? `# Python ${python.version} from the OS, with a venv that sees the OS's torch (--system-site-packages).`
        : `# Python ${python.version}: the OS's own python3 matches the stack, so no second Python is installed.`,
      ...run([], [`python3 -m venv ${distro ? "--system-site-packages " : ""}/opt/venv`]),
      ...env,
    ];
  }
  return [...standalonePythonSection(plan), ...env];
}

export function torchSection(plan: DockerfilePlan): string[] {
  const { lock } = plan;
  const pins = lock.pins.torch.map((p) => p.requirement);
  const head = [
    "# torch, in its own layer. The constraints file pins torch/torchvision/torchaudio for every later",
    "# pip install (PIP_CONSTRAINT), so no package can silently replace torch.",
    `COPY constraints.txt ${CONSTRAINTS_PATH}`,
    `ENV PIP_CONSTRAINT=${CONSTRAINTS_PATH}`,
  ];
  if (lock.torchSource === "distro") {
    const compile = plan.torchCompilePackages;
    return [
      ...head,
      "# Debian's python3-torch (CPU only), pinned to the exact package versions.",
      ...(compile.length > 0
        ? [
            `# ${plan.lock.flavor}: with ${compile.join(" and ")}, which torch.compile (inductor) needs on this distro.`,
          ]
        : []),
      ...aptInstall([...pins, ...compile]),
    ];
  }
  const variant =
    lock.stack.cuda === null
      ? "CPU wheels"
      : `the ${lock.stack.wheel} wheels: they bring CUDA ${lock.stack.cuda}, cuDNN ${lock.stack.cudnn ?? "?"} and NCCL as nvidia-* packages`;
  // Unhashed (a lock written --offline): the PyTorch index only ever adds torch's own builds (pinned with
  // their +label); every other package comes from the Python index.
  const fromPypi = !pins.some((p) => p.includes("+"));
  const indexes = fromPypi
    ? ["--index-url", lock.indexUrl ?? PYPI_SIMPLE]
    : ["--index-url", PYPI_SIMPLE, "--extra-index-url", lock.indexUrl ?? ""];
  return [
    ...head,
    `# From ${variant}; unhashed: \`torchstack build\` locks every wheel by sha256 first.`,
    ...pipInstall(shellJoin([...indexes, ...pins])),
  ];
}
