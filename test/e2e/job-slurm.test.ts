/**
 * Real Slurm jobs on the two-node test cluster (`npm run slurm:setup`): the
 * rendered sbatch script, submitted by `job run`, runs 2 nodes × 2 gloo ranks
 * with host Python; COMPLETED with every rank's lines in `job logs`; an
 * injected rank failure is FAILED and `job diagnose` names that rank and node;
 * `job cancel` ends CANCELLED with no rank left in either node's namespace;
 * job run's checks refuse before anything queues, and a submission sbatch
 * refuses is recorded FAILED (SubmitFailed), not a PENDING that never ends.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCliInMemory } from "../support/run-cli-in-memory.js";

const SLURM_BIN = process.env.TORCHSTACK_SLURM_DIR
  ? join(process.env.TORCHSTACK_SLURM_DIR, "bin")
  : "/var/lib/torchstack-slurm/bin";
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "jobs-run");
/**
 * The test cluster's GPUs are gres entries for the scheduler only, and the CPU image asks for 2 per node on
 * purpose (to exercise --gpus-per-node on a real controller): job check calls that a FAIL, so these runs skip it.
 */
const SLURM_RUN = ["--target", "slurm", "--no-check"];

function clusterUp(): string | null {
  if (process.env.TORCHSTACK_E2E !== "1") return "TORCHSTACK_E2E is not 1";
  const sinfo = spawnSync(join(SLURM_BIN, "sinfo"), ["-h", "-N", "-o", "%t"], { encoding: "utf8" });
  if (sinfo.status !== 0) return `no test cluster answers (${SLURM_BIN}/sinfo): run npm run slurm:setup`;
  if (
    sinfo.stdout
      .trim()
      .split("\n")
      .filter((s) => /idle|mix|alloc/.test(s)).length < 2
  )
    return "the test cluster has fewer than 2 usable nodes";
  return null;
}

const skip = clusterUp();
if (skip) console.warn(`job-slurm e2e skipped: ${skip}`);

function spec(name: string, env: Record<string, string>, extra: string[] = []): string {
  const lines = [
    `name: ${name}`,
    "base: image:torchstack-local/debian:12",
    "torchSource: distro",
    "cuda: cpu",
    'python: "3.11"',
    "flavor: runtime",
    "user: {name: dev}",
    "run: {gpus: none}",
    "job:",
    "  command: [python3, train.py]",
    "  nodes: 2",
    "  procsPerNode: 2",
    "  gpusPerNode: 2",
    "  port: 29611",
    `  env: ${JSON.stringify(env)}`,
    "  slurm: {container: none}",
    ...extra,
  ];
  return `${lines.join("\n")}\n`;
}

describe.skipIf(skip !== null)("job run --target slurm on a real two-node cluster", () => {
  const workspace = mkdtempSync(join(tmpdir(), "ts-job-slurm-"));
  const env: NodeJS.ProcessEnv = {
    PATH: `/usr/bin:/bin:/usr/sbin:/sbin`,
    HOME: workspace,
    TORCHSTACK_STATE_DIR: join(workspace, ".state"),
    TORCHSTACK_SLURM_BIN: SLURM_BIN,
    TORCHSTACK_DEBUG: process.env.TORCHSTACK_DEBUG,
  };
  const cli = (args: string[]) => runCliInMemory(args, { cwd: workspace, env });
  const json = (out: string) => JSON.parse(out) as Record<string, unknown>;

  beforeAll(async () => {
    copyFileSync(join(FIXTURES, "train.py"), join(workspace, "train.py"));
    for (const [file, jobEnv] of [
      ["ok.yaml", {}],
      ["fail.yaml", { FAIL_RANK: "3" }],
      ["sleep.yaml", { SLEEP_S: "300" }],
    ] as const) {
      writeFileSync(join(workspace, file), spec(file.replace(".yaml", "-job"), jobEnv));
      const locked = await cli(["lock", "-f", file, "--json"]);
      expect(locked.code, locked.stderr).toBe(0);
    }
  });

  it("completes 2 nodes × 2 ranks and shows every rank's output in job logs", async () => {
    const run = await cli(["job", "run", ...SLURM_RUN, "-f", "ok.yaml", "--wait", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const result = json(run.stdout);
    expect(result).toMatchObject({ ok: true, target: "slurm", state: "COMPLETED" });
    const logs = await cli(["job", "logs", String(result.id)]);
    expect(logs.code, logs.stderr).toBe(0);
    for (const rank of [0, 1, 2, 3])
      expect(logs.stdout).toContain(`[rank ${rank}] rank ${rank}: all_reduce sum 6`);
    expect(logs.stdout).toMatch(/\[rank [23]\] rank [23] of 4 on ts-slurm-n2 up/);
    const only = await cli(["job", "logs", String(result.id), "--rank", "2", "--json"]);
    const lines = json(only.stdout).lines as { rank: number }[];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.rank === 2)).toBe(true);
    const status = await cli(["job", "status", String(result.id), "--json"]);
    expect(json(status.stdout)).toMatchObject({ state: "COMPLETED", exitCode: 0 });
  });

  it("fails on an injected rank failure and job diagnose names that rank", async () => {
    const run = await cli(["job", "run", ...SLURM_RUN, "-f", "fail.yaml", "--wait", "--json"]);
    expect(run.code).toBe(1);
    const failed = JSON.parse(run.stdout) as { ok: boolean; id: string; state: string };
    expect(failed).toMatchObject({ ok: true, state: "FAILED" }); // the JSON keeps its shape; the exit code says it failed
    const id = failed.id;
    expect(id, run.stderr).not.toBe("");
    const status = await cli(["job", "status", id, "--json"]);
    expect(json(status.stdout)).toMatchObject({ state: "FAILED" });
    const diagnosis = await cli(["job", "diagnose", id, "--json"]);
    expect(diagnosis.code, diagnosis.stderr).toBe(0);
    const root = json(diagnosis.stdout).rootCause as Record<string, unknown>;
    expect(root).toMatchObject({ rank: 3, node: "ts-slurm-n2", exitCode: 1 });
    expect(String(root.evidence)).toContain("injected failure on rank 3");
  });

  it("without --no-check the checks refuse GPUs for this CPU-only lock before anything queues", async () => {
    const jobs = join(env.TORCHSTACK_STATE_DIR ?? "", "jobs");
    const jobCount = () => (existsSync(jobs) ? readdirSync(jobs).length : 0);
    const before = jobCount();
    const run = await cli(["job", "run", "--target", "slurm", "-f", "ok.yaml", "--json"]);
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error as { code: string; message: string; remedies: string[] };
    expect(error.code).toBe("E_JOB_RESOURCES");
    expect(error.message).toContain("the lock's build is torch");
    expect(error.remedies.at(-1)).toContain("--no-check");
    expect(jobCount(), "no record: nothing was submitted").toBe(before);
  });

  it("a submission sbatch refuses is recorded FAILED (SubmitFailed) with the controller's words, not PENDING", async () => {
    writeFileSync(
      join(workspace, "nopart.yaml"),
      spec("nopart-job", {}).replace(
        "slurm: {container: none}",
        "slurm: {container: none, partition: no-such-part}",
      ),
    );
    expect((await cli(["lock", "-f", "nopart.yaml"])).code).toBe(0);
    const run = await cli(["job", "run", ...SLURM_RUN, "-f", "nopart.yaml", "--json"]);
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout).error as { code: string; message: string };
    expect(error.code).toBe("E_JOB_SUBMIT_FAILED");
    const list = JSON.parse((await cli(["job", "list", "--json"])).stdout) as {
      jobs: { id: string; state: string; reason: string }[];
    };
    const record = list.jobs.find((job) => job.id.startsWith("nopart-job-"));
    expect(record?.state).toBe("FAILED");
    expect(record?.reason).toMatch(/^SubmitFailed: sbatch refused the job: .*partition/i);
    const cancel = await cli(["job", "cancel", String(record?.id), "--json"]);
    expect(JSON.parse(cancel.stdout)).toMatchObject({ state: "FAILED" });
  });

  it("cancels a running job: CANCELLED and nothing left on either node", async () => {
    const run = await cli(["job", "run", ...SLURM_RUN, "-f", "sleep.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const id = String(json(run.stdout).id);
    for (let i = 0; i < 60; i += 1) {
      const logs = readFileSync(join(env.TORCHSTACK_STATE_DIR ?? "", "jobs", id, "output.log"), {
        encoding: "utf8",
        flag: "a+",
      });
      if ((logs.match(/ up$/gm) ?? []).length >= 4) break;
      await new Promise((done) => setTimeout(done, 500));
    }
    const cancel = await cli(["job", "cancel", id, "--json"]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(json(cancel.stdout)).toMatchObject({ state: "CANCELLED" });
    for (let i = 0; i < 20; i += 1) {
      const left = ["ts-slurm-n1", "ts-slurm-n2"].flatMap((ns) => {
        const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" })
          .stdout.trim()
          .split("\n")
          .filter(Boolean);
        return pids.filter((pid) =>
          /train\.py|torch\.distributed\.run/.test(
            readFileSync(`/proc/${pid}/cmdline`, { encoding: "utf8", flag: "r" }).replace(/\0/g, " "),
          ),
        );
      });
      if (left.length === 0) return;
      await new Promise((done) => setTimeout(done, 500));
    }
    throw new Error("ranks still running after job cancel");
  });
});

/** Processes of the job's ranks and agents in a node's network namespace. */
function jobPids(ns: string): string[] {
  const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8" })
    .stdout.trim()
    .split("\n")
    .filter(Boolean);
  return pids.filter((pid) => {
    try {
      return /train\.py|torch\.distributed\.run/.test(
        readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "),
      );
    } catch {
      return false;
    }
  });
}

/** One torchrun agent in a node's namespace with the given hostname, its output labelled "NODE: " like srun's. */
function agent(
  ns: string,
  hostname: string,
  node: number,
  args: string[],
  cwd: string,
  out: string[],
): Promise<number> {
  const hosts = join(SLURM_BIN, "..", "etc", "hosts");
  const script = 'hostname "$0"; mount --bind "$1" /etc/hosts; shift; exec "$@"';
  const child = spawn(
    "nsenter",
    [
      `--net=/run/netns/${ns}`,
      "unshare",
      "--uts",
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      script,
      hostname,
      hosts,
      "timeout",
      "--kill-after=3",
      "40",
      "/usr/bin/python3",
      "-m",
      "torch.distributed.run",
      ...args,
      "train.py",
    ],
    { cwd, env: { PATH: "/usr/bin:/bin:/usr/sbin:/sbin", LOGLEVEL: "INFO", PYTHONUNBUFFERED: "1" } },
  );
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.split("\n").filter(Boolean)) out.push(`${node}: ${line}`);
    });
  // On exit, not on close: a rank stuck in gloo's connect retries may hold the pipes after its agent died.
  return new Promise((done) =>
    child.on("exit", (code) => {
      for (const pid of jobPids(ns)) spawnSync("kill", ["-9", pid]);
      setTimeout(() => done(code ?? 1), 500);
    }),
  );
}

describe.skipIf(skip !== null)("failure drills on the test cluster's nodes", () => {
  const workspace = mkdtempSync(join(tmpdir(), "ts-job-drill-"));
  const env: NodeJS.ProcessEnv = {
    PATH: "/usr/bin:/bin:/usr/sbin:/sbin",
    HOME: workspace,
    TORCHSTACK_STATE_DIR: join(workspace, ".state"),
    TORCHSTACK_SLURM_BIN: SLURM_BIN,
  };
  const cli = (args: string[]) => runCliInMemory(args, { cwd: workspace, env });
  beforeAll(() => copyFileSync(join(FIXTURES, "train.py"), join(workspace, "train.py")));

  it("a killed node (with restarts) ends FAILED and job diagnose names that node", async () => {
    writeFileSync(
      join(workspace, "restarts.yaml"),
      spec("restarts-job", { SLEEP_S: "300" }, ["  restarts: 1"]),
    );
    expect((await cli(["lock", "-f", "restarts.yaml"])).code).toBe(0);
    const run = await cli(["job", "run", ...SLURM_RUN, "-f", "restarts.yaml", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const id = String((JSON.parse(run.stdout) as { id: string }).id);
    const output = join(workspace, ".state", "jobs", id, "output.log");
    for (let i = 0; i < 60 && jobPids("ts-slurm-n2").length < 3; i += 1)
      await new Promise((d) => setTimeout(d, 500));
    await new Promise((d) => setTimeout(d, 1000));
    for (const pid of jobPids("ts-slurm-n2")) spawnSync("kill", ["-9", pid]);
    let state = "";
    for (let i = 0; i < 60 && !/COMPLETED|FAILED|CANCELLED/.test(state); i += 1) {
      await new Promise((d) => setTimeout(d, 1000));
      state = String(
        (JSON.parse((await cli(["job", "status", id, "--json"])).stdout) as { state: string }).state,
      );
    }
    expect(state, readFileSync(output, "utf8").slice(-2000)).toBe("FAILED");
    const diagnosis = JSON.parse((await cli(["job", "diagnose", id, "--json"])).stdout) as {
      rootCause: { rank: number | null; node: string; evidence: string };
      findings: { code: string }[];
    };
    expect(diagnosis.rootCause).toMatchObject({ rank: null, node: "ts-slurm-n2" });
    expect(diagnosis.rootCause.evidence).toMatch(/Killed/);
    expect(diagnosis.findings.map((f) => f.code)).toContain("E_JOB_NODE_FAILED");
    expect(jobPids("ts-slurm-n1")).toEqual([]);
  });

  it("a missing node: the rendezvous times out and job diagnose names E_RENDEZVOUS_TIMEOUT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-drill-missing-"));
    const out: string[] = [];
    const args = [
      "--nnodes=2",
      "--nproc_per_node=1",
      "--rdzv_backend=c10d",
      "--rdzv_endpoint=ts-slurm-n1:29671",
      "--rdzv_id=drill",
      "--rdzv_conf=join_timeout=10",
      "--redirects",
      "2",
      "--tee",
      "1",
    ];
    const code = await agent("ts-slurm-n1", "ts-slurm-n1", 0, args, workspace, out);
    expect(code).not.toBe(0);
    writeFileSync(join(dir, "output.log"), `${out.join("\n")}\n`);
    const diagnosis = await cli(["job", "diagnose", dir, "--json"]);
    expect(diagnosis.code, diagnosis.stderr).toBe(0);
    const result = JSON.parse(diagnosis.stdout) as {
      rootCause: { node: string; evidence: string };
      findings: { code: string }[];
    };
    expect(result.findings.map((f) => f.code)).toContain("E_RENDEZVOUS_TIMEOUT");
    expect(result.rootCause.evidence).toMatch(/RendezvousTimeoutError/);
  });

  it("an unresolvable hostname: gloo falls back to loopback and job diagnose names E_HOSTNAME_LOOPBACK", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-drill-hostname-"));
    const out: string[] = [];
    const common = [
      "--nnodes=2",
      "--nproc_per_node=2",
      "--master_addr=ts-slurm-n2",
      "--master_port=29672",
      "--log_dir",
      join(dir, "ranks"),
      "--redirects",
      "2",
      "--tee",
      "1",
    ];
    const codes = await Promise.all([
      // Neither node can resolve its own name: every rank advertises 127.0.0.1 to the other node's ranks.
      agent("ts-slurm-n2", "ghost-a", 0, [...common, "--node_rank=0"], workspace, out),
      agent("ts-slurm-n1", "ghost-b", 1, [...common, "--node_rank=1"], workspace, out),
    ]);
    expect(codes.some((c) => c !== 0)).toBe(true);
    writeFileSync(join(dir, "output.log"), `${out.join("\n")}\n`);
    const diagnosis = await cli(["job", "diagnose", dir, "--json"]);
    const result = JSON.parse(diagnosis.stdout) as { findings: { code: string; rank: number | null }[] };
    expect(result.findings.map((f) => f.code)).toContain("E_HOSTNAME_LOOPBACK");
  });
});
