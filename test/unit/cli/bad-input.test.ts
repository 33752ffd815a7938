// Bad input, command by command: each row is an argv that a careless or curious user
// might type, with the exit code it must get (2 usage, 1 failed operation), the error
// code and a fragment of the message. Only rows that fail before any engine, network
// or Python is needed, so the table runs anywhere. Every row also runs with --json and
// must print exactly one JSON document {"ok":false,"error":{code,message,remedies}}.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBundle, ROOT } from "../../e2e/cli-process.js";
import { runCliInMemory } from "../../support/run-cli-in-memory.js";

interface Row {
  argv: string[];
  code: 1 | 2;
  error: string;
  message: string;
}

let dir = "";
const path = (name: string) => join(dir, name);

const usage = (argv: string[], message: string): Row => ({ argv, code: 2, error: "E_USAGE", message });

function rows(): Row[] {
  return [
    usage(["nosuchcommand"], 'unknown command "nosuchcommand"'),
    // unknown flags and extra positionals, on every command
    ...[
      "init",
      "resolve",
      "lock",
      "render",
      "build",
      "up",
      "exec",
      "logs",
      "ps",
      "urls",
      "down",
      "gc",
      "doctor",
      "verify",
      "bench",
      "diagnose",
      "top",
      "dashboard",
    ].map((command) => usage([command, "--no-such-flag"], "Unknown option '--no-such-flag'")),
    ...["init", "resolve", "lock", "render", "build", "ps", "gc", "doctor", "verify", "top", "dashboard"].map(
      (command) => usage([command, "extra-arg"], 'unexpected argument "extra-arg"'),
    ),
    usage(["up", "one", "two"], 'unexpected argument "two"'),
    usage(["diagnose", "a.log", "b.log"], 'unexpected argument "b.log"'),
    usage(["bench", "stray"], "bench takes no arguments"),
    usage(["bench", "--compare", "only-one.json"], "exactly two files"),
    // missing positionals
    ...["down", "urls", "logs", "exec"].map((command) => usage([command], "missing argument NAME")),
    usage(["exec", "h8-env"], "exec needs a command after --"),
    // environment names that cannot exist (checked before any engine or file is touched)
    usage(["down", "Bad Name"], 'NAME "Bad Name" is not an environment name'),
    usage(["urls", "../../etc/passwd"], "is not an environment name"),
    usage(["logs", "a/b"], "is not an environment name"),
    usage(["exec", "Upper", "--", "ls"], "is not an environment name"),
    usage(["up", "--shm-size", "0"], "--shm-size must be more than zero"),
    usage(["up", "UPPER"], 'NAME "UPPER" is not an environment name'),
    usage(["up", ""], 'NAME "" is not an environment name'),
    usage(["doctor", "--in", "../x"], '--in "../x" is not an environment name'),
    usage(["verify", "--in", "a b"], "is not an environment name"),
    usage(["bench", "--in", "a;b"], "is not an environment name"),
    usage(["diagnose", "-", "--in", "A"], "is not an environment name"),
    // malformed values
    usage(["resolve", "--no-host", "--torch", "abc"], "--torch must be a torch version"),
    usage(["resolve", "--no-host", "--torch", ""], "--torch needs a value, got an empty string"),
    usage(["resolve", "--no-host", "--cuda", "99"], "--cuda must be auto, cpu or a CUDA version"),
    usage(["resolve", "--no-host", "--python", "2.7"], "--python must be a Python version"),
    usage(["resolve", "--no-host", "--driver", "xyz"], "--driver must be a driver version"),
    usage(["resolve", "--no-host", "--gpu", "sm_x"], "--gpu must be"),
    usage(["resolve", "--no-host", "--flavor", "bad"], "--flavor must be runtime, toolchain or devel"),
    usage(["resolve", "--no-host", "--torch-source", "pip"], "--torch-source must be wheels or distro"),
    usage(["init", "--no-host", "--preset", "nope"], 'unknown preset "nope"'),
    usage(["init", "--no-host", "--name", "Bad Name"], '--name "Bad Name" must be lower-case'),
    usage(["init", "--no-host", "-o", "."], "is a folder, not a file"),
    usage(
      ["init", "--no-host", "-o", "missing-dir/torchstack.yaml"],
      "does not exist; create it with mkdir -p",
    ),
    usage(["render"], "--output is required"),
    usage(["render", "-o", ""], "--output needs a value, got an empty string"),
    usage(["build", "--network", "bogusnet"], "--network must be default, host or none"),
    usage(["build", "--push", "bad reg!!"], "is not a registry address"),
    usage(["up", "--shm-size", "abc"], "--shm-size must be a size"),
    usage(["up", "--memory", "12q"], "--memory must be a size"),
    usage(["up", "--cpus", "0"], "--cpus must be a positive number"),
    usage(["up", "--cpus", "1e9"], "--cpus must be a positive number"),
    usage(["up", "--gpus", "banana"], '--gpus: "banana"'),
    usage(["up", "--ipc", "bogus"], "--ipc must be host, private, shareable, none or container:NAME"),
    usage(["up", "--port", "jupyter=99999"], "needs a port 1-65535"),
    usage(["up", "--port", "nosuchapp=80"], 'unknown app "nosuchapp"'),
    usage(["up", "-e", "NOEQUALS"], '--env needs KEY=VALUE, got "NOEQUALS"'),
    usage(["up", "--timeout", "0"], "--timeout must be at least 1, got 0"),
    usage(["up", "--timeout", "soon"], '--timeout must be a whole number, got "soon"'),
    usage(["logs", "h8-env", "--tail", "abc"], "--tail must be a whole number"),
    usage(["top", "--interval", "5"], "--interval must be at least 100, got 5"),
    usage(["top", "--interval", "fast"], "--interval must be a whole number"),
    usage(["dashboard", "--port", "99999"], "--port must be at most 65535, got 99999"),
    usage(["dashboard", "--host", "0.0.0.0"], "loopback only"),
    usage(["bench", "-o", "."], "is a folder, not a file"),
    usage(["bench", "-o", "missing-dir/x.json"], "does not exist"),
    usage(["doctor", "--log-format", "xml"], "--log-format must be text or json"),
    // files that do not exist, are folders, are empty, are garbage, or have a typo
    { argv: ["resolve", "-f", "nonexistent.yaml"], code: 1, error: "E_NO_SPEC", message: "file not found" },
    {
      argv: ["resolve", "-f", "a-folder"],
      code: 1,
      error: "E_NO_SPEC",
      message: "is a folder, not a spec file",
    },
    { argv: ["resolve", "-f", "empty.yaml"], code: 1, error: "E_SPEC_INVALID", message: "name" },
    { argv: ["resolve", "-f", "garbage.yaml"], code: 1, error: "E_SPEC_INVALID", message: "YAML mapping" },
    { argv: ["resolve", "-f", "bad-yaml.yaml"], code: 1, error: "E_SPEC_YAML", message: "not valid YAML" },
    { argv: ["resolve", "-f", "typo.yaml"], code: 1, error: "E_SPEC_UNKNOWN_KEY", message: "did you mean" },
    {
      argv: ["lock", "--no-host", "--offline", "-f", "typo.yaml"],
      code: 1,
      error: "E_SPEC_UNKNOWN_KEY",
      message: "did you mean",
    },
    {
      argv: ["render", "-o", "ctx", "-f", "nonexistent.yaml"],
      code: 1,
      error: "E_NO_SPEC",
      message: "file not found",
    },
    {
      argv: ["render", "-o", "ctx", "--no-host", "-f", "typo.yaml"],
      code: 1,
      error: "E_SPEC_UNKNOWN_KEY",
      message: "did you mean",
    },
    { argv: ["diagnose", "nonexistent.log"], code: 1, error: "E_LOG_UNREADABLE", message: "no such file" },
    { argv: ["diagnose", "a-folder"], code: 1, error: "E_LOG_UNREADABLE", message: "is a directory" },
    {
      argv: ["bench", "--compare", "nonexistent.json", "empty.yaml"],
      code: 1,
      error: "E_BENCH_FILE",
      message: "nonexistent.json",
    },
    {
      argv: ["bench", "--compare", "garbage.yaml", "empty.yaml"],
      code: 1,
      error: "E_BENCH_FILE",
      message: "garbage.yaml",
    },
    // writes that must not destroy what sits at the path: --force never overrides
    ...["/dev/full", "/dev/null", "link-to-dev-full"].map(
      (target): Row => ({
        argv: ["init", "--no-host", "-o", target, "--force"],
        code: 1,
        error: "E_OUTPUT_NOT_FILE",
        message: "is a device",
      }),
    ),
    { argv: ["init", "--no-host", "-o", "fifo"], code: 1, error: "E_OUTPUT_NOT_FILE", message: "is a FIFO" },
    {
      argv: ["init", "--no-host", "-o", "/proc/x.yaml", "--force"],
      code: 1,
      error: "E_WRITE_FAILED",
      message: "cannot write /proc/x.yaml",
    },
    usage(["bench", "-o", "-"], "-o takes a FILE"),
    // inputs that used to pass validation and fail later
    usage(
      ["resolve", "--no-host", "--gpu", "sm_999"],
      "no GPU has compute capability 99.9; nearest known: sm_89, sm_90",
    ),
    usage(
      ["resolve", "--no-host", "--gpu", "MI300X"],
      '"MI300X" is not an NVIDIA GPU torchstack knows (AMD GPUs',
    ),
    usage(["resolve", "--no-host", "--gpu", "H100,sm_999"], "no GPU has compute capability 99.9"),
    {
      argv: ["resolve", "--no-host", "-f", "pip-empty-version.yaml"],
      code: 1,
      error: "E_SPEC_REQUIREMENT",
      message: '"numpy==" is not a pip requirement (PEP 508)',
    },
    {
      argv: ["lock", "--no-host", "--offline", "-f", "pip-shell.yaml"],
      code: 1,
      error: "E_SPEC_REQUIREMENT",
      message: '"numpy; rm -rf /" is not a pip requirement',
    },
    {
      argv: ["resolve", "--no-host", "-f", "name-dots.yaml"],
      code: 1,
      error: "E_SPEC_INVALID",
      message: '"a..b" is not a valid image name',
    },
  ];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "torchstack-bad-input-"));
  writeFileSync(path("empty.yaml"), "");
  writeFileSync(path("garbage.yaml"), Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x7f, 0x0a, 0xfe, 0x01]));
  writeFileSync(path("bad-yaml.yaml"), "name: [\n");
  writeFileSync(path("typo.yaml"), "name: h8-typo\ntorchSorce: distro\ncuda: cpu\n");
  mkdirSync(path("a-folder"));
  symlinkSync("/dev/full", path("link-to-dev-full"));
  const distro = "torchSource: distro\ncuda: cpu\n";
  writeFileSync(
    path("pip-empty-version.yaml"),
    `name: h8-pip\n${distro}packages:\n  pip:\n    - "numpy=="\n`,
  );
  writeFileSync(
    path("pip-shell.yaml"),
    `name: h8-pip\n${distro}packages:\n  pip:\n    - "numpy; rm -rf /"\n`,
  );
  writeFileSync(path("name-dots.yaml"), `name: a..b\n${distro}`);
  execFileSync("mkfifo", [path("fifo")]);
});

const env = () => ({ TORCHSTACK_STATE_DIR: path("state"), DOCKER_HOST: "unix:///nonexistent.sock" });

describe("bad input gets a clear error and the right exit code", () => {
  it.each(rows().map((row) => [row.argv.join(" "), row] as const))("%s", async (_label, row) => {
    const before = readdirSync(dir).sort();
    const text = await runCliInMemory(row.argv, { cwd: dir, env: env() });
    expect(text.code).toBe(row.code);
    expect(text.stdout).toBe("");
    expect(text.stderr).toContain(row.message);
    expect(text.stderr).not.toMatch(/\n\s+at /); // no stack trace
    if (row.code === 2) expect(text.stderr.trim().split("\n")).toHaveLength(1);

    // --json goes before a bare `--`: what follows it belongs to the user's command.
    const dashDash = row.argv.indexOf("--");
    const withJson =
      dashDash === -1
        ? [...row.argv, "--json"]
        : [...row.argv.slice(0, dashDash), "--json", ...row.argv.slice(dashDash)];
    const json = await runCliInMemory(withJson, { cwd: dir, env: env() });
    expect(json.code).toBe(row.code);
    const doc = JSON.parse(json.stdout) as {
      ok: boolean;
      error: { code: string; message: string; remedies: unknown };
    };
    expect(doc.ok).toBe(false);
    expect(doc.error.code).toBe(row.error);
    expect(doc.error.message).toContain(row.message);
    expect(Array.isArray(doc.error.remedies)).toBe(true);
    // nothing half-written: a failed command leaves the folder as it was
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it("prints the command list with no arguments and exits 0", async () => {
    const run = await runCliInMemory([], { cwd: dir, env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: torchstack <command>");
  });

  it("never writes a spec when init fails", async () => {
    await runCliInMemory(["init", "--no-host", "--preset", "nope"], { cwd: dir, env: env() });
    expect(readdirSync(dir)).not.toContain("torchstack.yaml");
  });
});

describe("writes never destroy what sits at the path", () => {
  it("init -o link.yaml --force writes through the link; the link stays a link", async () => {
    const sub = mkdtempSync(join(dir, "link-"));
    writeFileSync(join(sub, "real.yaml"), "old: true\n");
    symlinkSync("real.yaml", join(sub, "link.yaml"));
    const run = await runCliInMemory(
      ["init", "--no-host", "--name", "linked", "-o", "link.yaml", "--force"],
      {
        cwd: sub,
        env: env(),
      },
    );
    expect(run.code).toBe(0);
    expect(lstatSync(join(sub, "link.yaml")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(sub, "link.yaml"))).toBe("real.yaml");
    expect(readFileSync(join(sub, "real.yaml"), "utf8")).toContain("name: linked");
  });

  it("lock through a symlinked torchstack.lock updates the target; the link stays a link", async () => {
    const sub = mkdtempSync(join(dir, "lock-link-"));
    const spec = join(sub, "torchstack.yaml");
    writeFileSync(spec, "name: linked-lock\ntorchSource: distro\ncuda: cpu\n");
    const first = await runCliInMemory(["lock", "--no-host", "--offline", "-f", spec], {
      cwd: sub,
      env: env(),
    });
    expect(first.code, first.stderr).toBe(0);
    mkdirSync(join(sub, "locks"));
    writeFileSync(join(sub, "locks", "real.lock"), readFileSync(join(sub, "torchstack.lock")));
    rmSync(join(sub, "torchstack.lock"));
    symlinkSync(join("locks", "real.lock"), join(sub, "torchstack.lock"));
    writeFileSync(spec, "name: linked-lock\ntorchSource: distro\ncuda: cpu\ndescription: relocked\n");
    const again = await runCliInMemory(["lock", "--no-host", "--offline", "-f", spec], {
      cwd: sub,
      env: env(),
    });
    expect(again.code, again.stderr).toBe(0);
    expect(lstatSync(join(sub, "torchstack.lock")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(sub, "locks", "real.lock"), "utf8")).toContain("relocked");
  });

  it("init -o /dev/full --force leaves the device a device", async () => {
    await runCliInMemory(["init", "--no-host", "-o", "/dev/full", "--force"], { cwd: dir, env: env() });
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("init -o - prints the spec on stdout and writes no file named -", async () => {
    const sub = mkdtempSync(join(dir, "stdout-"));
    const run = await runCliInMemory(["init", "--no-host", "--name", "piped", "-o", "-"], {
      cwd: sub,
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("name: piped");
    expect(readdirSync(sub)).toEqual([]);
    const json = await runCliInMemory(["init", "--no-host", "--name", "piped", "-o", "-", "--json"], {
      cwd: sub,
      env: env(),
    });
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      file: "-",
      content: expect.stringContaining("name: piped"),
    });
  });
});

describe("stdout that fails ends quietly", () => {
  // the bundled CLI (npm test builds it first; built here when missing)
  const cli = join(ROOT, "bin", "torchstack.js");
  beforeAll(() => ensureBundle(), 120_000);

  it("resolve > /dev/full: one line on stderr, exit 1, no Node stack trace", () => {
    const full = openSync("/dev/full", "w");
    try {
      const run = spawnSync(
        process.execPath,
        [cli, "resolve", "--no-host", "--torch", "2.7", "--cuda", "cpu"],
        {
          stdio: ["ignore", full, "pipe"],
          encoding: "utf8",
          env: env(),
        },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        "torchstack: cannot write to standard output: no space left on device (ENOSPC)\n",
      );
    } finally {
      closeSync(full);
    }
  });

  it("a reader that closes the pipe early (… | head) ends the CLI quietly with 141", async () => {
    const log = join(dir, "long.log");
    writeFileSync(log, "epoch 1 step 2 loss 0.5\n".repeat(200_000));
    const child = spawn(process.execPath, [cli, "diagnose", log, "--tee"], { env: env() });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on("close", (c) => done(c)));
    expect(code).toBe(141);
    expect(stderr).toBe("");
  });
});

describe("init writes a spec that loads whatever the folder is called", () => {
  it.each(["123", "true", "null", "1e3", "0x10"])("folder %s", async (folder) => {
    const { parseSpecText } = await import("../../../src/spec/load-spec.js");
    const cwd = join(mkdtempSync(join(dir, "init-")), folder);
    mkdirSync(cwd);
    const run = await runCliInMemory(["init", "--no-host", "--preset", "cpu"], { cwd, env: env() });
    expect(run.code).toBe(0);
    const spec = parseSpecText(readFileSync(join(cwd, "torchstack.yaml"), "utf8"));
    expect(spec.name).toBe(folder);
  });
});

describe("Dockerfile values are escaped", () => {
  it("a $ in description stays literal in LABEL (escaped as \\$)", async () => {
    const cwd = mkdtempSync(join(dir, "render-"));
    writeFileSync(
      join(cwd, "torchstack.yaml"),
      `name: dollar\ntorchSource: distro\ncuda: cpu\ndescription: "costs $HOME and $${"{"}PATH} \\"quoted\\""\n`,
    );
    const run = await runCliInMemory(["render", "-o", "ctx", "--no-host"], { cwd, env: env() });
    expect(run.stderr).not.toContain("error");
    expect(run.code).toBe(0);
    const dockerfile = readFileSync(join(cwd, "ctx", "Dockerfile"), "utf8");
    expect(dockerfile).toContain(
      `org.opencontainers.image.description="costs \\$HOME and \\$${"{"}PATH} \\"quoted\\""`,
    );
  });
});

describe("--gpu takes a list where the spec's gpu: does", () => {
  it('--gpu "H100,V100" resolves for both GPUs (the V100 rules out the wheels without sm_70)', async () => {
    const run = await runCliInMemory(["resolve", "--no-host", "--gpu", "H100,V100", "--explain"], {
      cwd: dir,
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/arch list .*sm_70.*sm_90/);
    expect(run.stdout).toMatch(/rejected +cu\d+ +no code for V100/);
  });
});
