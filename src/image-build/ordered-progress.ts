/**
 * BuildKit runs independent steps at once and announces them as they start, so `[4/10]` can come
 * before `[3/10]`. This puts a step's events (start, cached, done, error) in step order within its
 * stage: a step that starts early is held until the steps before it have started, and `flush()`
 * lets out whatever is still held when the build ends. Pure apart from the callback.
 */
import type { ProgressEvent } from "./build-progress.js";

const NUMBERED = /^\[(.*?)\s*(\d+)\/(\d+)\]/;

export function orderedProgress(emit: (event: ProgressEvent) => void): {
  push(event: ProgressEvent): void;
  flush(): void;
} {
  /** Per stage: the next step number to let out. */
  const next = new Map<string, number>();
  /** Held events by stage and step number, in arrival order. */
  const held = new Map<string, Map<number, ProgressEvent[]>>();
  /** Steps already let out: their later events pass straight through. */
  const released = new Set<number>();

  const release = (stage: string) => {
    const waiting = held.get(stage);
    let n = next.get(stage) ?? 1;
    while (waiting?.has(n)) {
      const events = waiting.get(n) ?? [];
      waiting.delete(n);
      for (const event of events) {
        released.add(event.step.id);
        emit(event);
      }
      n += 1;
    }
    next.set(stage, n);
  };

  return {
    push(event) {
      const numbered = NUMBERED.exec(event.step.name);
      if (!numbered || released.has(event.step.id)) {
        emit(event);
        return;
      }
      const stage = numbered[1] ?? "";
      const index = Number(numbered[2]);
      if (index < (next.get(stage) ?? 1)) {
        emit(event);
        return;
      }
      const waiting = held.get(stage) ?? new Map<number, ProgressEvent[]>();
      held.set(stage, waiting);
      waiting.set(index, [...(waiting.get(index) ?? []), event]);
      release(stage);
    },
    flush() {
      for (const waiting of held.values()) {
        for (const index of [...waiting.keys()].sort((a, b) => a - b)) {
          for (const event of waiting.get(index) ?? []) emit(event);
        }
        waiting.clear();
      }
    },
  };
}
