/**
 * Reading a wheel's core metadata (the PEP 658 `.metadata` file, RFC 822
 * headers) for what the catalog needs: `Requires-Python` and the exact pins of
 * cuDNN, NCCL, the CUDA runtime and triton (torch), or of torch itself
 * (torchvision, torchaudio). Pure; text that is not core metadata fails with
 * E_CATALOG_INDEX_INVALID.
 */
import { indexFormatError } from "./index-format-error.js";

export interface WheelMetadata {
  name: string;
  version: string;
  requiresPython: string | null;
  cudnn: string | null;
  nccl: string | null;
  cudaRuntime: string | null;
  triton: string | null;
  /** The torch release a torchvision/torchaudio wheel pins ("2.7.1", local version dropped). */
  torch: string | null;
  /** A torchvision/torchaudio wheel's whole torch requirement (">=2.14.0", "==2.7.1"); null when none. */
  torchSpecifier: string | null;
  cusparselt: string | null;
  nvshmem: string | null;
}

/**
 * Does a requirement's environment marker hold on Linux `machine`? Only the markers torch's
 * metadata uses are read: `extra == …` (never), `platform_machine == / != …`, `platform_system`,
 * `sys_platform`; anything else (python_version) is taken as true.
 */
function markerHolds(marker: string, machine: "x86_64" | "aarch64"): boolean {
  if (/\bextra\s*==/.test(marker)) return false;
  for (const clause of marker.split(/\s+and\s+/)) {
    const match =
      /^\(?\s*(platform_machine|platform_system|sys_platform)\s*(==|!=)\s*["']([^"']*)["']\s*\)?$/.exec(
        clause.trim(),
      );
    if (!match) continue;
    const [, key, op, value] = match;
    const actual = key === "platform_machine" ? machine : key === "platform_system" ? "Linux" : "linux";
    if ((actual === value) !== (op === "==")) return false;
  }
  return true;
}

/** "torch (>=2.14.0)", "torch ==2.4.0", "torch>=2.11" → ">=2.14.0" / "==2.4.0" / ">=2.11". */
function torchSpecifierOf(requirement: string): string | null {
  const match = /^torch\s*\(?\s*([<>=!~][^;)]*)\)?/.exec(requirement.trim());
  return match ? (match[1] ?? "").replace(/\s+/g, "") : null;
}

/** Header lines, with RFC 822 continuation lines folded; the body after the first blank line is ignored. */
function headers(text: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
    if (line === "") break;
    const last = result.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last[1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) return [];
    result.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return result;
}

/** "nvidia-cudnn-cu12==9.10.2.21; platform_system == 'Linux'" → ["nvidia-cudnn-cu12", "9.10.2.21"]. */
function exactPin(requirement: string): [string, string] | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?\s*==\s*([0-9][^\s;,)]*)/.exec(
    requirement.trim(),
  );
  return match ? [(match[1] ?? "").toLowerCase().replace(/_/g, "-"), match[2] ?? ""] : null;
}

/** "triton~=3.8.0" → ["triton", "~=3.8.0"]: a compatible-release pin keeps its operator. */
function compatiblePin(requirement: string): [string, string] | null {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?\s*~=\s*([0-9][^\s;,)]*)/.exec(
    requirement.trim(),
  );
  return match ? [(match[1] ?? "").toLowerCase().replace(/_/g, "-"), `~=${match[2] ?? ""}`] : null;
}

export function parseMetadata(
  text: string,
  url: string,
  machine: "x86_64" | "aarch64" = "x86_64",
): WheelMetadata {
  const fields = headers(text);
  const get = (key: string) => fields.find(([k]) => k === key)?.[1];
  const name = get("name");
  const version = get("version");
  if (!get("metadata-version") || !name || !version) {
    throw indexFormatError(url, "not wheel core metadata (no Metadata-Version, Name and Version headers)");
  }
  const pins = new Map<string, string>();
  let torchSpecifier: string | null = null;
  for (const [key, value] of fields) {
    if (key !== "requires-dist") continue;
    const [requirement = "", marker = ""] = value.split(";");
    if (!markerHolds(marker, machine)) continue;
    torchSpecifier ??= torchSpecifierOf(requirement);
    const pin = exactPin(requirement) ?? compatiblePin(requirement);
    if (pin && !pins.has(pin[0])) pins.set(pin[0], pin[1]);
  }
  const find = (pattern: RegExp) => [...pins].find(([pkg]) => pattern.test(pkg))?.[1] ?? null;
  const torch = pins.get("torch");
  return {
    name,
    version,
    requiresPython: get("requires-python") ?? null,
    cudnn: find(/^nvidia-cudnn-cu\d+$/),
    nccl: find(/^nvidia-nccl-cu\d+$/),
    cudaRuntime: find(/^nvidia-cuda-runtime(-cu\d+)?$/) ?? find(/^cuda-toolkit$/),
    triton: find(/^(pytorch-)?triton$/),
    torch: torch && !torch.startsWith("~=") ? (torch.split("+")[0] ?? torch) : null,
    torchSpecifier,
    cusparselt: find(/^nvidia-cusparselt-cu\d+$/),
    nvshmem: find(/^nvidia-nvshmem-cu\d+$/),
  };
}
