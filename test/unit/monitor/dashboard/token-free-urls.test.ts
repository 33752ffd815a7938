import { describe, expect, it } from "vitest";
import type { EnvironmentSummary } from "../../../../src/environments/environment.js";
import { tokenFreeLister, withoutToken } from "../../../../src/monitor/dashboard/token-free-urls.js";

describe("the dashboard's environments carry no access token", () => {
  it("drops ?token= from Jupyter URLs and keeps the address", async () => {
    const environment = {
      name: "victim-env",
      urls: { jupyter: "http://127.0.0.1:39887/lab?token=14d3b85f0a", vscode: "http://127.0.0.1:8443/" },
    } as unknown as EnvironmentSummary;
    const [listed] = await tokenFreeLister(async () => [environment])({});
    expect(listed?.urls).toEqual({ jupyter: "http://127.0.0.1:39887/lab", vscode: "http://127.0.0.1:8443/" });
    expect(JSON.stringify(listed)).not.toContain("14d3b85f0a");
  });

  it("keeps other query parameters", () => {
    expect(withoutToken("http://127.0.0.1:1/lab?a=1&token=x&b=2")).toBe("http://127.0.0.1:1/lab?a=1&b=2");
  });
});
