/**
 * The effectful steps of `up`, each small: which GPUs to request given the
 * engine's GPU runtime (refusing without one unless --cpu-ok), which network
 * to use on engines without a bridge, and creating plus starting the container
 * (with the ulimit fallback for hosts that cannot raise limits). Engine
 * refusals become EngineError with fixes.
 */

import type { ContainerSpec, Engine, GpuRequest } from "../../engine/engine-client.js";
import { detectGpuRuntime } from "../../engine/gpu-runtime.js";
import { EngineError, TorchstackError } from "../../errors/torchstack-error.js";
import type { Reporter } from "../../report/reporter.js";
import { describeGpus, type GpuSelection, gpuRequestFor, parseGpuSelection } from "./gpu-request.js";
import { capUlimits, isRlimitRefusal, readHardLimits } from "./ulimit-fallback.js";

export async function requestedGpus(
  wanted: string | number | readonly (string | number)[],
  options: { cpuOk: boolean },
  deps: { engine: Engine; reporter: Reporter },
): Promise<{ selection: GpuSelection; request: GpuRequest }> {
  const selection = parseGpuSelection(wanted);
  if (selection.kind === "none") return { selection, request: { kind: "none" as const } };
  const runtime = detectGpuRuntime(await deps.engine.info());
  if (runtime.kind === "none") {
    if (!options.cpuOk) {
      throw new EngineError(
        "E_NO_GPU_RUNTIME",
        `GPUs were asked for (${describeGpus(selection)}) but this engine has no GPU runtime (no nvidia runtime in docker info, no NVIDIA CDI spec in /etc/cdi or /var/run/cdi)`,
        {
          remedies: [
            "install the NVIDIA Container Toolkit and run: sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker",
            "or for Podman/CDI: sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml",
            "or start without GPUs: torchstack up --cpu-ok (or --gpus none)",
          ],
        },
      );
    }
    deps.reporter.warn("no GPU runtime on this engine: starting without GPUs (--cpu-ok)");
    return { selection: { kind: "none" as const }, request: { kind: "none" as const } };
  }
  return { selection, request: gpuRequestFor(selection, runtime) };
}

/** A named network must exist before the container is created, or `up` would wait out its timeout. */
export async function checkNetworkExists(engine: Engine, network: string | undefined): Promise<void> {
  if (network === undefined || network === "host" || network === "none" || network.startsWith("container:"))
    return;
  const names = await engine.networks().catch(() => undefined);
  if (names === undefined || names.includes(network)) return;
  throw new EngineError("E_NO_NETWORK", `the engine has no network "${network}"`, {
    remedies: [
      `use one of: host, none${names.length > 0 ? `, ${names.filter((n) => n !== "host" && n !== "none").join(", ")}` : ""}`,
      `or create it first: docker network create ${network}`,
    ],
  });
}

function engineFailure(what: string, error: unknown): TorchstackError {
  // already translated by the engine adapter (unreachable, name in use, …): its code and fix are the precise ones
  if (error instanceof TorchstackError) return error;
  const why = error instanceof Error ? error.message : String(error);
  return new EngineError("E_ENGINE_FAILED", `the engine could not ${what}: ${why}`, {
    remedies: [
      "check the engine: docker info",
      "see the engine's log (dockerd's log file or journalctl -u docker)",
    ],
    cause: error,
  });
}

export async function createAndStart(
  engine: Engine,
  spec: ContainerSpec,
  reporter: Reporter,
): Promise<string> {
  let id = await engine.containers.create(spec).catch((error: unknown) => {
    throw engineFailure("create the container", error);
  });
  try {
    await engine.containers.start(id);
    return id;
  } catch (error) {
    await engine.containers.remove(id, { force: true, volumes: false }).catch(() => {});
    if (!isRlimitRefusal(error)) throw engineFailure("start the container", error);
    const ulimits = capUlimits(spec.ulimits, readHardLimits());
    reporter.warn(
      `this host cannot raise ulimits for containers (no CAP_SYS_RESOURCE): using ${ulimits.map((u) => `${u.name}=${u.hard}`).join(", ")} instead of memlock=-1, stack=67108864`,
    );
    id = await engine.containers.create({ ...spec, ulimits });
    try {
      await engine.containers.start(id);
      return id;
    } catch (retryError) {
      await engine.containers.remove(id, { force: true, volumes: false }).catch(() => {});
      throw engineFailure("start the container", retryError);
    }
  }
}
