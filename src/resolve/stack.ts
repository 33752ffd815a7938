/**
 * The resolved stack: exact versions that run together. Its JSON form is the
 * `stack` object of `torchstack resolve --json`, a contract that users' scripts
 * and acceptance checks rely on; add fields only with care, never rename them.
 */
export interface ResolvedStack {
  torch: string;
  /** Wheel variant: `cu128`, `cu126`, … or `cpu`. */
  wheel: string;
  /** CUDA version of the wheel (`12.8`), null for CPU. */
  cuda: string | null;
  cudnn: string | null;
  nccl: string | null;
  python: string;
  torchvision: string | null;
  /** Null where no torchaudio release pairs with this torch. */
  torchaudio: string | null;
  /** Minimum Linux driver under minor-version compatibility; null for CPU. */
  minDriver: string | null;
  /** Compiled architectures, `sm_XY` for SASS and `compute_XY` for PTX. */
  archList: string[];
}
