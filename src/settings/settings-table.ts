/**
 * Every `TORCHSTACK_*` environment variable the project reads or sets, in one
 * table: who sets it, what it changes, its default. `docs/settings.md` is
 * generated from it (`npm run docs:settings`), and a test fails when a source
 * file names a variable that is not here, so the list cannot drift.
 *
 * Scopes: `user` — set on the host by the person running the CLI;
 * `setup` — read by the set-up scripts (engine, Slurm, demo);
 * `image` — set by torchstack inside an environment or job, reserved (a spec
 * cannot override them); `test` — hooks that tests use to substitute recorded
 * output, never needed in normal use.
 */
export type SettingScope = "user" | "setup" | "image" | "test";

export interface Setting {
  readonly scope: SettingScope;
  /** What it changes, in the user's terms. */
  readonly what: string;
  /** The value used when it is unset ("" when there is none). */
  readonly default: string;
}

export const SETTINGS = {
  TORCHSTACK_STATE_DIR: {
    scope: "user",
    what: "Where torchstack keeps its state: environment records with their tokens, job records, the catalog overlay, the latest doctor and bench results.",
    default: "`$XDG_STATE_HOME/torchstack`, else `~/.local/state/torchstack`",
  },
  TORCHSTACK_DOCKER: {
    scope: "user",
    what: "The docker CLI that `build` runs (it needs BuildKit).",
    default: "the first docker on PATH with BuildKit",
  },
  TORCHSTACK_DOCKER_CLI: {
    scope: "user",
    what: "The docker-compatible CLI that jobs use (`job run --target local`, the Slurm OCI bundle export).",
    default: "`docker`",
  },
  TORCHSTACK_KUBECTL: {
    scope: "user",
    what: "The kubectl that `job run --target kubernetes` and `job check` use.",
    default: "`kubectl` on PATH",
  },
  TORCHSTACK_K8S_SCHEMAS: {
    scope: "user",
    what: "A folder of CRD files (JobSet, TrainJob, PyTorchJob) to validate rendered manifests against, instead of asking the cluster.",
    default: "the cluster's own CRDs through kubectl",
  },
  TORCHSTACK_SLURM_BIN: {
    scope: "user",
    what: "The folder holding the Slurm client programs (sbatch, squeue, scontrol, scancel, srun).",
    default: "PATH",
  },
  TORCHSTACK_NVIDIA_SMI: {
    scope: "user",
    what: "The nvidia-smi executable that `top`, the dashboard and host detection run.",
    default: "`nvidia-smi` on PATH",
  },
  TORCHSTACK_PYTORCH_INDEX: {
    scope: "user",
    what: "The PyTorch index's base (variant folders under it) that `lock` and `build` take torch builds PyPI lacks from; `--pytorch-index` wins over it, it over the spec's `indexes.pytorch`.",
    default: "`https://download.pytorch.org/whl`",
  },
  TORCHSTACK_DASHBOARD_TOKEN: {
    scope: "user",
    what: "A fixed dashboard access token (at least 24 characters of A-Z a-z 0-9 _ -), to keep one across restarts.",
    default: "a new random token on each start",
  },
  TORCHSTACK_DEBUG: {
    scope: "user",
    what: "When set, an internal error prints its stack trace.",
    default: "",
  },
  TORCHSTACK_RUN_AS_ROOT: {
    scope: "user",
    what: "`1` given to `up --env` (a spec's `run.env` may not set it): commands run as root instead of the workspace owner.",
    default: "`0`",
  },
  TORCHSTACK_BASE_REPO: {
    scope: "setup",
    what: "The repository name `npm run engine:setup` gives the local Debian base images.",
    default: "`torchstack-local/debian`",
  },
  TORCHSTACK_DEBIAN_RELEASES: {
    scope: "setup",
    what: "Which local Debian base images `npm run engine:setup` makes (`12`, `13` or both).",
    default: "`12 13`",
  },
  TORCHSTACK_DOCKERD_LOG: {
    scope: "setup",
    what: "Where `npm run engine:setup` sends the log of the dockerd it starts.",
    default: "`/var/log/torchstack-dockerd.log`",
  },
  TORCHSTACK_SLURM_DIR: {
    scope: "setup",
    what: "Where `npm run slurm:setup` keeps the test cluster's configuration, logs and client wrappers.",
    default: "`/var/lib/torchstack-slurm`",
  },
  TORCHSTACK_K8S_DIR: {
    scope: "setup",
    what: "Where `npm run k8s:setup` keeps the local Kubernetes control plane's kubeconfig, `bin/kubectl`, certificates, state and logs.",
    default: "`/var/lib/torchstack-k8s`",
  },
  TORCHSTACK_K8S_CACHE: {
    scope: "setup",
    what: "Where `npm run k8s:setup` caches the control plane's binaries and CRDs it builds (reused while the pinned versions match).",
    default: "`/var/cache/torchstack-k8s`",
  },
  TORCHSTACK_DEMO_SPEC: {
    scope: "setup",
    what: "The spec `npm run demo` builds and starts.",
    default: "`examples/cpu/torchstack.yaml`",
  },
  TORCHSTACK_DEMO_WORKSPACE: {
    scope: "setup",
    what: "The workspace `npm run demo` mounts.",
    default: "`.tmp/demo-workspace`",
  },
  TORCHSTACK_E2E: {
    scope: "test",
    what: "`1` switches on the engine tier of the tests (real Docker, Slurm, Compose); `npm test` sets it as root, after setting them up.",
    default: "",
  },
  TORCHSTACK_CPYTHON_MIRROR: {
    scope: "image",
    what: "Build argument of a wheel image's Dockerfile whose base OS lacks the stack's Python: where uv downloads the standalone CPython (a mirror of python-build-standalone's releases); `build` sets it from the spec's `indexes.cpython`.",
    default: "empty: uv's default (GitHub)",
  },
  TORCHSTACK_PYTHON_INDEX: {
    scope: "image",
    what: "Build argument of a wheel image's Dockerfile: the Python index its locked wheels are installed from (the lock's, or the one `build` chose now; the hashes decide which file is accepted).",
    default: "the lock's `wheels.pythonIndex`",
  },
  TORCHSTACK_TORCH_INDEX: {
    scope: "image",
    what: "Build argument of a wheel image's Dockerfile: the PyTorch index folder torch's own builds are installed from, when the lock takes them from there.",
    default: "the lock's `wheels.torchIndex`",
  },
  TORCHSTACK_TEST_TIERS: {
    scope: "test",
    what: "Which tiers `npm test` runs: `all` (every tier this user can run; as root it first installs the host packages and sets up the engine, Slurm and Kubernetes) or `unit` (lint, types, build and the unit tier only, nothing installed).",
    default: "`all`",
  },
  TORCHSTACK_E2E_CUDA_TORCH: {
    scope: "test",
    what: "The torch release the CUDA wheel image test builds from PyPI (`2.7.1` and `2.9.1` are the seed articles' images).",
    default: "the newest release whose PyPI build the catalog confirms",
  },
  TORCHSTACK_UPDATE_SCREENSHOT: {
    scope: "test",
    what: "`1` makes the dashboard browser test copy its screenshots into `docs/images/`.",
    default: "",
  },
  TORCHSTACK_PROBE_RECORDED: {
    scope: "test",
    what: "A folder of recorded nvidia-smi and driver-version output that the doctor probe reads instead of the machine's.",
    default: "",
  },
  TORCHSTACK_UID: {
    scope: "image",
    what: "The workspace owner's UID: the entrypoint runs the environment's user with it.",
    default: "the image user's",
  },
  TORCHSTACK_GID: {
    scope: "image",
    what: "The workspace owner's GID (with TORCHSTACK_UID).",
    default: "TORCHSTACK_UID",
  },
  TORCHSTACK_APPS: {
    scope: "image",
    what: "Which apps the entrypoint starts (`jupyter,ssh,…` or `none`; jobs set `none`).",
    default: "the apps the image was built with",
  },
  TORCHSTACK_LISTEN: {
    scope: "image",
    what: "The address the environment's apps listen on: 127.0.0.1, or 0.0.0.0 with `up --expose`.",
    default: "`127.0.0.1`",
  },
  TORCHSTACK_SHM_KB: {
    scope: "test",
    what: "The /dev/shm size the entrypoint's checks see, honoured only by the asset tests' copy of the entrypoint.",
    default: "read from /dev/shm",
  },
  TORCHSTACK_BANNER: {
    scope: "image",
    what: "The entrypoint's start-up banner: `text`, `json` or `off`.",
    default: "`text`",
  },
  TORCHSTACK_JUPYTER_UI: {
    scope: "image",
    what: "Which Jupyter front end the entrypoint starts (`lab` or `notebook`).",
    default: "the image's app settings",
  },
  TORCHSTACK_STACK: {
    scope: "image",
    what: "The locked stack as JSON, baked into the image for the entrypoint and the probes.",
    default: "",
  },
  TORCHSTACK_MIN_DRIVER: {
    scope: "image",
    what: "The lowest NVIDIA driver the image runs on; the entrypoint warns below it.",
    default: "the lock's minimum driver",
  },
  TORCHSTACK_JOB_ID: {
    scope: "image",
    what: "The job's id in every rank's environment: how `top` and the dashboard tie GPU processes to a job.",
    default: "",
  },
  TORCHSTACK_NODES: {
    scope: "image",
    what: "The Slurm job's host names, in order: each node finds its node rank from its place in the list.",
    default: "",
  },
  TORCHSTACK_ENTRYPOINT_CHECKS_ONLY: {
    scope: "test",
    what: "`1` makes the entrypoint print its start-up checks and exit (asset tests only).",
    default: "`0`",
  },
  TORCHSTACK_IMAGE_ENV: {
    scope: "test",
    what: "Not read by any image: its scripts source `/etc/torchstack/image.env` from a fixed path (the tests check that setting this changes nothing; docs/security.md).",
    default: "`/etc/torchstack/image.env`",
  },
  TORCHSTACK_HOME_SETUP: {
    scope: "test",
    what: "Not read by any image: its scripts source the home set-up from a fixed path (the tests check that setting this changes nothing).",
    default: "`/usr/local/lib/torchstack/home-setup.sh`",
  },
  TORCHSTACK_DPKG_STATUS: {
    scope: "test",
    what: "Another dpkg status file for the inventory probe (its tests only).",
    default: "`/var/lib/dpkg/status`",
  },
} as const satisfies Readonly<Record<`TORCHSTACK_${string}`, Setting>>;

export type SettingName = keyof typeof SETTINGS;

/** The names torchstack sets inside environments and jobs: a spec's `run.env` or `job.env` must not set them. */
export function reservedSettingNames(): readonly SettingName[] {
  return (Object.keys(SETTINGS) as SettingName[]).filter((name) => SETTINGS[name].scope === "image");
}
