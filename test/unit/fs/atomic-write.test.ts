import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isTorchstackError } from "../../../src/errors/torchstack-error.js";
import { writeFileAtomic, writeSecretFileAtomic } from "../../../src/fs/atomic-write.js";
import { asUser, canSwitchUser, OTHER_USER } from "../../support/as-local-user.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "atomic-write-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    return isTorchstackError(error) ? `${error.code}: ${error.message}` : `raw: ${String(error)}`;
  }
  return "no error";
}

describe("writeFileAtomic", () => {
  it("creates a new file and replaces a regular one, leaving no temp file", () => {
    const file = join(dir, "a.yaml");
    writeFileAtomic(file, "one\n");
    writeFileAtomic(file, "two\n");
    expect(readFileSync(file, "utf8")).toBe("two\n");
    expect(readdirSync(dir)).toEqual(["a.yaml"]);
  });

  it("keeps an existing file's permissions", () => {
    const file = join(dir, "secret.json");
    writeFileSync(file, "{}", { mode: 0o600 });
    writeFileAtomic(file, "{ }", 0o644);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("writes through a symlink: the link stays a link, its target gets the content", () => {
    const real = join(dir, "real.yaml");
    writeFileSync(real, "old\n");
    const link = join(dir, "link.yaml");
    symlinkSync("real.yaml", link);
    writeFileAtomic(link, "new\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("real.yaml");
    expect(readFileSync(real, "utf8")).toBe("new\n");
  });

  it("follows a chain of links, and a dangling link creates its target", () => {
    mkdirSync(join(dir, "sub"));
    symlinkSync(join(dir, "sub", "final.lock"), join(dir, "hop2"));
    symlinkSync("hop2", join(dir, "hop1"));
    writeFileAtomic(join(dir, "hop1"), "x");
    expect(readFileSync(join(dir, "sub", "final.lock"), "utf8")).toBe("x");
    expect(lstatSync(join(dir, "hop1")).isSymbolicLink()).toBe(true);
  });

  it("refuses a folder, and a link to a folder", () => {
    mkdirSync(join(dir, "ctx"));
    symlinkSync("ctx", join(dir, "to-ctx"));
    expect(codeOf(() => writeFileAtomic(join(dir, "ctx"), "x"))).toMatch(
      /^E_OUTPUT_NOT_FILE: .* is a folder/,
    );
    expect(codeOf(() => writeFileAtomic(join(dir, "to-ctx"), "x"))).toMatch(
      /is a folder \(it leads to .*ctx\)/,
    );
  });

  it.each(["/dev/full", "/dev/null"])("refuses the device %s and leaves it a device", (device) => {
    expect(codeOf(() => writeFileAtomic(device, "x"))).toMatch(/^E_OUTPUT_NOT_FILE: .* is a device/);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });

  it("refuses a FIFO", () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    expect(codeOf(() => writeFileAtomic(fifo, "x"))).toMatch(/^E_OUTPUT_NOT_FILE: .* is a FIFO/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it("refuses a socket", async () => {
    const path = join(dir, "s.sock");
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(codeOf(() => writeFileAtomic(path, "x"))).toMatch(/^E_OUTPUT_NOT_FILE: .* is a socket/);
    } finally {
      server.close();
    }
  });

  it("a missing folder or /proc is E_WRITE_FAILED with the reason, not a raw error", () => {
    expect(codeOf(() => writeFileAtomic(join(dir, "nope", "a.yaml"), "x"))).toMatch(
      /^E_WRITE_FAILED: cannot write .*: its folder does not exist \(ENOENT\)/,
    );
    expect(codeOf(() => writeFileAtomic("/proc/x.yaml", "x"))).toMatch(
      /^E_WRITE_FAILED: cannot write \/proc\/x\.yaml/,
    );
  });
});

describe("writeFileAtomic through /proc/self/fd (what /dev/stdout is)", () => {
  it("refuses the FIFO an open descriptor points at", async () => {
    const { openSync, closeSync, constants } = await import("node:fs");
    const fifo = join(dir, "out");
    execFileSync("mkfifo", [fifo]);
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      expect(codeOf(() => writeFileAtomic(`/proc/self/fd/${fd}`, "x"))).toMatch(
        /^E_OUTPUT_NOT_FILE: .* is a FIFO/,
      );
    } finally {
      closeSync(fd);
    }
  });
});

describe("links another local user could have planted", () => {
  it("replaces a link in a folder others can write instead of writing through it", () => {
    const shared = join(dir, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const precious = join(dir, "precious.conf");
    writeFileSync(precious, "keep\n", { mode: 0o600 });
    symlinkSync(precious, join(shared, "torchstack.lock")); // even a link of the caller's own: others could swap it
    writeFileAtomic(join(shared, "torchstack.lock"), "{}\n");
    expect(readFileSync(precious, "utf8")).toBe("keep\n");
    expect(lstatSync(join(shared, "torchstack.lock")).isFile()).toBe(true);
    expect(readFileSync(join(shared, "torchstack.lock"), "utf8")).toBe("{}\n");
  });

  it.skipIf(!canSwitchUser)("never overwrites a root-only file through another user's link", () => {
    const rootOnly = join(dir, "rootonly");
    mkdirSync(rootOnly, { mode: 0o700 });
    writeFileSync(join(rootOnly, "important.conf"), "secret config\n", { mode: 0o600 });
    const project = join(dir, "attacker-project");
    mkdirSync(project);
    chownSync(project, OTHER_USER, OTHER_USER); // the other user's project, where root runs `lock`
    chmodSync(dir, 0o755);
    const planted = asUser(OTHER_USER, [
      "ln",
      "-s",
      join(rootOnly, "important.conf"),
      join(project, "torchstack.lock"),
    ]);
    expect(planted.status, planted.stderr).toBe(0);
    writeFileAtomic(join(project, "torchstack.lock"), '{ "lockVersion": 1 }\n');
    expect(readFileSync(join(rootOnly, "important.conf"), "utf8")).toBe("secret config\n");
    expect(statSync(join(rootOnly, "important.conf")).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(project, "torchstack.lock")).isFile()).toBe(true);
  });

  it.skipIf(!canSwitchUser)(
    "a secret never lands in the planter's file, and is 0600 over an old 0644 file",
    () => {
      const project = join(dir, "project");
      const loot = join(dir, "loot");
      mkdirSync(project, { mode: 0o777 });
      chmodSync(project, 0o2777);
      mkdirSync(loot);
      chownSync(loot, OTHER_USER, OTHER_USER);
      chmodSync(dir, 0o755);
      expect(asUser(OTHER_USER, ["sh", "-c", `umask 0 && : > ${loot}/stolen.env`]).status).toBe(0);
      expect(
        asUser(OTHER_USER, ["ln", "-s", join(loot, "stolen.env"), join(project, "torchstack.env")]).status,
      ).toBe(0);
      writeSecretFileAtomic(join(project, "torchstack.env"), "JUPYTER_TOKEN=t0ken\n");
      expect(asUser(OTHER_USER, ["cat", join(loot, "stolen.env")]).stdout).toBe("");
      expect(lstatSync(join(project, "torchstack.env")).isFile()).toBe(true);
      expect(statSync(join(project, "torchstack.env")).mode & 0o777).toBe(0o600);
      expect(asUser(OTHER_USER, ["cat", join(project, "torchstack.env")]).status).not.toBe(0);

      const old = join(dir, "old.env");
      writeFileSync(old, "JUPYTER_TOKEN=old\n", { mode: 0o644 });
      chmodSync(old, 0o644);
      writeSecretFileAtomic(old, "JUPYTER_TOKEN=new\n");
      expect(statSync(old).mode & 0o777).toBe(0o600);
    },
  );

  it("a secret replaces even the caller's own link", () => {
    writeFileSync(join(dir, "real.env"), "x\n");
    symlinkSync("real.env", join(dir, "link.env"));
    writeSecretFileAtomic(join(dir, "link.env"), "TOKEN=1\n");
    expect(readFileSync(join(dir, "real.env"), "utf8")).toBe("x\n");
    expect(lstatSync(join(dir, "link.env")).isFile()).toBe(true);
  });
});
