import { describe, expect, it } from "vitest";
import { runProcess } from "./run-process.js";

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
