/**
 * The Dockerfile's installs for a lock that records its wheel set: each layer
 * (torch and its closure, the apps, your packages) installs exactly its locked
 * wheels by sha256 (`--require-hashes --no-deps`: no resolution at build time,
 * any other file refused), with index credentials only as a BuildKit secret (a netrc file that
 * never lands in a layer). The installer is uv when the set locks it (pip
 * installs uv first, by hash), else pip. The apps' and your layers share one
 * BuildKit cache mount as the wheel cache; torch's layer is its own cache (see
 * `uvInstallTorch`). The torch layer ends with the
 * self-check; the last layer writes the full-freeze constraints so that a later
 * `pip install` or `uv pip install` in the container cannot replace torch's CUDA
 * libraries.
 */
import type { LockFile } from "../lock/lock-schema.js";
import type { WheelLayer, WheelSet } from "../lock/wheels/wheel-set-schema.js";
import { CONSTRAINTS_PATH, run } from "./dockerfile-run.js";

export const WHEELS_DIR = "/etc/torchstack/wheels";
export const SELF_CHECK_DIR = "/usr/local/lib/torchstack/torch-check";
/** The BuildKit secret id of the netrc file with index credentials (`build` passes it when an index has some). */
export const NETRC_SECRET = "torchstack-netrc";
/** The host's CA bundle (PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE), for an index behind a TLS-inspecting proxy. */
export const CA_SECRET = "torchstack-ca";

/** The index credentials and CA bundle, mounted for one step and never in a layer. */
export const SECRETS = [
  `--mount=type=secret,id=${NETRC_SECRET},target=/root/.netrc`,
  `--mount=type=secret,id=${CA_SECRET}`,
];
const PIP_MOUNTS = ["--mount=type=cache,target=/root/.cache/pip", ...SECRETS];
const UV_MOUNTS = ["--mount=type=cache,target=/root/.cache/uv", ...SECRETS];
export const PIP_CA = `if [ -s /run/secrets/${CA_SECRET} ]; then export PIP_CERT=/run/secrets/${CA_SECRET}; fi`;
export const UV_CA = `if [ -s /run/secrets/${CA_SECRET} ]; then export SSL_CERT_FILE=/run/secrets/${CA_SECRET}; fi`;

export function wheelsOf(set: WheelSet, layer: WheelLayer) {
  return set.wheels.filter((w) => w.layer === layer);
}

/** `wheels/torch.txt`: one `name==version --hash=sha256:…` line per wheel of the layer. */
export function wheelRequirements(set: WheelSet, layer: WheelLayer): string {
  const lines = wheelsOf(set, layer).map((w) => `${w.name}==${w.version} --hash=sha256:${w.sha256}`);
  return `# ${layer} layer: exactly these wheels, by hash (torchstack.lock → wheels)\n${lines.join("\n")}\n`;
}

function pipInstall(set: WheelSet, layer: WheelLayer): string[] {
  const extra = layer === "torch" && set.torchIndex ? ' --extra-index-url "$TORCHSTACK_TORCH_INDEX"' : "";
  return [
    `COPY wheels/${layer}.txt ${WHEELS_DIR}/${layer}.txt`,
    ...run(PIP_MOUNTS, [
      PIP_CA,
      `pip install --require-hashes --no-deps --only-binary=:all: --index-url "$TORCHSTACK_PYTHON_INDEX"${extra} -r ${WHEELS_DIR}/${layer}.txt`,
    ]),
  ];
}

/** Where torch's layer unpacks its wheels: the layer's own file system (so hard links work), gone with the step. */
export const TORCH_SCRATCH_DIR = "/opt/.torchstack-wheels";

function uvCommand(set: WheelSet, layer: WheelLayer): string {
  const extra =
    layer === "torch" && set.torchIndex
      ? ' --extra-index-url "$TORCHSTACK_TORCH_INDEX" --index-strategy unsafe-best-match'
      : "";
  return `uv pip install --python /opt/venv/bin/python --no-progress --compile-bytecode --require-hashes --no-deps --only-binary :all: --index-url "$TORCHSTACK_PYTHON_INDEX"${extra} -r ${WHEELS_DIR}/${layer}.txt`;
}

/**
 * uv installs the apps' or your layer: parallel downloads, every hash checked, bytecode compiled as pip does (a
 * non-root user cannot write __pycache__ under /opt/venv), wheels from the shared cache mount. That mount is
 * another file system, so files are copied, not hard-linked, into the venv (cheap for these layers). With the
 * PyTorch index as well, each wheel may come from either index (pip's rule; the hash decides).
 */
function uvInstall(set: WheelSet, layer: WheelLayer): string[] {
  return [
    `COPY wheels/${layer}.txt ${WHEELS_DIR}/${layer}.txt`,
    ...run(UV_MOUNTS, [UV_CA, `UV_LINK_MODE=copy ${uvCommand(set, layer)}`]),
  ];
}

/**
 * uv installs torch's layer (≈ 6 GB unpacked) without the cache mount: it unpacks the wheels into a scratch
 * directory on the layer's own file system, hard-links them into the venv and removes the directory, so the
 * bytes are written once, not twice (unpack into the mount, then copy). On 2 cores this step took 20 s instead
 * of 34 s from an empty cache (docs/wheel-images.md). The layer is the cache for these wheels:
 * BuildKit reuses it for every build on the same base with the same wheel set, whatever the apps and your
 * packages; only a new base (or `build --no-cache`) downloads them again.
 */
function uvInstallTorch(set: WheelSet): string[] {
  return [
    `COPY wheels/torch.txt ${WHEELS_DIR}/torch.txt`,
    ...run(SECRETS, [
      UV_CA,
      `UV_CACHE_DIR=${TORCH_SCRATCH_DIR} UV_LINK_MODE=hardlink ${uvCommand(set, "torch")}`,
      `rm -rf ${TORCH_SCRATCH_DIR}`,
    ]),
  ];
}

function install(set: WheelSet, layer: WheelLayer): string[] {
  if (wheelsOf(set, "installer").length === 0) return pipInstall(set, layer);
  return layer === "torch" ? uvInstallTorch(set) : uvInstall(set, layer);
}

/** uv into the venv, by pip and by hash: the one wheel pip installs when the set locks an installer. */
function installerSection(set: WheelSet): string[] {
  if (wheelsOf(set, "installer").length === 0) return [];
  return [
    "# The installer: uv from the Python index, by the sha256 in the lock; it installs the layers below.",
    ...pipInstall(set, "installer"),
  ];
}

export function hashedTorchSection(lock: LockFile, set: WheelSet): string[] {
  const wheels = wheelsOf(set, "torch");
  const cuda = lock.stack.cuda
    ? ` (CUDA ${lock.stack.cuda}, cuDNN ${lock.stack.cudnn ?? "?"}, NCCL ${lock.stack.nccl ?? "?"} as nvidia-* wheels)`
    : "";
  return [
    `# torch and everything it loads: ${wheels.length} wheels${cuda}, each by the sha256 in the lock.`,
    "# No resolution here (--no-deps), no other file (--require-hashes); index credentials and the host's CA",
    "# bundle arrive only as BuildKit secrets. uv unpacks into a scratch folder on the layer's own file system and",
    "# hard-links into the venv (the bytes written once); this layer is the cache of these wheels for every build",
    "# on this base, and the layers after it share one BuildKit cache mount.",
    `ARG TORCHSTACK_PYTHON_INDEX=${set.pythonIndex}`,
    ...(set.torchIndex ? [`ARG TORCHSTACK_TORCH_INDEX=${set.torchIndex}`] : []),
    ...installerSection(set),
    ...install(set, "torch"),
    "# The self-check: torch is the locked build, its CUDA/cuDNN/NCCL are the locked ones, every library under",
    "# torch/lib resolves (but the driver's), and the compiled architectures cover the targets. No GPU needed.",
    `COPY torch-check/ ${SELF_CHECK_DIR}/`,
    ...run([], [`python ${SELF_CHECK_DIR}/torch_self_check.py`]),
  ];
}

export function hashedAppSection(set: WheelSet): string[] {
  return wheelsOf(set, "apps").length === 0 ? [] : install(set, "apps");
}

export function hashedUserSection(set: WheelSet): string[] {
  if (wheelsOf(set, "pip").length === 0) return [];
  return [
    "# Your Python packages and what they need, by hash, on top of the layers above.",
    ...install(set, "pip"),
  ];
}

/** After the last install: every locked wheel pinned for any later pip install. */
export function freezeSection(): string[] {
  return [
    "# Full freeze: every locked distribution pinned (PIP_CONSTRAINT, UV_CONSTRAINT), so a later `pip install` or",
    "# `uv pip install` in the container cannot replace torch, its nvidia-* CUDA libraries or triton.",
    `COPY constraints.txt ${CONSTRAINTS_PATH}`,
    `ENV PIP_CONSTRAINT=${CONSTRAINTS_PATH} \\`,
    `    UV_CONSTRAINT=${CONSTRAINTS_PATH}`,
  ];
}
