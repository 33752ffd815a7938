/**
 * The dashboard's browser code is a real module (src/monitor/dashboard/page/),
 * bundled on its own: from the sources the server builds it on first use, and
 * dist/ (scripts/bundle.mjs) embeds the same build. This runs the built CLI
 * (`node bin/torchstack.js dashboard`, skipped when dist/ is not built) and
 * checks that it serves exactly the script and style built from the sources.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildDashboardPage } from "../../../../../src/monitor/dashboard/page/build-page.mjs";
import { scenarioEnv } from "../../monitor-fixtures.js";

describe("the dashboard page bundle", () => {
  it("is one script and one stylesheet that can be inlined (no closing tags, no external URLs)", async () => {
    const page = await buildDashboardPage();
    expect(page.script.length).toBeGreaterThan(5_000);
    expect(page.style).toContain(".gpu-row");
    expect(page.script + page.style).not.toMatch(/<\/script|<\/style|https?:\/\/(?!www\.w3\.org)/i);
  });

  it.skipIf(!existsSync("dist/cli.cjs"))(
    "is what dist/ serves",
    async () => {
      const child = spawn(process.execPath, ["bin/torchstack.js", "dashboard", "--json", "--no-open"], {
        env: scenarioEnv("v100x2-r418", { TORCHSTACK_STATE_DIR: "/nonexistent-state" }),
        stdio: ["ignore", "pipe", "ignore"],
      });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let text = "";
          child.stdout.on("data", (c: Buffer) => {
            text += c.toString("utf8");
            if (text.includes("\n"))
              resolve((JSON.parse(text.split("\n")[0] ?? "{}") as { url: string }).url);
          });
          child.on("exit", (code) => reject(new Error(`dashboard exited with ${code}`)));
        });
        const token = new URL(url).searchParams.get("token") ?? "";
        const res = await fetch(url.split("?")[0] ?? url, { headers: { authorization: `Bearer ${token}` } });
        const html = await res.text();
        const page = await buildDashboardPage();
        expect(html).toContain(`>${page.script}</script>`);
        expect(html).toContain(`>${page.style}</style>`);
      } finally {
        child.kill("SIGTERM");
      }
    },
    60_000,
  );
});
