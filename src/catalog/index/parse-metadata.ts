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

export function parseMetadata(text: string, url: string): WheelMetadata {
  const fields = headers(text);
  const get = (key: string) => fields.find(([k]) => k === key)?.[1];
  const name = get("name");
  const version = get("version");
  if (!get("metadata-version") || !name || !version) {
    throw indexFormatError(url, "not wheel core metadata (no Metadata-Version, Name and Version headers)");
  }
  const pins = new Map<string, string>();
  for (const [key, value] of fields) {
    if (key !== "requires-dist") continue;
    const pin = exactPin(value);
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
    torch: torch ? (torch.split("+")[0] ?? torch) : null,
  };
}
