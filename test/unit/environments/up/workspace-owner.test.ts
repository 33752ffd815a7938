import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imageFacts } from "../../../../src/environments/up/image-labels.js";
import { workspaceOwner } from "../../../../src/environments/up/workspace-owner.js";

const dirStat = (uid: number, gid: number) => () => ({ uid, gid, isDirectory: () => true });

describe("workspaceOwner", () => {
  it("takes the owner of the workspace folder", () => {
    expect(workspaceOwner("/w", {}, dirStat(1001, 1002) as never)).toEqual({
      uid: 1001,
      gid: 1002,
      source: "workspace",
    });
    expect(
      workspaceOwner("/w", { SUDO_UID: "1500", SUDO_GID: "1500" }, dirStat(1001, 1002) as never).source,
    ).toBe("workspace");
  });

  it("takes SUDO_UID/SUDO_GID when the folder belongs to root", () => {
    expect(workspaceOwner("/w", { SUDO_UID: "1500", SUDO_GID: "1600" }, dirStat(0, 0) as never)).toEqual({
      uid: 1500,
      gid: 1600,
      source: "sudo",
    });
    expect(workspaceOwner("/w", {}, dirStat(0, 0) as never)).toEqual({ uid: 0, gid: 0, source: "workspace" });
  });

  it("refuses a missing workspace with the fix", () => {
    const missing = join(mkdtempSync(join(tmpdir(), "ts-ws-")), "nope");
    expect(() => workspaceOwner(missing, {})).toThrow(/does not exist/);
  });
});

describe("imageFacts", () => {
  it("reads apps, user and CUDA from labels, with safe defaults", () => {
    expect(
      imageFacts({
        "dev.torchstack.apps": '{"jupyter":{"port":8888,"ui":"server"},"ssh":{"port":2222}}',
        "dev.torchstack.user": "alice:1000:1000",
        "dev.torchstack.stack": '{"torch":"2.7.1","cuda":"12.8"}',
      }),
    ).toEqual({
      apps: { jupyter: { port: 8888, ui: "server" }, ssh: { port: 2222 } },
      user: { name: "alice", uid: 1000, gid: 1000 },
      cuda: true,
    });
    expect(imageFacts({ "dev.torchstack.apps": "{not json" })).toEqual({
      apps: {},
      user: { name: "dev", uid: 1000, gid: 1000 },
      cuda: false,
    });
  });
});
