/**
 * Live `top`: redraws the view every tick. On a TTY it switches to the alternate
 * screen, hides the cursor, reads keys raw and leaves on q, Esc or Ctrl-C,
 * restoring the terminal on every exit path. Elsewhere (a pipe, a log) it prints
 * one plain frame per tick until the signal aborts.
 */
import type { Readable, Writable } from "node:stream";
import { computeHints } from "./hints.js";
import type { Monitor } from "./monitor.js";
import { renderTop } from "./render-top.js";

export interface LiveTopOptions {
  monitor: Monitor;
  stdout: Writable & { isTTY?: boolean; columns?: number; rows?: number };
  stdin?: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  signal: AbortSignal;
  color: boolean;
  width: number;
  describeGpu?: (name: string) => string | undefined;
}

const ENTER = "\u001b[?1049h\u001b[?25l";
const LEAVE = "\u001b[?25h\u001b[?1049l";
const HOME = "\u001b[H\u001b[2J";

export async function runLiveTop(options: LiveTopOptions): Promise<void> {
  const { monitor, stdout } = options;
  const tty = stdout.isTTY === true;
  const frame = () => {
    const snapshot = monitor.latest();
    if (!snapshot) return "";
    const view = {
      snapshot,
      hints: computeHints(snapshot, monitor.history),
      history: monitor.history,
      width: tty && stdout.columns ? stdout.columns : options.width,
      color: options.color,
      ...(options.describeGpu ? { describeGpu: options.describeGpu } : {}),
    };
    const full = renderTop(view);
    // a terminal too short for one block per GPU gets one line per GPU instead
    const rows = tty ? stdout.rows : undefined;
    return rows && full.split("\n").length > rows ? renderTop({ ...view, compact: true }) : full;
  };
  const done = new AbortController();
  const stop = () => done.abort();
  options.signal.addEventListener("abort", stop, { once: true });
  const stdin = options.stdin;
  const keys = (data: Buffer) => {
    const key = data.toString("utf8");
    if (key === "q" || key === "Q" || key === "\u0003" || key === "\u001b") stop();
  };
  const first = await monitor.start();
  if (first.message || done.signal.aborted) {
    stdout.write(frame());
    monitor.stop();
    options.signal.removeEventListener("abort", stop);
    return;
  }
  if (tty) {
    stdout.write(ENTER);
    if (stdin?.isTTY && stdin.setRawMode) {
      stdin.setRawMode(true);
      stdin.on("data", keys);
      stdin.resume();
    }
  }
  try {
    stdout.write(tty ? HOME + frame() : frame());
    const unsubscribe = monitor.subscribe(() => {
      stdout.write(tty ? HOME + frame() : `\n${frame()}`);
    });
    if (!done.signal.aborted) await new Promise((resolve) => done.signal.addEventListener("abort", resolve));
    unsubscribe();
  } finally {
    monitor.stop();
    options.signal.removeEventListener("abort", stop);
    if (tty) {
      if (stdin?.isTTY && stdin.setRawMode) {
        stdin.off("data", keys);
        stdin.setRawMode(false);
        stdin.pause();
      }
      stdout.write(LEAVE);
    }
  }
}
