/**
 * A Python the base OS does not ship (Ubuntu 22.04 asked for 3.12): uv installs a
 * standalone CPython (python-build-standalone, headers included, which
 * torch.compile needs) and a venv with pip. uv itself comes from the Python index
 * like every other wheel, never from a container registry: a throwaway first
 * stage installs the uv wheel with the OS's own python3 and pip (by the sha256 in
 * the lock when the lock has its installer), and the image copies only the uv
 * binary from it. Where uv downloads CPython from is the spec's `indexes.cpython`
 * (a mirror of python-build-standalone's releases, passed as a build argument),
 * else uv's default; the seed packages of the venv come from the Python index.
 */
import { INSTALLER_REQUIREMENT } from "../lock/wheels/installer.js";
import { PYPI_SIMPLE } from "../lock/wheels/package-indexes.js";
import { shellQuote } from "../process/shell-quote.js";
import type { DockerfilePlan } from "./dockerfile-plan.js";
import { APT_CACHE, run } from "./dockerfile-run.js";
import { PIP_CA, SECRETS, UV_CA, WHEELS_DIR, wheelsOf } from "./dockerfile-wheel-sections.js";

export const INSTALLER_STAGE = "uv-installer";
const INSTALLER_VENV = "/opt/uv-installer";
/** The build argument `build` sets from the spec's `indexes.cpython`. */
export const CPYTHON_MIRROR_ARG = "TORCHSTACK_CPYTHON_MIRROR";

function pythonIndexOf(plan: DockerfilePlan): string {
  return plan.lock.wheels?.pythonIndex ?? PYPI_SIMPLE;
}

/** The throwaway stage that installs uv from the Python index; nothing when the OS's Python is the stack's. */
export function installerStage(plan: DockerfilePlan, fromRef: string): string[] {
  if (plan.python.kind !== "uv") return [];
  const set = plan.lock.wheels;
  const hashed = set !== undefined && wheelsOf(set, "installer").length > 0;
  const install = hashed
    ? `${INSTALLER_VENV}/bin/pip install --require-hashes --no-deps --only-binary=:all: --index-url "$TORCHSTACK_PYTHON_INDEX" -r ${WHEELS_DIR}/installer.txt`
    : `${INSTALLER_VENV}/bin/pip install --only-binary=:all: --index-url "$TORCHSTACK_PYTHON_INDEX" ${shellQuote(INSTALLER_REQUIREMENT)}`;
  return [
    "# uv, which installs the standalone CPython below, from the Python index" +
      (hashed ? " by the sha256 in the lock" : " (unhashed: `torchstack build` locks it)") +
      ":",
    "# never from a container registry. This throwaway stage installs its wheel with the OS's python3; the",
    "# image takes only the uv binary.",
    `FROM ${fromRef} AS ${INSTALLER_STAGE}`,
    'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
    "ARG DEBIAN_FRONTEND=noninteractive",
    `ARG TORCHSTACK_PYTHON_INDEX=${pythonIndexOf(plan)}`,
    ...(hashed ? [`COPY wheels/installer.txt ${WHEELS_DIR}/installer.txt`] : []),
    ...run(
      [...APT_CACHE, "--mount=type=cache,target=/root/.cache/pip", ...SECRETS],
      [
        "rm -f /etc/apt/apt.conf.d/docker-clean",
        "apt-get update",
        "apt-get install -y --no-install-recommends ca-certificates python3 python3-venv",
        `python3 -m venv ${INSTALLER_VENV}`,
        PIP_CA,
        install,
      ],
    ),
  ];
}

/** The image's Python when the OS lacks the stack's: uv's standalone CPython and a venv. */
export function standalonePythonSection(plan: DockerfilePlan): string[] {
  const { python } = plan;
  if (python.kind !== "uv") return [];
  const why = python.osPython
    ? `the OS ships ${python.osPython}, so uv installs`
    : "the base's Python is unknown, so uv installs";
  const version = shellQuote(python.version);
  return [
    `# Python ${python.version}: ${why} a standalone CPython (headers included, which`,
    `# torch.compile needs) and a venv with pip. uv comes from the stage above; CPython from ${CPYTHON_MIRROR_ARG}`,
    "# (the spec's indexes.cpython) when set, else uv's default; pip from the Python index.",
    `COPY --from=${INSTALLER_STAGE} ${INSTALLER_VENV}/bin/uv /usr/local/bin/uv`,
    `ARG ${CPYTHON_MIRROR_ARG}=`,
    `ARG TORCHSTACK_PYTHON_INDEX=${pythonIndexOf(plan)}`,
    "ENV UV_PYTHON_INSTALL_DIR=/opt/python \\",
    "    UV_PYTHON_PREFERENCE=only-managed",
    ...run(
      ["--mount=type=cache,target=/root/.cache/uv", ...SECRETS],
      [
        `if [ -n "$${CPYTHON_MIRROR_ARG}" ]; then export UV_PYTHON_INSTALL_MIRROR="$${CPYTHON_MIRROR_ARG}"; fi`,
        UV_CA,
        `uv python install ${version}`,
        `UV_DEFAULT_INDEX="$TORCHSTACK_PYTHON_INDEX" uv venv --seed --python ${version} /opt/venv`,
      ],
    ),
  ];
}
