/**
 * What the tests on this machine build must not reach the network: the CPU
 * example renders a build context that names no registry, index or download
 * (only the locally imported base image and Debian's own packages). The golden
 * Dockerfiles of wheel stacks do name PyPI-style indexes, but they are
 * text snapshots: no test builds them.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderBuildContext } from "../../../src/image/render-context.js";
import { lockSpec } from "../../../src/workflows/lock-environment.js";

const EXAMPLES = [
  ["cpu", "FROM torchstack-local/debian:13"],
  ["debian-12", "FROM torchstack-local/debian:12"],
] as const;

describe("the examples build offline", () => {
  it.each(EXAMPLES)(
    "examples/%s renders no URL, no wheel index and no remote image",
    async (folder, from) => {
      const file = join(import.meta.dirname, "..", "..", "..", "examples", folder, "torchstack.yaml");
      const { lock } = await lockSpec(file, { env: {}, noHost: true });
      const context = renderBuildContext({ lock, syntax: false });
      const dockerfile = context.files.find((f) => f.path === "Dockerfile")?.content ?? "";
      expect(dockerfile.split("\n").filter((l) => l.startsWith("FROM "))).toEqual([from]);
      expect(dockerfile).not.toMatch(/COPY --from=|--index-url|# syntax=/);
      // The healthcheck asks the container's own Jupyter ("http://%s:%d" filled with a loopback host).
      const remote = /\bhttps?:\/\/(?!127\.0\.0\.1|localhost|%s)/;
      for (const f of context.files) expect(f.content, f.path).not.toMatch(remote);
    },
  );
});
