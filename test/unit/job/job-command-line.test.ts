import { describe, expect, it } from "vitest";
import { imageCheck } from "../../../src/job/check/job-checks.js";
import { jobCommandLine } from "../../../src/job/job-command-line.js";
import { inputFor, SMALL_JOB } from "./render/job-fixtures.test-support.js";

describe("the user's own job command in a fix", () => {
  it("keeps the target, the flavor, the spec and a workspace that is not the spec's folder", () => {
    const input = { target: "kubernetes" as const, flavor: "pytorchjob" as const, workspace: "/p" };
    expect(jobCommandLine("check", input, "/p/mn.yaml")).toBe(
      "torchstack job check --target kubernetes --flavor pytorchjob -f /p/mn.yaml",
    );
    expect(jobCommandLine("run", { ...input, workspace: "/data/my ws" }, "/p/mn.yaml", ["--no-check"])).toBe(
      "torchstack job run --target kubernetes --flavor pytorchjob -f /p/mn.yaml --workspace '/data/my ws' --no-check",
    );
  });

  it("job check's push fix says how to check again with the user's flavor and spec", () => {
    const input = inputFor(SMALL_JOB, { flavor: "jobset", workspace: "/p" });
    const check = imageCheck(input, { scriptExists: true, imageLocal: true, specFile: "/p/mn.yaml" });
    expect(check.fix?.[1]).toBe(
      "then: torchstack job check --target kubernetes --flavor jobset -f /p/mn.yaml",
    );
  });
});
