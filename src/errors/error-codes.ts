/**
 * Every error and finding code torchstack can print, declared once: its exit code,
 * a one-line meaning and the kind of fix. `TorchstackError` and every finding take
 * their code from this table (the type is closed), and `docs/errors.md` is generated
 * from it (`npm run docs:errors`; a test fails when the file is out of date), so a
 * code cannot exist undocumented. Add a row here first; group rows by capability.
 */

/** What the user does about it. */
export type FixKind =
  | "fix-command" // change the command line
  | "fix-spec" // edit torchstack.yaml or another input file
  | "relock" // run `torchstack lock` (or choose another stack)
  | "fix-host" // driver, GPU, packages or files on the host
  | "fix-engine" // the container engine or registry
  | "fix-code" // the user's program or its environment
  | "fix-cluster" // the scheduler, nodes or network of a job
  | "retry" // transient: try again
  | "report-bug"; // a torchstack bug

export interface CodeInfo {
  /** Process exit code when this is the error a command ends with. */
  readonly exit: 1 | 2;
  readonly meaning: string;
  readonly fix: FixKind;
  /** `error` ends a command; `finding` is reported by doctor, diagnose, verify or job diagnose. */
  readonly kind: "error" | "finding" | "both";
}

const error = (meaning: string, fix: FixKind, exit: 1 | 2 = 1): CodeInfo => ({
  exit,
  meaning,
  fix,
  kind: "error",
});
const finding = (meaning: string, fix: FixKind): CodeInfo => ({ exit: 1, meaning, fix, kind: "finding" });
const both = (meaning: string, fix: FixKind): CodeInfo => ({ exit: 1, meaning, fix, kind: "both" });

export const ERROR_CODES = {
  // command line and bugs
  E_USAGE: error("the command line is malformed (unknown flag, missing or bad value)", "fix-command", 2),
  E_INTERNAL: error("an unexpected failure inside torchstack", "report-bug"),
  E_INTERRUPTED: error(
    "the operation was cancelled (Ctrl-C or SIGTERM) and cleaned up; the process exits 130 (143 after SIGTERM)",
    "retry",
  ),

  // spec (torchstack.yaml)
  E_NO_SPEC: error("no torchstack.yaml was found where one was expected", "fix-command"),
  E_SPEC_YAML: error("the spec file is not valid YAML", "fix-spec"),
  E_SPEC_TOO_LARGE: error("the spec file is larger than any real spec", "fix-spec"),
  E_SPEC_INVALID: error("a spec value has the wrong type or is out of range", "fix-spec"),
  E_SPEC_UNKNOWN_KEY: error("the spec has a key torchstack does not know (often a typo)", "fix-spec"),
  E_SPEC_CONFLICT: error("two spec settings contradict each other", "fix-spec"),
  E_SPEC_REQUIREMENT: error("a pip requirement in the spec is not valid PEP 508", "fix-spec"),
  E_SPEC_EXISTS: error("the spec file to write already exists", "fix-command"),
  E_SPEC_EXTENDS_CYCLE: error("`extends` chains loop back to a file already read", "fix-spec"),
  E_SPEC_EXTENDS_DEPTH: error("`extends` is nested deeper than allowed", "fix-spec"),
  E_SPEC_EXTENDS_MISSING: error("a file named by `extends` does not exist", "fix-spec"),

  // resolve
  E_UNKNOWN_TORCH: error("the torch version asked for is not in the catalog", "fix-spec"),
  E_NO_WHEEL: error("no wheel variant exists for this torch, CUDA and Python", "fix-spec"),
  E_PYTHON_UNSUPPORTED: error("the torch release has no wheels for the Python asked", "fix-spec"),
  E_DRIVER_TOO_OLD: both("the NVIDIA driver is older than the CUDA runtime needs", "fix-host"),
  E_GPU_UNSUPPORTED: error("no variant of the torch asked runs on a target GPU's architecture", "fix-spec"),
  E_DISTRO_UNSUPPORTED: error("the distro has no torch package torchstack knows", "fix-spec"),

  // lock
  E_NO_LOCK: error("there is no torchstack.lock for this spec", "relock"),
  E_LOCK_INVALID: error("torchstack.lock cannot be read or fails its schema", "relock"),
  E_LOCK_STALE: error("the lock no longer matches the spec or the catalog facts it rests on", "relock"),
  E_WHEELS_UNRESOLVED: error(
    "the image's wheel set could not be resolved from the package indexes",
    "fix-spec",
  ),
  E_WHEELS_MISMATCH: error(
    "the resolved wheels bring a CUDA, cuDNN or NCCL other than the catalog's",
    "relock",
  ),
  E_NO_PIP: error("the host has no pip that can resolve wheels for another platform", "fix-host"),
  E_BASE_PYTHON: error("the base image cannot provide the locked Python", "fix-spec"),

  // targets, platforms and host fit (the lock is the contract)
  E_PLATFORM_MISMATCH: error("a target GPU runs only on another CPU platform than the one asked", "fix-spec"),
  E_HOST_UNFIT: error("this host cannot run the locked stack (driver, GPU or GPU runtime)", "fix-host"),
  E_HOST_DRIVER_OLD: finding("the host's NVIDIA driver is older than the locked stack needs", "fix-host"),
  E_HOST_GPU_UNSUPPORTED: finding("a host GPU has no code in the locked stack's architecture list", "relock"),
  E_HOST_NO_GPU: finding("the locked stack uses CUDA but this host has no NVIDIA driver or GPU", "fix-host"),
  E_HOST_NO_GPU_RUNTIME: finding(
    "the container engine has no GPU runtime for the locked CUDA stack",
    "fix-host",
  ),
  E_WORKSPACE_READ_ONLY: finding(
    "the workspace belongs to root, so the environment's non-root user cannot write to it",
    "fix-host",
  ),
  E_HOST_PLATFORM_MISMATCH: finding("the host's CPU platform differs from the locked image's", "fix-host"),

  // catalog: the built-in data and `catalog update` (the wheel-index overlay)
  E_CATALOG: error("the built-in catalog is inconsistent", "report-bug"),
  E_CATALOG_FETCH: error("a wheel-index page or metadata file could not be fetched", "retry"),
  E_CATALOG_INDEX_INVALID: error("a wheel-index page or metadata file is malformed or truncated", "retry"),
  E_CATALOG_INDEX_CHANGED: error("the wheel index changed while it was being read", "retry"),
  E_CATALOG_NO_CACHE: error("`catalog update --offline` has no cached pages to rebuild from", "fix-command"),
  E_CATALOG_OVERLAY_INVALID: error("the catalog overlay in the state folder cannot be read", "fix-command"),

  // build context and images
  E_CONTEXT_DIR: error("the build-context folder cannot be used", "fix-command"),
  E_NO_BUILDKIT: error("the engine's CLI cannot build with BuildKit", "fix-engine"),
  E_BUILD_FAILED: error("the image build failed", "fix-spec"),
  E_APP_CHECKSUM_UNKNOWN: error(
    "an app download has no known sha256, so the build could not verify it",
    "fix-spec",
  ),
  E_NO_IMAGE: error("the environment's image has not been built", "fix-command"),
  E_PUSH_FAILED: error("pushing the image to its registry failed", "fix-engine"),
  E_PUSH_NO_DIGEST: error("the registry did not report a digest for the pushed image", "fix-engine"),

  // images you can trust: inventory, drift, SBOM, exports
  E_INVENTORY_FAILED: error("the package inventory could not be read from the image", "fix-engine"),
  E_INVENTORY_INVALID: error(
    "the inventory beside the lock is missing, unreadable or not the one the lock names",
    "relock",
  ),
  E_IMAGE_DRIFT: error("the image's packages differ from the inventory the lock records", "fix-command"),
  E_SBOM_INVALID: error("the generated SBOM does not validate against the CycloneDX schema", "report-bug"),
  E_EXPORT_TARGET: error("the export destination cannot be written", "fix-command"),

  // container engine
  E_NO_ENGINE: error("no container engine answers", "fix-engine"),
  E_ENGINE_UNREACHABLE: error("the container engine's socket does not answer", "fix-engine"),
  E_ENGINE_DENIED: error("the container engine refused access (permission on its socket)", "fix-engine"),
  E_ENGINE_FAILED: error("the container engine refused an operation", "fix-engine"),
  E_ENGINE_API: error("the container engine answered an operation with an error", "fix-engine"),
  E_IMAGE_NOT_FOUND: error("the engine has no image of that name", "fix-command"),
  E_NO_NETWORK: error("the engine has no network of that name", "fix-command"),
  E_NO_GPU_RUNTIME: error("the engine has no NVIDIA runtime to give containers GPUs", "fix-host"),

  // environments
  E_NO_ENVIRONMENT: error("no environment of that name exists", "fix-command"),
  E_NAME_IN_USE: error("a container of that name exists and is not torchstack's to replace", "fix-command"),
  E_ALREADY_UP: error("the environment is already running", "fix-command"),
  E_NOT_RUNNING: error("the environment exists but is not running", "fix-command"),
  E_NO_WORKSPACE: error("the workspace folder does not exist", "fix-command"),
  E_NO_FREE_PORT: error("no free loopback port was found", "retry"),
  E_NOT_READY: error("the environment did not become ready in time", "fix-code"),
  E_RECORD_CORRUPT: error("torchstack's record of an environment cannot be read", "fix-host"),

  // jobs: the job block, renders and `job check`
  E_NO_JOB: error("the spec has no `job` block", "fix-spec"),
  E_JOB_INVALID: error("the job block's settings contradict each other or the target", "fix-spec"),
  E_JOB_IMAGE_LOCAL: both("a cluster target would pull an image only this machine has", "fix-command"),
  E_JOB_MANIFEST_INVALID: both("a rendered manifest fails its strict schema", "report-bug"),
  E_JOB_SCRIPT_MISSING: both("the job's script is not in the workspace", "fix-spec"),
  E_JOB_WORKSPACE_MISSING: both("the job's workspace folder does not exist", "fix-command"),
  E_JOB_RESOURCES: both("the job's shm or GPU requests are inconsistent", "fix-spec"),
  E_JOB_RENDEZVOUS: both("the job's rendezvous cannot work as configured", "fix-spec"),
  E_JOB_SBATCH_REJECTED: both("the Slurm controller rejected the batch script", "fix-cluster"),
  E_JOB_SERVER_REJECTED: both(
    "the Kubernetes API server rejected a rendered object in a server-side dry run",
    "fix-cluster",
  ),
  E_JOB_CHECK_FAILED: error("job check found problems that would fail the job", "fix-spec"),

  // jobs: run, status, logs, cancel, list and job diagnose
  E_JOB_NOT_FOUND: error("no job of that id is recorded", "fix-command"),
  E_JOB_RECORD_CORRUPT: error("torchstack's record of a job cannot be read", "fix-host"),
  E_JOB_SUBMIT_FAILED: error("the scheduler refused to start the job", "fix-cluster"),
  E_JOB_EXISTS: error(
    "a Kubernetes workload of the job's name is already in the namespace (another run, or an old one)",
    "fix-command",
  ),
  E_JOB_SCHEDULER: error("the scheduler's tools failed or answered something unreadable", "fix-cluster"),
  E_JOB_FAILED: error("the job ended FAILED or CANCELLED", "fix-code"),
  E_JOB_BUNDLE_FAILED: error("the image could not be exported into the job's OCI bundle", "fix-host"),
  E_JOB_NO_LOGS: error("the job has no logs to read or diagnose", "fix-command"),
  E_JOB_RANK_FAILED: finding("a rank of the job failed first; the others exited because of it", "fix-code"),
  E_JOB_NODE_FAILED: finding("the scheduler lost a node of the job, or its agent was killed", "fix-cluster"),
  E_NCCL_TIMEOUT: finding("a collective timed out (NCCL watchdog): a rank stopped participating", "fix-code"),
  E_RENDEZVOUS_TIMEOUT: finding("not every node joined the rendezvous in time", "fix-cluster"),
  E_PORT_IN_USE: finding("the rendezvous / MASTER_PORT is already taken on the master node", "fix-command"),
  E_HOSTNAME_LOOPBACK: finding(
    "a node's hostname resolves to a loopback address, so peers cannot connect",
    "fix-cluster",
  ),
  E_CUDA_LIBRARY_MISSING: finding(
    "a CUDA library torch needs cannot be found by the dynamic loader",
    "fix-host",
  ),
  E_NO_LIBUV: finding("TCPStore asked for libuv on a torch built without it", "fix-host"),

  // probes (doctor, verify, bench)
  E_PROBE_MISSING: error("the probe scripts are missing from the installation", "report-bug"),
  E_PROBE_TIMEOUT: error("a probe did not finish in time", "retry"),
  E_PROBE_OUTPUT: error("a probe printed something that is not its JSON result", "report-bug"),
  E_PROBE_FAILED: error("a probe could not run", "fix-host"),
  E_PYTHON_NOT_FOUND: error("no Python interpreter was found to run a probe", "fix-host"),
  E_BENCH_FAILED: error("a benchmark could not run", "fix-host"),
  E_BENCH_FILE: error("a bench result file cannot be read", "fix-command"),

  // dashboard
  E_PORT_UNAVAILABLE: error("the dashboard's port is taken or not allowed", "fix-command"),

  // findings: doctor and diagnose
  E_DRIVER_UNREACHABLE: finding("nvidia-smi exists but cannot talk to the driver", "fix-host"),
  E_NO_GPU: finding("no NVIDIA GPU is visible", "fix-host"),
  E_SHM_SMALL: finding("/dev/shm is too small for DataLoader workers and NCCL", "fix-command"),
  E_CONTAINER_NO_GPU: finding("the container was started without GPUs", "fix-command"),
  E_MIG_ENABLED: finding("the GPU is split into MIG instances", "fix-host"),
  E_CPU_ONLY_TORCH: finding("the installed torch is a CPU-only build", "relock"),
  E_CUDA_UNAVAILABLE: finding("torch.cuda.is_available() is False", "fix-host"),
  E_NVCC_MISMATCH: finding("nvcc's CUDA differs from the CUDA torch was built with", "fix-host"),
  E_LIBRARY_MISMATCH: finding("a CUDA library on the path does not match torch's", "fix-host"),
  E_NO_TORCH: finding("torch is not installed in this Python", "fix-host"),
  E_ARCH_NOT_COMPATIBLE: finding("the torch build has no kernels for the GPU's architecture", "relock"),
  E_TORCHVISION_MISMATCH: finding("torchvision was built for a different torch", "relock"),
  E_LD_LIBRARY_PATH_SHADOWING: finding(
    "LD_LIBRARY_PATH puts other CUDA libraries ahead of torch's",
    "fix-host",
  ),
  E_MIXED_NVIDIA_FAMILIES: finding(
    "nvidia-* pip packages from different CUDA families are installed",
    "relock",
  ),
  E_PIP_CHECK: finding("pip check reports broken requirements", "fix-host"),
  E_NO_KERNEL_IMAGE: finding("no kernel image is available for execution on the device", "relock"),
  E_INVALID_DEVICE_ORDINAL: finding("the program asked for a GPU index that is not visible", "fix-code"),
  E_EXTENSION_ABI_MISMATCH: finding("a compiled extension was built against another torch", "fix-code"),
  E_NOT_COMPILED_WITH_CUDA: finding("torch was not compiled with CUDA enabled", "relock"),
  E_NCCL_SHM: finding("NCCL could not create its shared-memory segment", "fix-command"),
  E_DATALOADER_SHM: finding("a DataLoader worker died from too little /dev/shm", "fix-command"),
  E_NO_GPU_VISIBLE: finding("the program found no CUDA device", "fix-host"),
  E_CUDA_OOM: finding("CUDA ran out of GPU memory", "fix-code"),

  // diagnose: GPU faults and failures a log names, and a log it cannot read
  E_NVML_MISMATCH: finding(
    "the NVIDIA kernel module and user-space libraries are different versions",
    "fix-host",
  ),
  E_ILLEGAL_MEMORY_ACCESS: finding("a CUDA kernel accessed memory it does not own", "fix-code"),
  E_DEVICE_ASSERT: finding(
    "a device-side assert fired in a CUDA kernel (often a label or index out of range)",
    "fix-code",
  ),
  E_CUBLAS_ALLOC: finding("cuBLAS could not allocate GPU memory for its handle or workspace", "fix-code"),
  E_GPU_XID: finding("the NVIDIA driver logged an Xid error (GPU fault)", "fix-host"),
  E_ECC_ERROR: finding("the GPU's memory had an uncorrectable ECC error", "fix-host"),
  E_LOG_UNREADABLE: error("the log to diagnose cannot be read", "fix-command"),

  // processes
  E_PROCESS_FAILED: error("a program torchstack ran failed", "fix-host"),
  E_COMMAND_NOT_FOUND: error("a program torchstack needs is not installed", "fix-host"),
  E_PROCESS_CANCELLED: error(
    "a program torchstack ran was cancelled (Ctrl-C, SIGTERM) or timed out",
    "retry",
  ),
  E_PROCESS_KILLED: both("a process was killed with SIGKILL (OOM killer, a limit or a user)", "fix-code"),

  // files torchstack writes
  E_NO_DIR: error("the folder to write into does not exist", "fix-command"),
  E_OUTPUT_NOT_FILE: error(
    "the output path is a folder, device, FIFO or socket, not a regular file",
    "fix-command",
  ),
  E_WRITE_FAILED: error("a file could not be written (disk full, read-only, no permission)", "fix-host"),
} as const satisfies Record<`E_${string}`, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}
