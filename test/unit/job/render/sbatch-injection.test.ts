/**
 * The rendered sbatch script runs what the job block says and nothing more: a
 * newline or an option in slurm.partition/account is refused at the schema, and
 * a `$(…)` in slurm.bundle or in the workspace path stays a literal path when
 * the script really runs (bash, with stand-in scontrol and srun that record
 * their arguments), while torchstack's own $MASTER_ADDR and $SLURM_JOB_ID still
 * expand.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { renderJob } from "../../../../src/job/render/render-job.js";
import { shellOwnWord } from "../../../../src/job/render/shell-quote.js";
import { jobSlurmSchema } from "../../../../src/spec/job-schema.js";
import { inputFor, SMALL_JOB } from "./job-fixtures.test-support.js";

describe("slurm settings at the schema", () => {
  it("refuses a newline or an option in partition/account and shell syntax in bundle", () => {
    for (const bad of [
      { partition: "gpu\ntouch /tmp/PWNED-by-partition" },
      { account: "acct --wrap=x" },
      { account: "acct\n#SBATCH --uid=0" },
      { bundle: "/shared/bundles/$(touch /tmp/PWNED-by-bundle)" },
      { bundle: "/shared/`id`" },
      { bundle: "/shared/a\nb" },
    ]) {
      expect(jobSlurmSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(
      jobSlurmSchema.safeParse({
        partition: "gpu,debug",
        account: "ml-team_1.a",
        bundle: "/shared/bundles/x y",
      }).success,
    ).toBe(true);
  });
});

describe("shellOwnWord", () => {
  it("expands only torchstack's own variables", () => {
    expect(shellOwnWord("--master_addr=$MASTER_ADDR")).toBe('"--master_addr=$MASTER_ADDR"');
    expect(shellOwnWord("/a/$(id)/$SLURM_JOB_ID")).toBe(`'/a/$(id)/'"\${SLURM_JOB_ID}"`);
    expect(shellOwnWord("$HOME/x")).toBe("'$HOME/x'");
  });
});

describe("the rendered script, run", () => {
  it("keeps $(…) in the bundle and workspace paths literal", () => {
    const root = mkdtempSync(join(tmpdir(), "ts-sbatch-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const pwned = join(root, "PWNED");
    const workspace = join(root, `ws-$(touch ${pwned}-by-workspace)`);
    const bundle = join(root, `bundles-$(touch ${pwned}-by-bundle)`);
    mkdirSync(workspace, { recursive: true });
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, "config.json"), "{}");
    const bin = join(root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "scontrol"), "#!/bin/sh\necho node1\n", { mode: 0o755 });
    writeFileSync(join(bin, "srun"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(root, "srun-args")}'\n`, {
      mode: 0o755,
    });
    const job = { ...SMALL_JOB, slurm: { container: "oci" as const, bundle } };
    const script = renderJob(inputFor(job, { target: "slurm", workspace })).files[0]?.content ?? "";
    const ran = spawnSync("bash", ["-c", script], {
      cwd: root,
      env: { PATH: `${bin}:/usr/bin:/bin`, SLURM_JOB_ID: "42", SLURM_JOB_NODELIST: "node1" },
      encoding: "utf8",
    });
    expect(ran.stderr).not.toContain("no OCI bundle");
    expect(ran.status).toBe(0);
    expect(existsSync(`${pwned}-by-bundle`)).toBe(false);
    expect(existsSync(`${pwned}-by-workspace`)).toBe(false);
    const args = readFileSync(join(root, "srun-args"), "utf8").split("\n");
    expect(args).toContain(`--container=${bundle}`);
    expect(args).toContain("--master_addr=node1");
  });
});
