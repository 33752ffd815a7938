/**
 * Which package indexes a lock or build uses, chosen as pip chooses its own
 * settings: the command's flag, then the host's environment (PIP_INDEX_URL,
 * UV_DEFAULT_INDEX, UV_INDEX_URL for the Python index), then the spec's `indexes`,
 * then PyPI and the official PyTorch index. Credentials in a URL are split off
 * here: the lock, the Dockerfile and every log line see the URL without them, and
 * the build gets them only as a BuildKit secret (a netrc file).
 */
import { PYTORCH_WHEEL_INDEX } from "../../catalog/wheel-index.js";
import type { Spec } from "../../spec/schema.js";

export const PYPI_SIMPLE = "https://pypi.org/simple";

export interface IndexChoice {
  /** The URL without credentials. */
  url: string;
  /** Where it was set: "--python-index", "PIP_INDEX_URL", "torchstack.yaml indexes.python", "default". */
  from: string;
  /** "machine HOST login USER password PASS" when the URL carried credentials. */
  netrc: string | null;
}

export interface PackageIndexes {
  python: IndexChoice;
  /** The PyTorch index's base (`…/whl`); variant folders (`…/whl/cu128`) sit under it. */
  pytorch: IndexChoice;
}

export interface IndexFlags {
  pythonIndex?: string | undefined;
  pytorchIndex?: string | undefined;
}

/** Split `https://user:token@host/simple` into the bare URL and a netrc line for host. */
export function splitCredentials(raw: string, from: string): IndexChoice {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw.replace(/\/+$/, ""), from, netrc: null };
  const login = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const netrc = `machine ${url.hostname} login ${login} password ${password}`;
  url.username = "";
  url.password = "";
  return { url: url.toString().replace(/\/+$/, ""), from, netrc };
}

function first(candidates: [string | undefined, string][], fallback: string): IndexChoice {
  for (const [value, from] of candidates) if (value?.trim()) return splitCredentials(value.trim(), from);
  return { url: fallback, from: "default", netrc: null };
}

export function choosePackageIndexes(spec: Spec, flags: IndexFlags, env: NodeJS.ProcessEnv): PackageIndexes {
  return {
    python: first(
      [
        [flags.pythonIndex, "--python-index"],
        [env.PIP_INDEX_URL, "PIP_INDEX_URL"],
        [env.UV_DEFAULT_INDEX, "UV_DEFAULT_INDEX"],
        [env.UV_INDEX_URL, "UV_INDEX_URL"],
        [spec.indexes?.python, "torchstack.yaml indexes.python"],
      ],
      PYPI_SIMPLE,
    ),
    pytorch: first(
      [
        [flags.pytorchIndex, "--pytorch-index"],
        [env.TORCHSTACK_PYTORCH_INDEX, "TORCHSTACK_PYTORCH_INDEX"],
        [spec.indexes?.pytorch, "torchstack.yaml indexes.pytorch"],
      ],
      PYTORCH_WHEEL_INDEX,
    ),
  };
}

/** The netrc text for every index that carried credentials (empty when none did). */
export function netrcOf(indexes: PackageIndexes): string {
  const lines = [indexes.python.netrc, indexes.pytorch.netrc].filter((l): l is string => l !== null);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
