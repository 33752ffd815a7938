/**
 * Reads BuildKit's `--progress=plain` output as it streams and turns it into
 * steps a user can follow (`[3/9] RUN apt-get install …`, cached or not, with
 * timing), and keeps the tail of the log and the last step that errored so a
 * failed build can say which step failed and why.
 */
export interface BuildStep {
  id: number;
  /** `[stage 3/9] RUN …` or `[internal] load build definition`. */
  name: string;
  cached: boolean;
  done: boolean;
  /** Seconds BuildKit reported for the step (DONE 12.3s), null when cached or unknown. */
  seconds: number | null;
  error: string | null;
}

export interface ProgressEvent {
  kind: "start" | "cached" | "done" | "error";
  step: BuildStep;
}

const STEP_LINE = /^#(\d+) (\[[^\]]+\] .*)$/;
const CACHED_LINE = /^#(\d+) CACHED$/;
const DONE_LINE = /^#(\d+) DONE( [\d.]+s)?$/;
const ERROR_LINE = /^#(\d+) ERROR: (.*)$/;
const LOG_LINE = /^#(\d+) [\d.]+ (.*)$/;

/** `[stage-0  7/10]` of `[stage-0  7/10] RUN …`: a short step label. */
export function stepLabel(name: string): string {
  const end = name.indexOf("]");
  return end > 0 ? name.slice(0, end + 1).replace(/\s+/g, " ") : name;
}

export class BuildProgress {
  readonly steps = new Map<number, BuildStep>();
  readonly tail: string[] = [];
  private readonly stepLogs = new Map<number, string[]>();
  private partial = "";

  constructor(private readonly onEvent: (event: ProgressEvent) => void = () => {}) {}

  /** Feeds a chunk of output (may hold partial lines). */
  push(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.partial) this.line(this.partial);
    this.partial = "";
  }

  private line(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 40) this.tail.shift();
    let m = STEP_LINE.exec(line);
    if (m) {
      const id = Number(m[1]);
      if (!this.steps.has(id)) {
        const step: BuildStep = {
          id,
          name: m[2] ?? "",
          cached: false,
          done: false,
          seconds: null,
          error: null,
        };
        this.steps.set(id, step);
        this.onEvent({ kind: "start", step });
      }
      return;
    }
    m = CACHED_LINE.exec(line) ?? DONE_LINE.exec(line);
    const step = m ? this.steps.get(Number(m[1])) : undefined;
    if (m && step) {
      if (line.endsWith("CACHED")) step.cached = true;
      else step.seconds = m[2] ? Number.parseFloat(m[2]) : null;
      step.done = true;
      this.onEvent({ kind: step.cached ? "cached" : "done", step });
      return;
    }
    m = ERROR_LINE.exec(line);
    const failed = m ? this.steps.get(Number(m[1])) : undefined;
    if (m && failed) {
      failed.error = m[2] ?? "failed";
      this.onEvent({ kind: "error", step: failed });
      return;
    }
    m = LOG_LINE.exec(line);
    if (m) {
      const id = Number(m[1]);
      const log = this.stepLogs.get(id) ?? [];
      log.push(m[2] ?? "");
      if (log.length > 15) log.shift();
      this.stepLogs.set(id, log);
    }
  }

  /** The first step that reported an error, with its last output lines. */
  failure(): { step: BuildStep; lastLines: string[] } | null {
    for (const step of this.steps.values()) {
      if (step.error) return { step, lastLines: this.stepLogs.get(step.id) ?? [] };
    }
    return null;
  }

  /** Steps whose name matches, e.g. /python3-torch/: to check the torch layer was reused. */
  find(pattern: RegExp): BuildStep[] {
    return [...this.steps.values()].filter((s) => pattern.test(s.name));
  }
}
