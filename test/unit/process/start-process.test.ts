/**
 * The streaming mode of the process runner against real child processes (sh, sleep, cat): chunks and lines,
 * the exit as a promise, SIGTERM then SIGKILL, process groups, abort, timeout and start errors.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { exitError } from "../../../src/process/process-errors.js";
import { startProcess } from "../../../src/process/start-process.js";

const isRoot = process.geteuid?.() === 0;
/** /proc/PID/stat, or "" once the process is gone. */
function readStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return "";
  }
}
/** Running, not a zombie waiting for its parent. */
const alive = (pid: number) => /\) [^Z] /.test(readStat(pid));

describe("startProcess: a real child process as streams", () => {
  it("delivers output as chunks and as whole lines, a last line without a newline included, before it exits", async () => {
    const chunks: string[] = [];
    const lines: string[] = [];
    const errLines: string[] = [];
    const started = startProcess(
      "sh",
      ["-c", "printf 'a\\nb'; sleep 0.1; printf 'c\\nlast'; echo oops >&2"],
      {
        onStdout: (chunk) => chunks.push(chunk),
        onStdoutLine: (line) => lines.push(line),
        onStderrLine: (line) => errLines.push(line),
      },
    );
    expect(started.pid).toBeGreaterThan(0);
    const exit = await started.exited;
    expect(chunks.join("")).toBe("a\nbc\nlast");
    expect(lines).toEqual(["a", "bc", "last"]);
    expect(errLines).toEqual(["oops"]);
    expect(exit).toMatchObject({
      exitCode: 0,
      signal: null,
      stderr: "oops\n",
      timedOut: false,
      cancelled: false,
    });
  });

  it("passes env and cwd, and a non-zero exit resolves; exitError words it as runProcess does", async () => {
    let out = "";
    const exit = await startProcess("sh", ["-c", 'echo "$GREETING $(pwd)"; echo boom >&2; exit 7'], {
      env: { PATH: process.env.PATH, GREETING: "hello" },
      cwd: tmpdir(),
      onStdout: (chunk) => {
        out += chunk;
      },
    }).exited;
    expect(out).toBe(`hello ${tmpdir()}\n`);
    expect(exit.exitCode).toBe(7);
    expect(exitError(exit)).toMatchObject({
      code: "E_PROCESS_FAILED",
      processExitCode: 7,
      message: '`sh -c echo "$GREETING $(pwd)"; echo boom >&2; exit 7` exited with 7: boom',
    });
  });

  it("kill() sends SIGTERM, then SIGKILL once the grace period is over", async () => {
    const started = Date.now();
    const child = startProcess("sh", ["-c", "trap '' TERM; echo ready; sleep 30"], {
      graceMs: 300,
      onStdout: () => child.kill(),
    });
    const exit = await child.exited;
    expect(exit.signal).toBe("SIGKILL");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("a child that ends on SIGTERM is not sent SIGKILL", async () => {
    const child = startProcess(
      "sh",
      ["-c", "trap 'echo bye; exit 3' TERM; echo ready; while :; do sleep 0.05; done"],
      {
        graceMs: 10_000,
        onStdoutLine: (line) => {
          if (line === "ready") child.kill();
        },
      },
    );
    expect(await child.exited).toMatchObject({ exitCode: 3, signal: null });
  });

  it("detached (the default): its own process group, and kill() reaches the programs it started", async () => {
    let grandchild = 0;
    let group = "";
    const child = startProcess("sh", ["-c", "cut -d' ' -f5 /proc/$$/stat; sleep 30 & echo $!; wait"], {
      onStdoutLine: (line) => {
        if (!group) group = line;
        else {
          grandchild = Number(line);
          child.kill();
        }
      },
    });
    await child.exited;
    expect(group).toBe(String(child.pid));
    for (let i = 0; i < 40 && alive(grandchild); i += 1) await new Promise((done) => setTimeout(done, 50));
    expect(alive(grandchild)).toBe(false);
  });

  it("detached: false stays in the caller's process group", async () => {
    let group = "";
    const child = startProcess("sh", ["-c", "cut -d' ' -f5 /proc/$$/stat"], {
      detached: false,
      onStdoutLine: (line) => {
        group = line;
      },
    });
    await child.exited;
    expect(group).not.toBe(String(child.pid));
    expect(group).toBe(readStat(process.pid).split(" ")[4]);
  });

  it("an abort kills it and its exit says cancelled; a timeout says timedOut", async () => {
    const controller = new AbortController();
    const aborted = startProcess("sleep", ["30"], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const exit = await aborted.exited;
    expect(exit).toMatchObject({ cancelled: true, signal: "SIGTERM" });
    expect(exitError(exit)).toMatchObject({
      code: "E_PROCESS_CANCELLED",
      message: "`sleep 30` was cancelled (Ctrl-C or SIGTERM)",
    });
    const late = await startProcess("sleep", ["30"], { timeoutMs: 50 }).exited;
    expect(late).toMatchObject({ timedOut: true, cancelled: false, signal: "SIGTERM" });
  });

  it("an abort before the start starts nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const child = startProcess("sleep", ["30"], { signal: controller.signal });
    expect(child.pid).toBeUndefined();
    await expect(child.exited).rejects.toMatchObject({
      code: "E_PROCESS_CANCELLED",
      message: "`sleep 30` was cancelled before it started",
    });
  });

  it("a program that cannot start rejects `exited` with runProcess's errors", async () => {
    await expect(startProcess("no-such-command-torchstack", []).exited).rejects.toMatchObject({
      code: "E_COMMAND_NOT_FOUND",
      message: "no-such-command-torchstack was not found on PATH",
    });
    await expect(startProcess("/tmp", []).exited).rejects.toMatchObject({
      code: "E_PROCESS_FAILED",
      message: "/tmp cannot be run: it is a folder or not executable",
    });
  });

  it('output: "ignore" discards both streams; input reaches stdin', async () => {
    const heard: string[] = [];
    const ignored = await startProcess("sh", ["-c", "echo out; echo err >&2"], {
      output: "ignore",
      onStdout: (chunk) => heard.push(chunk),
    }).exited;
    expect(ignored).toMatchObject({ exitCode: 0, stderr: "" });
    expect(heard).toEqual([]);
    let echoed = "";
    await startProcess("cat", [], {
      input: "fed through stdin",
      onStdout: (chunk) => {
        echoed += chunk;
      },
    }).exited;
    expect(echoed).toBe("fed through stdin");
  });

  it.skipIf(!isRoot)("runs as the given uid and gid", async () => {
    let ids = "";
    await startProcess("sh", ["-c", 'echo "$(id -u):$(id -g)"'], {
      uid: 65534,
      gid: 65534,
      cwd: "/",
      onStdout: (chunk) => {
        ids += chunk;
      },
    }).exited;
    expect(ids.trim()).toBe("65534:65534");
  });
});
