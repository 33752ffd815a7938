// Network tier: `catalog update` against real PyPI, then the newest torch release's resolved
// cuDNN, NCCL and CUDA must equal what that release's own wheel metadata says (read here again,
// independently). Skips, saying so, when PyPI does not answer within 5 s.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseMetadata } from "../../../../src/catalog/index/parse-metadata.js";
import { parseSimpleJson } from "../../../../src/catalog/pypi/parse-simple-json.js";
import { pypiWheels } from "../../../../src/catalog/pypi/pypi-releases.js";
import { DEFAULT_PYPI } from "../../../../src/catalog/pypi/read-pypi.js";
import { readWheelMetadata } from "../../../../src/catalog/pypi/read-wheel-metadata.js";
import { httpIndexFetcher } from "../../../../src/catalog/update/index-fetcher.js";
import { compareVersions } from "../../../../src/catalog/version-order.js";
import { runCliInMemory } from "../../../support/run-cli-in-memory.js";

const JSON_ACCEPT = "application/vnd.pypi.simple.v1+json";

async function torchPage(): Promise<string | null> {
  try {
    const response = await fetch(`${DEFAULT_PYPI}/torch/`, {
      headers: { accept: JSON_ACCEPT },
      signal: AbortSignal.timeout(5000),
    });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

const page = await torchPage();
if (page === null) console.warn(`network tier skipped: ${DEFAULT_PYPI} did not answer within 5 s`);

describe.skipIf(page === null)("catalog update against real PyPI (network tier)", () => {
  const state = mkdtempSync(join(tmpdir(), "ts-pypi-network-"));
  afterAll(() => rmSync(state, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    runCliInMemory(args, { env: { ...process.env, TORCHSTACK_STATE_DIR: state } });

  it("resolves the newest torch with the cuDNN, NCCL and CUDA its wheel metadata states", async () => {
    const run = await cli(
      "catalog",
      "update",
      "--index",
      "http://127.0.0.1:9/whl",
      "--json",
      "--timeout",
      "30",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).sources[1]).toMatchObject({ id: "pypi", outcome: "read" });

    const wheels = pypiWheels("torch", parseSimpleJson(page ?? "", `${DEFAULT_PYPI}/torch/`)).filter(
      (w) => w.file.variant === null && w.file.platform === "x86_64" && !w.file.python.endsWith("t"),
    );
    const newest =
      wheels
        .map((w) => w.file.version)
        .sort(compareVersions)
        .at(-1) ?? "";
    const wheel = wheels.filter((w) => w.file.version === newest).at(-1);
    if (!wheel) throw new Error("no torch wheel on PyPI");
    const { text } = await readWheelMetadata(httpIndexFetcher({ timeoutMs: 30_000 }), wheel.link);
    const meta = parseMetadata(text, wheel.link.url);

    const resolved = await cli("resolve", "--no-host", "--torch", newest, "--json");
    expect(resolved.code, resolved.stdout).toBe(0);
    const { stack } = JSON.parse(resolved.stdout);
    expect(stack).toMatchObject({ torch: newest, cudnn: meta.cudnn, nccl: meta.nccl });
    expect(meta.cudaRuntime?.startsWith(`${stack.cuda}.`)).toBe(true);
  }, 120_000);
});
