/**
 * Generated from each command's `summary` by `npm run gen:summaries`; do not edit.
 * `torchstack --help` reads it so that listing the commands imports none of them;
 * a test fails when a command's summary and this table differ.
 */
export const COMMAND_SUMMARIES: Readonly<Record<string, string>> = {
  bench: "measure matmul TFLOPS, bandwidth, copies, compile/AMP speedups, all-reduce, DataLoader",
  build: "build the image from the spec and lock",
  "catalog show": "show the torch releases resolve will use (built-in data plus overlay)",
  "catalog status": "show the age and source of the built-in catalog and of the overlay",
  "catalog update": "read the PyTorch wheel index and PyPI and update the catalog overlay",
  dashboard: "local web dashboard: GPU history, environments, results, /metrics",
  diagnose: "read a log or traceback and name each known problem with its cause, evidence and fix",
  doctor: "check the host, the GPU driver and a Python's torch stack; name each problem and its fix",
  down: "stop and remove an environment",
  exec: "run a command in an environment as its user",
  "export compose": "write a compose.yaml that runs the built environment",
  "export devcontainer": "write .devcontainer/devcontainer.json that opens the built environment",
  gc: "clean up this owner's orphaned environments and build leftovers",
  init: "write a commented torchstack.yaml from a preset",
  "job cancel": "cancel a job and wait until nothing of it runs",
  "job check": "validate the job for a target before anything queues",
  "job diagnose": "name the rank that failed first and the known problems in a job's logs",
  "job list": "list the jobs torchstack started, newest first",
  "job logs": "print a job's output, every line prefixed with its rank",
  "job render": "print (or write) the job's launch command, sbatch script or Kubernetes manifests",
  "job run": "run the spec's job locally, on Slurm or on Kubernetes",
  "job status":
    "show a job's state (PENDING with the scheduler's reason, RUNNING, COMPLETED, FAILED, CANCELLED)",
  lock: "pin the resolved stack and every package in torchstack.lock",
  logs: "show an environment's logs",
  ps: "list environments",
  render: "write the image's build context (Dockerfile and friends) to a directory",
  resolve: "resolve the spec into an exact, compatible stack",
  sbom: "write a CycloneDX SBOM of an environment's or image's every package",
  top: "live GPU view: utilisation, memory, power, processes and hints",
  up: "start the environment and wait until its apps answer",
  urls: "show an environment's URLs and SSH command again",
  verify: "run torch checks (CUDA, matmul, cuDNN, AMP, bf16/TF32, compile, DDP, DataLoader) and report each",
};
