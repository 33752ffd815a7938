/**
 * What the common NVIDIA Xid numbers mean and what to do about them, as data.
 * Source: NVIDIA's "XID Errors" catalog (docs.nvidia.com/deploy/xid-errors,
 * r580 edition) for the meanings, and its resolution column for the action;
 * `hardware` marks the ones that point at the GPU or its link rather than at
 * the program.
 */

export interface XidMeaning {
  meaning: string;
  action: string;
  hardware: boolean;
}

export const XID_MEANINGS: Readonly<Record<number, XidMeaning>> = {
  13: {
    meaning: "graphics engine exception (a kernel faulted: out-of-range access or illegal instruction)",
    action:
      "usually the program or an extension: rerun with CUDA_LAUNCH_BLOCKING=1 or under compute-sanitizer",
    hardware: false,
  },
  31: {
    meaning: "GPU memory page fault (MMU fault: a kernel touched an address it does not own)",
    action:
      "usually the program or an extension: rerun with CUDA_LAUNCH_BLOCKING=1 or under compute-sanitizer",
    hardware: false,
  },
  43: {
    meaning: "GPU stopped processing (the channel of a faulting program was reset)",
    action: "follows an earlier error of the same program: fix that one first",
    hardware: false,
  },
  48: {
    meaning: "double-bit ECC error (uncorrectable GPU memory error)",
    action: "reset the GPU (nvidia-smi -r -i N) or reboot; if it repeats, the GPU needs service",
    hardware: true,
  },
  63: {
    meaning: "ECC page retirement or row remapping recorded",
    action: "reset the GPU or reboot so the remapping takes effect; check nvidia-smi -q -d ROW_REMAPPER",
    hardware: true,
  },
  64: {
    meaning: "ECC page retirement or row remapping failed",
    action: "the GPU cannot remap more rows: take it out of service and have it replaced",
    hardware: true,
  },
  74: {
    meaning: "NVLink error",
    action: "check the NVLink state (nvidia-smi nvlink -s) and reseat or service the link; reset the GPUs",
    hardware: true,
  },
  79: {
    meaning: "GPU has fallen off the bus (it stopped answering on PCIe)",
    action: "check power, cooling and PCIe seating; reboot; if it repeats, the GPU or slot needs service",
    hardware: true,
  },
  94: {
    meaning: "contained ECC error (only the affected program was stopped)",
    action: "restart the program; reset the GPU when no program uses it",
    hardware: true,
  },
  95: {
    meaning: "uncontained ECC error (every program on the GPU is affected)",
    action: "stop all programs on the GPU and reset it (nvidia-smi -r -i N) or reboot",
    hardware: true,
  },
};
