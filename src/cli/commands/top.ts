/**
 * `torchstack top`: GPUs in the terminal, in the spirit of nvitop and gpustat.
 * `--once` prints one sample; `--json` prints one sample as JSON (and implies --once);
 * otherwise the view redraws live until q or Ctrl-C.
 */
import { readGpuSnapshotOnce } from "../../gpu/sampler.js";
import { describeGpu } from "../../monitor/describe-gpu.js";
import { listProcessEnvironments, monitorEnvironmentLister } from "../../monitor/environment-source.js";
import { computeHints } from "../../monitor/hints.js";
import { Monitor } from "../../monitor/monitor.js";
import { renderTop } from "../../monitor/render-top.js";
import { snapshotJson } from "../../monitor/snapshot-json.js";
import { runLiveTop } from "../../monitor/top-live.js";
import { wholeNumberValue } from "../args.js";
import { defineCommand } from "../command.js";

export const topCommand = defineCommand({
  name: "top",
  summary: "live GPU view: utilisation, memory, power, processes and hints",
  usage: "top [--once] [--interval MS] [--json]",
  description:
    "Reads every GPU from one long-lived `nvidia-smi --query-gpu … -lms N` and shows one block per GPU " +
    "(utilisation and memory bars, power, temperature, clocks, P-state, throttle reasons, a history sparkline), " +
    "MIG devices, processes with the torchstack environment they run in, and hints (one line per GPU when the " +
    "terminal is short). Press q to quit. --json prints one sample and implies --once. " +
    "Without an NVIDIA driver it says so. TORCHSTACK_NVIDIA_SMI picks the nvidia-smi executable.",
  options: {
    once: { type: "boolean", description: "print one sample and exit" },
    interval: {
      type: "string",
      valueName: "MS",
      description: "sampling interval in milliseconds (default 1000)",
    },
    "no-color": {
      type: "boolean",
      description: "no ANSI colour (also when NO_COLOR is set or stdout is not a TTY)",
    },
  },
  examples: [
    "torchstack top",
    "torchstack top --once",
    "torchstack top --once --json",
    "torchstack top --interval 500",
  ],
  async run(input, io) {
    const intervalMs =
      wholeNumberValue(input.flags.interval, "--interval", { min: 100, max: 60_000 }) ?? 1000;
    const out = io.stdout as typeof io.stdout & { isTTY?: boolean; columns?: number };
    const color = out.isTTY === true && !io.env.NO_COLOR && !input.flags["no-color"];
    const width = (out.isTTY && out.columns) || Number(io.env.COLUMNS) || 100;
    if (input.flags.once || io.json) {
      const snapshot = await readGpuSnapshotOnce({
        env: io.env,
        mapProcesses: listProcessEnvironments(io.env),
      });
      return {
        json: { ok: true, ...snapshotJson(snapshot) },
        text: renderTop({ snapshot, hints: computeHints(snapshot), width, color, describeGpu }),
      };
    }
    const monitor = new Monitor({ env: io.env, intervalMs, listEnvironments: monitorEnvironmentLister });
    await runLiveTop({
      monitor,
      stdout: out,
      stdin: process.stdin,
      signal: io.signal,
      color,
      width,
      describeGpu,
    });
    return {};
  },
});
