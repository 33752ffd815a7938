/**
 * The live monitor behind `top` and `dashboard`: one sampler, the history store,
 * the environment list (refreshed every 15 s, [] without an engine), and processes
 * mapped to environments. Listeners get each new snapshot after it is recorded.
 */
import type { EnvironmentSummary } from "../environments/environment.js";
import type { GpuSnapshot } from "../gpu/gpu-sample.js";
import { createNvidiaSmiSampler, type GpuSampler } from "../gpu/sampler.js";
import { GpuHistory } from "./history.js";
import { type CgroupReader, mapProcessesToEnvironments } from "./process-environments.js";

export type EnvironmentLister = (env: NodeJS.ProcessEnv) => Promise<EnvironmentSummary[]>;

export interface MonitorOptions {
  env: NodeJS.ProcessEnv;
  intervalMs: number;
  listEnvironments?: EnvironmentLister;
  readCgroup?: CgroupReader;
  /** For tests: a sampler other than nvidia-smi. */
  sampler?: GpuSampler;
  environmentsEveryMs?: number;
}

export class Monitor {
  readonly history = new GpuHistory();
  private environmentList: EnvironmentSummary[] = [];
  private readonly sampler: GpuSampler;
  private readonly listeners = new Set<(s: GpuSnapshot) => void>();
  private envTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MonitorOptions) {
    this.sampler =
      options.sampler ??
      createNvidiaSmiSampler({
        env: options.env,
        intervalMs: options.intervalMs,
        mapProcesses: (ps) => mapProcessesToEnvironments(ps, this.environmentList, options.readCgroup),
      });
    this.sampler.subscribe((snapshot) => {
      this.history.add(snapshot.time, snapshot.gpus);
      for (const listener of this.listeners) listener(snapshot);
    });
  }

  async start(): Promise<GpuSnapshot> {
    await this.refreshEnvironments();
    this.envTimer = setInterval(() => {
      this.refreshEnvironments().catch(() => {});
    }, this.options.environmentsEveryMs ?? 15_000);
    return this.sampler.start();
  }

  private async refreshEnvironments(): Promise<void> {
    if (!this.options.listEnvironments) return;
    try {
      this.environmentList = await this.options.listEnvironments(this.options.env);
    } catch {
      this.environmentList = [];
    }
  }

  environments(): EnvironmentSummary[] {
    return this.environmentList;
  }

  latest(): GpuSnapshot | undefined {
    return this.sampler.latest();
  }

  subscribe(listener: (s: GpuSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    if (this.envTimer) clearInterval(this.envTimer);
    this.sampler.stop();
    this.listeners.clear();
  }
}
