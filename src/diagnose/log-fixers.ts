/**
 * The fixers of known errors: each turns what a log says (the sm_XX, the
 * driver's CUDA version, the torch wheel, allocator figures, Xid numbers, the
 * OOM killer's figures) into a sentence of cause and fixes built from it.
 * They read only the context lines a scan keeps: the lines that match a
 * CONTEXT_PATTERNS entry or a known error, so a multi-GB log keeps a bounded
 * context. Pure.
 */

import type { Catalog } from "../catalog/catalog.js";
import { cudaToolkit } from "../catalog/cuda-toolkits.js";
import { pipInstallTorch } from "../catalog/wheel-index.js";
import { archFixes, newestWheelFor, parseCapability } from "../probe/arch-support.js";
import type { Fixer } from "./known-errors.js";
import { XID_MEANINGS } from "./xid-meanings.js";

/**
 * Lines a scan keeps as context for the fixers (besides the lines that match a
 * known error): every fact a fixer below reads from the log.
 */
export const CONTEXT_PATTERNS: readonly RegExp[] = [
  /CUDA capabilit|too old \(found version|\+cu\d|CUDA used to build PyTorch/i,
  /CUDA_VISIBLE_DEVICES=|--nproc[-_]per[-_]node|\/usr\/local\/cuda/i,
  /\btorch[=\s-]+\d+\.\d+\.\d/i,
  /reserved by PyTorch|expandable_segments|Tried to allocate|Process \d+ has/i,
  /\bXid\b|Killed process|anon-rss|oom-kill|Assertion [`'"]/i,
];

export interface LogContext {
  /** The kept context lines joined with "\n". */
  text: string;
  /** The catalog the fixes name releases and drivers from (built-in plus overlay when the command loaded it). */
  catalog: Catalog;
}

export interface Extra {
  cause?: string;
  fix: string[];
}

/** sm_120 from "…with CUDA capability sm_120 is not compatible…" or "Found GPU0 … cuda capability 6.1". */
function capabilityIn(text: string): string | null {
  const sm = /CUDA capability sm_(\d+)/i.exec(text);
  if (sm?.[1]) {
    const cc = parseCapability(sm[1]);
    return cc ? `${cc[0]}.${cc[1]}` : null;
  }
  const found = /which is of cuda capability (\d+)\.(\d+)/i.exec(text);
  return found ? `${found[1]}.${found[2]}` : null;
}

function torchCudaIn(text: string): string | null {
  const wheel = /\btorch[-=\s]+\d+\.\d+\.\d+\+cu(\d+)(\d)\b/i.exec(text) ?? /\+cu(\d+)(\d)\b/.exec(text);
  if (wheel) return `${wheel[1]}.${wheel[2]}`;
  const built = /CUDA used to build PyTorch:\s*(\d+\.\d+)/i.exec(text);
  return built?.[1] ?? null;
}

export const FIXERS: Record<Fixer, (ctx: LogContext, evidence: string) => Extra> = {
  none: () => ({ fix: [] }),
  arch(ctx) {
    const cc = capabilityIn(ctx.text);
    const supports = /supports CUDA capabilities ((?:(?:sm|compute)_\d+\s*)+)/i.exec(ctx.text)?.[1]?.trim();
    if (!cc) return { fix: [] };
    return {
      cause: `The GPU is compute capability ${cc}${supports ? `; this build has ${supports}` : ""}.`,
      fix: archFixes(ctx.catalog, cc),
    };
  },
  noKernel(ctx) {
    const cc = capabilityIn(ctx.text);
    if (cc) return { cause: `The log names compute capability ${cc}.`, fix: archFixes(ctx.catalog, cc) };
    return {
      fix: [
        "RTX 50xx / B200 (sm_120 / sm_100) need torch >= 2.7 with cu128 or newer wheels; Pascal/Maxwell need cu126 wheels",
      ],
    };
  },
  driver(ctx) {
    const found = /too old \(found version (\d+)\)/i.exec(ctx.text);
    const cuda = torchCudaIn(ctx.text);
    const fix: string[] = [];
    let cause: string | undefined;
    if (found?.[1]) {
      const v = Number(found[1]);
      const driverCuda = `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;
      cause = `The driver supports CUDA ${driverCuda} (found version ${v} is the CUDA driver API version, not the driver build).`;
      const wheel = newestWheelFor(ctx.catalog, driverCuda);
      if (wheel) {
        fix.push(
          `or install a torch built for CUDA <= ${driverCuda}: ${pipInstallTorch(wheel.wheel, wheel.torch)}`,
        );
      }
    }
    const toolkit = cuda ? cudaToolkit(cuda, ctx.catalog.cudaToolkits) : undefined;
    fix.unshift(
      toolkit
        ? `upgrade the NVIDIA driver to >= ${toolkit.toolkitDriver} (CUDA ${cuda}, which this torch uses)`
        : "upgrade the NVIDIA driver (>= 525.60.13 for cu12x wheels, >= 580 for cu13x)",
    );
    return cause ? { cause, fix } : { fix };
  },
  ordinal(ctx) {
    const visible = /CUDA_VISIBLE_DEVICES=([\w,-]*)/.exec(ctx.text)?.[1];
    const nproc = /--nproc[-_]per[-_]node[=\s]+(\d+)/.exec(ctx.text)?.[1];
    const fix: string[] = [];
    if (visible !== undefined && nproc) {
      const count = visible === "" ? 0 : visible.split(",").length;
      fix.push(
        `the log sets CUDA_VISIBLE_DEVICES=${visible} (${count} GPU(s)) but --nproc-per-node ${nproc}: use --nproc-per-node ${count}`,
      );
    }
    return { fix };
  },
  library(ctx, evidence) {
    const symbol = /undefined symbol: (\w+)/.exec(evidence)?.[1] ?? "";
    const fix: string[] = [];
    if (/^nccl/i.test(symbol)) {
      fix.push(
        `${symbol} comes from a newer NCCL than the one loaded: find the copies with pip list | grep -i nccl and ldconfig -p | grep nccl; keep only the nvidia-nccl-cuXX that torch pins`,
      );
    } else if (/nvJitLink/i.test(symbol)) {
      const ld = /(\/usr\/local\/cuda[\w.-]*\/lib64)/.exec(ctx.text)?.[1];
      fix.push(
        `${symbol} is missing from the libnvJitLink.so.12 that loaded${ld ? ` (${ld})` : ""}: remove ${ld ?? "the CUDA toolkit lib64"} from LD_LIBRARY_PATH so the pip nvidia-nvjitlink library is used`,
      );
    }
    return { fix };
  },
  extension(_ctx, evidence) {
    const module = /\/([\w.-]+?)(?:\.cpython-\d+[\w-]*)?\.so: undefined symbol/.exec(evidence)?.[1];
    return module ? { cause: `The extension is ${module}.`, fix: [] } : { fix: [] };
  },
  torchvision(ctx) {
    const torch = /\btorch[=\s-]+(\d+)\.(\d+)\.\d+/i.exec(ctx.text);
    if (!torch) return { fix: [] };
    const major = Number(torch[1]);
    const minor = Number(torch[2]);
    const tv = major === 2 ? `0.${minor + 15}` : major === 1 ? `0.${minor + 1}` : null;
    return tv
      ? {
          fix: [
            `torch ${major}.${minor} pairs with torchvision ${tv}.x: pip install "torchvision==${tv}.*" from torch's index`,
          ],
        }
      : { fix: [] };
  },
  oom(ctx) {
    const fix: string[] = [];
    const reserved = /(?<![\d.])(\d[\d.]{0,15} [GMK]iB) is reserved by PyTorch but unallocated/i.exec(
      ctx.text,
    )?.[1];
    const tried = /Tried to allocate ([\d.]+ [GMK]iB)/i.exec(ctx.text)?.[1];
    const other = /Process \d+ has ([\d.]+ [GMK]iB) memory in use/i.exec(ctx.text)?.[1];
    if (reserved || /expandable_segments/i.test(ctx.text)) {
      fix.push(
        `reduce fragmentation${reserved ? ` (${reserved} is reserved by PyTorch but unallocated)` : ""}: export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True`,
      );
    } else {
      fix.push(
        "if reserved memory is much larger than allocated: export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True",
      );
    }
    if (other) fix.push(`another process holds ${other} on the GPU: find it with nvidia-smi and stop it`);
    return tried ? { cause: `It tried to allocate ${tried}.`, fix } : { fix };
  },
  // hardening: GPU faults and killed processes
  xid(ctx) {
    const numbers = [
      ...new Set([...ctx.text.matchAll(/\bXid \(PCI:[^)\n]{0,64}\):[ \t]*(\d+)/gi)].map((m) => Number(m[1]))),
    ];
    const known = numbers.filter((n) => XID_MEANINGS[n]);
    const named = numbers.map((n) => `Xid ${n}: ${XID_MEANINGS[n]?.meaning ?? "see NVIDIA's Xid catalog"}`);
    const fix = known.map((n) => `Xid ${n}: ${XID_MEANINGS[n]?.action}`);
    const hardware = known.some((n) => XID_MEANINGS[n]?.hardware);
    if (hardware) fix.push("until then, keep jobs off this GPU: CUDA_VISIBLE_DEVICES=<the other GPUs>");
    return named.length > 0 ? { cause: `The log names ${named.join("; ")}.`, fix } : { fix };
  },
  killed(ctx) {
    const oom = /Out of memory: Killed process (\d+) \(([^)]+)\)[^\n]*?anon-rss:\s*(\d+)kB/i.exec(ctx.text);
    if (oom) {
      const gib = (Number(oom[3]) / 2 ** 20).toFixed(1);
      return {
        cause: `The kernel's OOM killer ended ${oom[2]} (pid ${oom[1]}) holding ${gib} GiB of host RAM: this is host memory, not GPU memory.`,
        fix: [
          "lower host memory: fewer DataLoader workers (num_workers), smaller prefetch_factor, memory-mapped datasets instead of loading them whole",
          "in a container, raise its memory limit (docker run --memory …) or the job's (Slurm --mem)",
        ],
      };
    }
    if (/oom-kill|invoked oom-killer/i.test(ctx.text)) {
      return { cause: "The kernel's OOM killer was active: host RAM ran out.", fix: [] };
    }
    return { fix: [] };
  },
  assert(ctx) {
    const assertion = /Assertion [`'"](.+?)[`'"] failed/i.exec(ctx.text)?.[1];
    return assertion ? { cause: `The failed assertion is \`${assertion}\`.`, fix: [] } : { fix: [] };
  },
};
