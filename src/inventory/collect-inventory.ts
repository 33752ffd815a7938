/**
 * Reads an image's inventory by running the inventory probe in a throw-away
 * container of it (`docker run --rm --network none`, the probe on stdin), so
 * what is recorded is what the image holds, not what the Dockerfile asked for.
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import type { ProcessRunner } from "../process/run-process.js";
import probeSource from "./inventory_probe.py?raw";
import { type Inventory, inventoryProbeSchema } from "./inventory-schema.js";

export interface CollectDeps {
  run: ProcessRunner;
  /** The docker CLI to run, as the engine chose it (dockerCli, or the build's client). */
  docker: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** The docker arguments that run the probe (pure, for tests). */
export function inventoryRunArgs(image: string): string[] {
  return ["run", "--rm", "-i", "--network", "none", "--entrypoint", "python3", image, "-"];
}

export async function collectInventory(image: string, deps: CollectDeps): Promise<Inventory> {
  const inspect = await deps.run(deps.docker, ["image", "inspect", "--format", "{{.Id}}", image], {
    env: deps.env,
    reject: false,
  });
  if (inspect.exitCode !== 0)
    throw new TorchstackError("E_IMAGE_NOT_FOUND", `no local image ${image}`, {
      remedies: ["torchstack build (builds the environment's image)", `docker pull ${image}`],
    });
  const result = await deps.run(deps.docker, inventoryRunArgs(image), {
    env: deps.env,
    input: probeSource,
    reject: false,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  let parsed: ReturnType<typeof inventoryProbeSchema.safeParse> | undefined;
  try {
    parsed = inventoryProbeSchema.safeParse(JSON.parse(line));
  } catch {
    parsed = undefined;
  }
  if (result.exitCode !== 0 || !parsed?.success)
    throw new TorchstackError("E_INVENTORY_FAILED", `could not read the inventory of ${image}`, {
      remedies: [
        "the image needs python3 on PATH: build it with torchstack build",
        "docker run --rm IMAGE python3 -V",
      ],
      details: { exitCode: result.exitCode, stderr: result.stderr.slice(-2000) },
    });
  const { python, dpkg, pip } = parsed.data;
  return { inventoryVersion: 1, image: { id: inspect.stdout.trim(), ref: image }, python, dpkg, pip };
}
