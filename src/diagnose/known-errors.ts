/**
 * Known PyTorch/CUDA failures as data: for each code, the line patterns that
 * identify it (tested against every cleaned log line), what it means, the
 * static fixes, which fixer adds fixes built from the log (versions, sizes),
 * and where the message text comes from (see
 * ../shared/reference/compat-facts.md section E). Patterns are unanchored and
 * case-insensitive so rank prefixes, paths, timestamps and versions around
 * the message do not matter.
 */

import { pipInstallTorch } from "../catalog/wheel-index.js";
import type { ErrorCode } from "../errors/error-codes.js";

export type Fixer =
  | "arch"
  | "noKernel"
  | "driver"
  | "ordinal"
  | "library"
  | "extension"
  | "torchvision"
  | "oom"
  | "xid"
  | "killed"
  | "assert"
  | "none";

export interface KnownError {
  code: ErrorCode;
  title: string;
  cause: string;
  patterns: readonly RegExp[];
  fix: readonly string[];
  fixer: Fixer;
  source: string;
}

export const KNOWN_ERRORS: readonly KnownError[] = [
  {
    code: "E_ARCH_NOT_COMPATIBLE",
    title: "GPU architecture not in this torch build",
    cause:
      "torch's compiled architectures (torch.cuda.get_arch_list()) do not include the GPU's compute capability, so its CUDA kernels cannot run on it.",
    patterns: [
      /with CUDA capability sm_\d+ is not compatible with the current PyTorch installation/i,
      /PyTorch no longer supports this GPU because it is too old/i,
      /Support for Maxwell and Pascal architectures is removed for CUDA 12\.8\+ builds/i,
    ],
    fix: ["compare the GPU with the build: torchstack doctor (finding E_ARCH_NOT_COMPATIBLE)"],
    fixer: "arch",
    source: "pytorch torch/cuda/__init__.py _check_cubins/_check_capability (compat-facts E#2, E#2b)",
  },
  {
    code: "E_NO_KERNEL_IMAGE",
    title: "No kernel image for this GPU",
    cause:
      "cudaErrorNoKernelImageForDevice (209): torch or an extension (vLLM, flash-attn, …) has no SASS for the GPU's compute capability and no usable PTX.",
    patterns: [
      /no kernel image is available for execution on the device/i,
      /cudaErrorNoKernelImageForDevice/i,
    ],
    fix: [
      "compare the GPU's compute capability with torch.cuda.get_arch_list(): torchstack doctor",
      "if an extension raised it (flash-attn, vLLM, xformers), rebuild it for this GPU: TORCH_CUDA_ARCH_LIST=<cc> pip install --no-build-isolation --no-binary PACKAGE PACKAGE",
    ],
    fixer: "noKernel",
    source: "CUDA driver_types.h; pytorch/pytorch#159847 (compat-facts E#1)",
  },
  {
    code: "E_DRIVER_TOO_OLD",
    title: "NVIDIA driver too old for this CUDA",
    cause:
      "The driver is older than the minimum for the CUDA runtime torch was built with (< 525.60.13 for cu12x wheels, < 580 for cu13x).",
    patterns: [
      /The NVIDIA driver on your system is too old/i,
      /CUDA driver version is insufficient for CUDA runtime version/i,
      /cudaErrorInsufficientDriver/i,
    ],
    fix: ["check the driver: nvidia-smi (the header shows the newest CUDA it supports)"],
    fixer: "driver",
    source: "pytorch c10/cuda/CUDAFunctions.cpp @68e217b9; cudaErrorInsufficientDriver (compat-facts E#3)",
  },
  {
    code: "E_INVALID_DEVICE_ORDINAL",
    title: "GPU index beyond the visible devices",
    cause:
      "cudaErrorInvalidDevice (101): a device index (cuda:N, LOCAL_RANK) is >= the number of visible GPUs, e.g. --nproc-per-node larger than the GPUs CUDA_VISIBLE_DEVICES leaves.",
    patterns: [/invalid device ordinal/i],
    fix: [
      "count the visible GPUs: python -c 'import torch; print(torch.cuda.device_count())'",
      "make --nproc-per-node (torchrun) equal that count, or widen CUDA_VISIBLE_DEVICES",
      "use cuda:0 … cuda:N-1 only",
    ],
    fixer: "ordinal",
    source: "CUDA driver_types.h; wenwenyu/PICK-pytorch#14, hpcaitech/Open-Sora#40 (compat-facts E#4)",
  },
  {
    code: "E_LIBRARY_MISMATCH",
    title: "Mismatched CUDA libraries (undefined symbol)",
    cause:
      "A different copy of NCCL / nvJitLink / cuBLAS than the one torch was built against is loaded first: another package's NCCL, two nvidia-* families (cu11 and cu12), or an older CUDA toolkit on LD_LIBRARY_PATH.",
    patterns: [/undefined symbol: _{0,2}(?:nccl|nvJitLink|cublas|cusparse|cudnn|cufft|cusolver)\w*/i],
    fix: [
      "unset LD_LIBRARY_PATH (or remove CUDA toolkit folders from it) and retry",
      "keep one nvidia-* family: pip list 2>/dev/null | grep -E '^nvidia-.*-cu1[0-9]' and uninstall the other family",
    ],
    fixer: "library",
    source: "pytorch/pytorch#119072, #119932, #111469, #134929 (compat-facts E#5)",
  },
  {
    code: "E_EXTENSION_ABI_MISMATCH",
    title: "Compiled extension built for another torch",
    cause:
      "A compiled extension (flash-attn, xformers, apex, …) was built against a different torch version or C++ ABI, so a torch (c10/at/torch) symbol it needs does not exist in the installed torch.",
    patterns: [/\.so: undefined symbol: _ZN\d*(?:c10|at|torch)\w*/i],
    fix: [
      "install the extension's wheel built for this exact torch (version, CUDA and cxx11abi TRUE/FALSE), or rebuild it: pip install --no-build-isolation --no-binary PACKAGE PACKAGE",
      "check torch's ABI: python -c 'import torch; print(torch.__version__, torch._C._GLIBCXX_USE_CXX11_ABI)'",
    ],
    fixer: "extension",
    source: "Dao-AILab/flash-attention#1832, #931, #966 (undefined symbol _ZN3c10… after a torch upgrade)",
  },
  {
    code: "E_TORCHVISION_MISMATCH",
    title: "torchvision does not match torch",
    cause:
      "torchvision was built for another torch minor or CUDA major (e.g. torchvision from PyPI next to torch from a CUDA index), so its C++ operators do not register.",
    patterns: [
      /operator torchvision::\w+ does not exist/i,
      /No such operator torchvision::\w+/i,
      /PyTorch and torchvision were compiled with different CUDA (?:major )?versions/i,
    ],
    fix: [
      "install torch and torchvision together from one index: pip install torch==X torchvision==Y --index-url …/cuXYZ",
    ],
    fixer: "torchvision",
    source: "pytorch/vision#8985; torchvision/extension.py _check_cuda_version (compat-facts E#5b)",
  },
  {
    code: "E_NOT_COMPILED_WITH_CUDA",
    title: "CPU-only torch asked for CUDA",
    cause: "A CPU-only torch build (+cpu wheel, or the default wheel on macOS/Windows) reached a CUDA call.",
    patterns: [/Torch not compiled with CUDA enabled/i],
    fix: [
      `install a CUDA build: ${pipInstallTorch("cu128")}`,
      "or run on the CPU: device = 'cuda' if torch.cuda.is_available() else 'cpu'",
    ],
    fixer: "none",
    source: "pytorch torch/cuda/__init__.py _lazy_init (compat-facts E#6)",
  },
  {
    code: "E_NCCL_SHM",
    title: "NCCL ran out of /dev/shm",
    cause:
      "NCCL's intra-node shared-memory transport could not allocate its segments in /dev/shm (Docker's default is 64 MB).",
    patterns: [
      /failed to extend \/dev\/shm\/nccl-/i,
      /Error while creating shared memory segment/i,
      /Call to posix_fallocate failed\s*:\s*No space left on device/i,
    ],
    fix: [
      "give the container more shared memory: docker run --shm-size=8g … (or --ipc=host)",
      "Kubernetes: mount an emptyDir with medium: Memory at /dev/shm",
      "or disable the SHM transport (slower): NCCL_SHM_DISABLE=1",
    ],
    fixer: "none",
    source: "NVIDIA/nccl src/misc/shmutils.cc; pytorch/ci-infra#490; NVIDIA/nccl#342 (compat-facts E#7)",
  },
  {
    code: "E_DATALOADER_SHM",
    title: "DataLoader workers ran out of shared memory",
    cause:
      "With num_workers > 0 batches pass through /dev/shm; the worker got SIGBUS when the tmpfs filled up.",
    patterns: [
      /DataLoader worker \(pid:? ?\d+\) is killed by signal: Bus error/i,
      /Unexpected bus error encountered in worker\. This might be caused by insufficient shared memory/i,
    ],
    fix: [
      "give the container more shared memory: docker run --shm-size=8g … (or --ipc=host)",
      "or lower DataLoader num_workers / batch size (num_workers=0 avoids shared memory)",
    ],
    fixer: "none",
    source: "pytorch torch/csrc/DataLoader.cpp @f5ae37ea; pytorch/pytorch#5040, #108861 (compat-facts E#8)",
  },
  {
    code: "E_NO_GPU_VISIBLE",
    title: "No GPU visible to CUDA",
    cause:
      "CUDA sees no device: no driver in this container (missing --gpus), an empty or wrong CUDA_VISIBLE_DEVICES, or a change of it after CUDA started.",
    patterns: [
      /No CUDA GPUs are available/i,
      /Found no NVIDIA driver on your system/i,
      /CUDA driver initialization failed, you might not have a CUDA gpu/i,
      /CUDA unknown error - this may be due to an incorrectly set up environment/i,
    ],
    fix: [
      "in a container: docker run --gpus all … (or --device nvidia.com/gpu=all with CDI)",
      "check CUDA_VISIBLE_DEVICES is unset or lists existing GPUs, and is set before torch starts",
      "check the host: nvidia-smi",
    ],
    fixer: "none",
    source: "pytorch c10/cuda/CUDAFunctions.cpp @68e217b9 (compat-facts E#9)",
  },
  {
    code: "E_CUDA_OOM",
    title: "CUDA out of memory",
    cause:
      "An allocation did not fit in the GPU's free memory (the model, batch or activations are too large, or another process holds memory).",
    patterns: [/CUDA out of memory/i, /torch\.(?:cuda\.)?OutOfMemoryError/i],
    fix: [
      "lower the batch size (or use gradient accumulation)",
      "use bf16/fp16 autocast and activation checkpointing to cut activation memory",
    ],
    fixer: "oom",
    source:
      "pytorch c10/cuda/CUDACachingAllocator.cpp message; e.g. murong-xu/CADS#4, kaito-project/kaito#976",
  },
  // driver, GPU memory and hardware faults, killed processes.
  // Each pattern is matched against a recorded line in test/fixtures/logs/ that names its upstream source.
  {
    code: "E_NVML_MISMATCH",
    title: "NVIDIA driver and library versions differ",
    cause:
      "The loaded kernel module is another version than the user-space NVIDIA libraries (libnvidia-ml): the driver was upgraded without a reboot, or an image installs its own driver libraries instead of getting the host's.",
    patterns: [
      /Failed to initialize NVML: Driver\/library version mismatch/i,
      /NVML_ERROR_LIB_RM_VERSION_MISMATCH/i,
    ],
    fix: [
      "compare the two versions: cat /proc/driver/nvidia/version (kernel module) and nvidia-smi's 'NVML library version'",
      "reboot the host after a driver upgrade (or unload and reload the nvidia modules when no program uses the GPU)",
      "in a container: do not install NVIDIA driver packages in the image; let the NVIDIA container toolkit mount the host's libraries (docker run --gpus all)",
    ],
    fixer: "none",
    source: "mozilla/translations#1167, tinygrad/open-gpu-kernel-modules#47 (nvidia-smi output)",
  },
  {
    code: "E_ILLEGAL_MEMORY_ACCESS",
    title: "A CUDA kernel accessed memory it does not own",
    cause:
      "cudaErrorIllegalAddress (700): a kernel read or wrote outside its allocations (an indexing bug, a tensor on another device, a bug in an extension or a fused kernel). CUDA reports it asynchronously, so the traceback may point at a later call.",
    patterns: [
      /an illegal memory access was encountered/i,
      /cudaErrorIllegalAddress/i,
      /CUDA_ERROR_ILLEGAL_ADDRESS/i,
    ],
    fix: [
      "find the failing operation: rerun with CUDA_LAUNCH_BLOCKING=1 (the traceback then points at it)",
      "run it under compute-sanitizer python train.py to see the faulting kernel and address",
      "if a custom or fused kernel (flash-attn, triton, apex) is on the path, rerun without it or update it to a build for this torch",
    ],
    fixer: "none",
    source:
      "zai-org/CodeGeeX#160, 3dlg-hcvc/multi3drefer#14 (RuntimeError: CUDA error: an illegal memory access was encountered)",
  },
  {
    code: "E_DEVICE_ASSERT",
    title: "A device-side assert fired in a CUDA kernel",
    cause:
      "A kernel's own check failed, most often an index out of range: a class label >= num_classes or negative in a loss (Assertion `t >= 0 && t < n_classes`), or a token id >= the embedding size. The CUDA context is unusable afterwards.",
    patterns: [/device-side assert triggered/i, /Assertion `[^`]+` failed/],
    fix: [
      "check the labels: they must be 0 … num_classes-1 (print(labels.min(), labels.max()) before the loss)",
      "check token ids against the embedding size (vocab_size) after changing the tokenizer",
      "get a readable error: run one batch on the CPU, or rerun with CUDA_LAUNCH_BLOCKING=1",
    ],
    fixer: "assert",
    source:
      "milesial/Pytorch-UNet#375, layumi/Person_reID_baseline_pytorch#372 (NLLLoss assertion, device-side assert)",
  },
  {
    code: "E_CUBLAS_ALLOC",
    title: "cuBLAS could not allocate GPU memory",
    cause:
      "CUBLAS_STATUS_ALLOC_FAILED: cuBLAS could not get memory for its handle or workspace, because the GPU's memory is already taken (by this program's cache or by another process) when the first matrix multiply runs.",
    patterns: [/CUBLAS_STATUS_ALLOC_FAILED/],
    fix: [
      "see what holds the GPU's memory: nvidia-smi (stop other processes on it)",
      "lower the batch size or the model size so cuBLAS has room for its workspace",
      "on a multi-GPU host pick a free GPU: CUDA_VISIBLE_DEVICES=N",
    ],
    fixer: "none",
    source: "QwenLM/Qwen3#873, DeepMotionAIResearch/DenseMatchingBenchmark#20 (cublasCreate(handle))",
  },
  {
    code: "E_GPU_XID",
    title: "The NVIDIA driver reported an Xid error",
    cause: "The kernel log has an Xid event: the driver saw a GPU fault (program error or hardware).",
    patterns: [/NVRM: Xid \(PCI:[^)]{0,64}\): \d+/i, /GPU has fallen off the bus/i],
    fix: ["see every Xid on the host: sudo dmesg -T | grep -i xid"],
    fixer: "xid",
    source:
      "NVIDIA/NVSentinel#155 (Xid 79), doitsujin/dxvk#1027 (Xid 31, 13), leptonai/gpud#1174 (Xid 94); meanings from NVIDIA's Xid catalog",
  },
  {
    code: "E_ECC_ERROR",
    title: "Uncorrectable GPU memory (ECC) error",
    cause:
      "cudaErrorECCUncorrectable (214): the GPU's memory returned data its ECC could not correct. This is a hardware event, not a bug in the program.",
    patterns: [
      /uncorrectable ECC error encountered/i,
      /CUDA_ERROR_ECC_UNCORRECTABLE|cudaErrorECCUncorrectable/i,
    ],
    fix: [
      "look at the GPU's ECC and row-remapping counters: nvidia-smi -q -d ECC,ROW_REMAPPER",
      "reset the GPU when no program uses it (nvidia-smi -r -i N) or reboot, then rerun",
      "if it repeats on the same GPU, keep jobs off it (CUDA_VISIBLE_DEVICES) and have it serviced",
    ],
    fixer: "none",
    source:
      "vllm-project/vllm#5222, tloen/alpaca-lora#123 (RuntimeError: CUDA error: uncorrectable ECC error encountered)",
  },
  {
    code: "E_PROCESS_KILLED",
    title: "The process was killed (SIGKILL)",
    cause:
      "The program got SIGKILL (exit -9 / 137): usually the kernel's OOM killer when host RAM runs out, otherwise a scheduler or container limit (Slurm, Kubernetes, docker stop) or a user.",
    patterns: [
      /exitcode: -9\b/i,
      /Signal 9 \(SIGKILL\) received/i,
      /Out of memory: Killed process \d+/i,
      /invoked oom-killer/i,
      /interrupted by signal 9: SIGKILL/i,
      /killed by signal: Killed/i,
      /^Killed$/,
    ],
    fix: [
      "check whether the OOM killer did it: sudo dmesg -T | grep -iE 'killed process|oom'",
      "check the job's or container's limits: docker inspect --format '{{.HostConfig.Memory}}' NAME, or sacct -j JOBID --format=State,MaxRSS,ReqMem",
    ],
    fixer: "killed",
    source:
      "hpcaitech/ColossalAI#3514, meta-llama/llama#856 (exitcode: -9), pcyin/tranX#41, ShengcaiLiao/QAConv#19 (Out of memory: Killed process)",
  },

  // distributed jobs: what `job diagnose` finds across ranks, and `diagnose` finds in a single rank's log
  {
    code: "E_NCCL_TIMEOUT",
    title: "A collective timed out (NCCL watchdog)",
    cause:
      "A collective (all-reduce, all-gather, barrier) waited past the process group's timeout: one rank stopped taking part (it crashed, hung, or is stuck in data loading or a checkpoint), so every other rank's watchdog fired. The ranks that report the timeout are usually not the cause.",
    patterns: [
      /Watchdog caught collective operation timeout/i,
      /ProcessGroupNCCL.*(?:Timeout\(ms\)=\d+|timed out)/i,
      /Process group watchdog thread terminated with exception/i,
    ],
    fix: [
      "find the rank that stopped first: torchstack job diagnose ID (the root-cause rank)",
      "get NCCL's view of the hang: NCCL_DEBUG=INFO TORCH_NCCL_DUMP_ON_TIMEOUT=1 (flight recorder) and rerun",
      "if one rank is legitimately slower (checkpointing, evaluation on rank 0), raise init_process_group(timeout=timedelta(minutes=N)) or add a barrier around it",
    ],
    fixer: "none",
    source:
      "hiyouga/LlamaFactory#7396, NVIDIA/Megatron-LM#1207, XPixelGroup/BasicSR#737 (ProcessGroupNCCL watchdog lines)",
  },
  {
    code: "E_RENDEZVOUS_TIMEOUT",
    title: "Not every node joined the rendezvous",
    cause:
      "torchrun waited for the job's nodes to meet at the rendezvous (c10d store or static master) and gave up: a node never started (not allocated, crashed at start, wrong image), cannot reach the master's address and port, or uses a different run id.",
    patterns: [
      /RendezvousTimeoutError/i,
      /The client socket has timed out after \d+m?s while trying to connect to/i,
      /RendezvousConnectionError: The connection to the C10d store has failed/i,
      /torch\.distributed\.DistStoreError: .*(?:Timeout|timed out)/i,
      /^RuntimeError: Socket Timeout$/i,
    ],
    fix: [
      "check every node started: torchstack job logs ID (a node with no lines never ran)",
      "check the master is reachable from each node: getent hosts MASTER_ADDR, and the port is open",
      "for a fixed node count use static rendezvous (rendezvous: static), which needs no c10d endpoint",
    ],
    fixer: "none",
    source:
      "facebookresearch/av_hubert#19 (RendezvousTimeoutError), pytorch/pytorch#79388, #107021 (client socket has timed out); torch 1.13 static store 'Socket Timeout' reproduced on the test cluster",
  },
  {
    code: "E_PORT_IN_USE",
    title: "The rendezvous port is taken",
    cause:
      "The master could not bind MASTER_PORT (29500 by default) because another process, often an earlier run that did not exit or a second job on the same node, holds it.",
    patterns: [
      /The server socket has failed to listen on any local network address/i,
      /failed to bind to \S+:\d+ \(errno: 98 - Address already in use\)/i,
      /EADDRINUSE.*address already in use/i,
    ],
    fix: [
      "see what holds it: ss -ltnp | grep 29500",
      "give the job another port: job.port in torchstack.yaml (or MASTER_PORT / --master_port)",
      "or let torchrun pick one on a single node: torchrun --standalone",
    ],
    fixer: "none",
    source: "showlab/Tune-A-Video#90, om-ai-lab/VLM-R1#289, modelscope/ms-swift#3988",
  },
  {
    code: "E_HOSTNAME_LOOPBACK",
    title: "The hostname resolves to loopback",
    cause:
      "Gloo (and NCCL's bootstrap) pick the address to advertise by resolving the machine's hostname; it resolved to 127.0.0.1 (or not at all, and gloo fell back to loopback), so peers on other nodes are told to connect to themselves and get 'connection refused'.",
    patterns: [
      /Unable to resolve hostname to a \(local\) address\. Using the loopback address as fallback/i,
      /connect \[127\.0\.\d+\.\d+\]:\d+: Connection refused/i,
      /remote=\[127\.0\.0\.1\]:\S.*Connection refused|Connection refused.*remote=\[127\.0\.0\.1\]/i,
    ],
    fix: [
      "check on each node: getent hosts $(hostname) must print the node's network address, not 127.x",
      "fix /etc/hosts (or DNS) for the node's hostname, or name the interface: GLOO_SOCKET_IFNAME=eth0 NCCL_SOCKET_IFNAME=eth0",
    ],
    fixer: "none",
    source:
      "vllm-project/vllm-ascend#541, wtdcode/vllm-backport#14 (ProcessGroupGloo warning), pytorch/gloo#223 (connect [127.0.1.1]: Connection refused), aws-samples/aws-do-eks#69",
  },
  {
    code: "E_NO_LIBUV",
    title: "TCPStore asked for libuv, torch has none",
    cause:
      "torch >= 2.4 makes TCPStore use libuv by default, but this build has no libuv (Windows wheels, Debian trixie's python3-torch 2.6), so every torchrun and init_process_group fails before any rank starts.",
    patterns: [/use_libuv was requested but PyTorch was build without libuv support/i],
    fix: [
      "turn libuv off for the store: export USE_LIBUV=0 (torchrun) and pass use_libuv=False where the code builds a TCPStore",
      "on Debian trixie's torch 2.6 USE_LIBUV=0 alone is not enough: default TCPStore's use_libuv to False in a sitecustomize, or use the official wheels",
    ],
    fixer: "none",
    source:
      "pytorch/pytorch#148283, hiyouga/LlamaFactory#7124, cocktailpeanut/fluxgym#302; reproduced with Debian trixie torch 2.6.0",
  },
  {
    code: "E_CUDA_LIBRARY_MISSING",
    title: "A CUDA library torch needs is missing",
    cause:
      "torch (or an extension) is linked against a CUDA library the dynamic loader cannot find: the nvidia-* package that carries it is missing or of another CUDA family, sits in another site-packages than torch (lib vs lib64 in a venv), or the build expects a CUDA toolkit installed system-wide.",
    // Bounded quantifiers only: linear in the line's length.
    patterns: [
      /lib(?:cudnn|cudart|cublas|cublasLt|nccl|nvJitLink|cusparse|cufft|curand|cusolver|nvrtc|cupti)[\w.-]{0,40}\.so[\d.]{0,20}: cannot open shared object file/i,
    ],
    fix: [
      "see which nvidia-* packages are installed: pip list 2>/dev/null | grep -i '^nvidia-' (libcudnn.so.9 comes with nvidia-cudnn-cu12, libcudart.so.12 with nvidia-cuda-runtime-cu12, libnccl.so.2 with nvidia-nccl-cu12)",
      "check that torch and those packages sit in one site-packages: python3 -c 'import site; print(site.getsitepackages())'",
      "see the libraries and LD_LIBRARY_PATH folders the Python finds: torchstack doctor (or torchstack doctor --in NAME)",
      "no GPU wanted: use a CPU build of torch (cuda: cpu in torchstack.yaml)",
    ],
    fixer: "none",
    source:
      "pytorch/pytorch#165812 (libcudnn.so.9), pytorch/pytorch#131284 (libcudart.so.12), pytorch/pytorch#104259 (libcudnn.so.8)",
  },
];
