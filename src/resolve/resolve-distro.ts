/**
 * Resolving `torchSource: distro`: the operating system's python3-torch, which is
 * CPU only and fixed to one torch and one Python per distribution release.
 * Anything else asked for (a CUDA version, another torch or Python) is an error
 * that says what the distro has and how to get the rest from the wheels.
 */
import { DISTRO_TORCH, distroTorchFor } from "../catalog/distro-torch.js";
import { minorOf } from "../catalog/version-order.js";
import { ResolveError } from "../errors/torchstack-error.js";
import { humanList } from "./human-list.js";
import type { ExplainEntry, ResolveRequest, ResolveResult } from "./resolve-request.js";

export function resolveDistro(req: ResolveRequest): ResolveResult {
  const base = req.base ?? "debian-12";
  const row = distroTorchFor(base);
  const what = row ? `${base}'s python3-torch ${row.packages.torch}` : "";
  if (!row) {
    throw new ResolveError(
      "E_DISTRO_UNSUPPORTED",
      `torchSource distro needs a base with python3-torch; ${base} has none known`,
      {
        remedies: [
          `set base to ${humanList(
            DISTRO_TORCH.map((r) => r.base),
            "or",
          )}`,
          "set torchSource: wheels",
        ],
      },
    );
  }
  if (req.cuda !== undefined && req.cuda !== "auto" && req.cuda !== "cpu") {
    throw new ResolveError("E_DISTRO_UNSUPPORTED", `${what} is CPU only; it has no CUDA ${req.cuda} build`, {
      remedies: [
        "use --cuda cpu (or cuda: auto)",
        `use the official wheels for CUDA ${req.cuda}: torchSource: wheels`,
      ],
    });
  }
  if (req.torch !== undefined && req.torch !== row.torch && req.torch !== minorOf(row.torch)) {
    throw new ResolveError("E_DISTRO_UNSUPPORTED", `${what} is torch ${row.torch}, not ${req.torch}`, {
      remedies: [
        `use --torch ${row.torch} with torchSource: distro`,
        `use the official wheels for torch ${req.torch}: torchSource: wheels`,
      ],
    });
  }
  if (req.python !== undefined && req.python !== row.python) {
    throw new ResolveError(
      "E_PYTHON_UNSUPPORTED",
      `${what} is built for Python ${row.python} only, not ${req.python}`,
      {
        remedies: [
          `use --python ${row.python}`,
          `use the official wheels for Python ${req.python}: torchSource: wheels`,
        ],
      },
    );
  }
  const warnings: string[] = [];
  const gpus = req.gpus ?? [];
  if (gpus.length > 0) {
    warnings.push(
      `${what} is CPU only: ${humanList(gpus.map((g) => (typeof g === "string" ? g : g.label)))} will not be used`,
    );
  }
  const explain: ExplainEntry[] = [
    { subject: "torch", verdict: "chosen", reason: `${row.torch} from ${what} (torchSource: distro)` },
    { subject: "python", verdict: "chosen", reason: `${row.python}: the distribution's Python` },
    { subject: "cpu", verdict: "chosen", reason: "distribution packages are CPU only" },
  ];
  if (row.source.status === "unverified") {
    explain.push({ subject: "catalog", verdict: "note", reason: `UNVERIFIED: ${row.source.note ?? ""}` });
  }
  return {
    stack: {
      torch: row.torch,
      wheel: "cpu",
      cuda: null,
      cudnn: null,
      nccl: null,
      python: row.python,
      torchvision: row.torchvision,
      torchaudio: row.torchaudio,
      minDriver: null,
      archList: [],
    },
    warnings,
    explain,
  };
}
