import { describe, expect, it } from "vitest";
import { runProcess } from "../../../src/process/run-process.js";

describe("runProcess", () => {
  it("runs a real command with an argument array and collects its output", async () => {
    const result = await runProcess("sh", ["-c", 'printf "%s" "$1"', "sh", "a b; c"]);
    expect(result).toMatchObject({ exitCode: 0, stdout: "a b; c", timedOut: false });
  });

  it("says a command is missing", async () => {
    await expect(runProcess("no-such-command-torchstack", [])).rejects.toMatchObject({
      code: "E_COMMAND_NOT_FOUND",
      message: "no-such-command-torchstack was not found on PATH",
    });
  });

  it("says a folder cannot be run, instead of a bare EACCES", async () => {
    await expect(runProcess("/tmp", [])).rejects.toMatchObject({
      code: "E_PROCESS_FAILED",
      message: "/tmp cannot be run: it is a folder or not executable",
    });
  });
});

describe("runProcess: cancel, timeout and bounded output", () => {
  it("Ctrl-C (an abort) is reported as cancelled, not as 'could not be started'", async () => {
    const controller = new AbortController();
    const run = runProcess("sleep", ["30"], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await run.catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "E_PROCESS_CANCELLED",
      message: "`sleep 30` was cancelled (Ctrl-C or SIGTERM)",
      signal: "SIGTERM",
      details: { cancelled: true },
    });
  });

  it("sends SIGTERM first and SIGKILL only after the grace period", async () => {
    const controller = new AbortController();
    const started = Date.now();
    // ignores SIGTERM: only the SIGKILL after the grace period ends it
    const run = runProcess("sh", ["-c", "trap '' TERM; echo ready; sleep 30"], {
      signal: controller.signal,
      graceMs: 300,
      onStdout: () => controller.abort(),
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "E_PROCESS_CANCELLED", signal: "SIGKILL" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("a child that cleans up on SIGTERM exits by itself within the grace period", async () => {
    const result = await runProcess(
      "sh",
      ["-c", "trap 'echo cleaned; exit 3' TERM; while :; do sleep 0.05; done"],
      {
        timeoutMs: 200,
        graceMs: 10_000,
        reject: false,
      },
    );
    expect(result).toMatchObject({ timedOut: true, exitCode: 3 });
    expect(result.stdout).toContain("cleaned");
  });

  it("keeps a capped tail of stderr and caps stdout", async () => {
    const result = await runProcess(
      "sh",
      ["-c", "i=0; while [ $i -lt 2000 ]; do echo err-line-$i >&2; echo out-line-$i; i=$((i+1)); done"],
      { maxStderrBytes: 100, maxStdoutBytes: 50 },
    );
    expect(result.stderr.length).toBeLessThanOrEqual(100);
    expect(result.stderr.trim().endsWith("err-line-1999")).toBe(true);
    expect(result.stdout.length).toBe(50);
    expect(result.stdoutTruncated).toBe(true);
  });

  it("a failure keeps command, exit code and the last stderr line", async () => {
    const error = await runProcess("sh", ["-c", "echo boom >&2; exit 7"]).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "E_PROCESS_FAILED",
      command: ["sh", "-c", "echo boom >&2; exit 7"],
      processExitCode: 7,
      stderr: "boom\n",
      message: "`sh -c echo boom >&2; exit 7` exited with 7: boom",
    });
  });
});
