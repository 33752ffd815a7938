import { describe, expect, it } from "vitest";
import { renderBuildContext } from "../../../src/image/render-context.js";
import { renderDockerfile } from "../../../src/image/render-dockerfile.js";
import { buildLock } from "../../../src/lock/build-lock.js";
import type { ResolvedStack } from "../../../src/resolve/stack.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";
import type { Spec } from "../../../src/spec/schema.js";
import { CU128_STACK, DISTRO_STACK } from "../../fixtures/specs/stacks.js";

/** Dockerfile instructions: comments dropped, continuation lines joined. */
function instructions(dockerfile: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const line of dockerfile.split("\n")) {
    if (current === "" && (line.trim() === "" || line.trimStart().startsWith("#"))) continue;
    current += current === "" ? line : ` ${line.trim()}`;
    if (current.endsWith("\\")) current = current.slice(0, -1).trimEnd();
    else {
      out.push(current);
      current = "";
    }
  }
  return out;
}

const wheels = parseSpecText(
  'name: w\ntorch: "2.7.1"\ncuda: "12.8"\napps: { jupyter: true, ssh: true }\npackages: { pip: [einops], apt: [git] }\n',
);
const distro = parseSpecText(
  "name: d\ntorchSource: distro\napps: { jupyter: true, ssh: true }\npackages: { apt: [git] }\n",
);

function render(spec: Spec, stack: ResolvedStack): string[] {
  return instructions(renderDockerfile(buildLock({ spec, specFile: "x", stack }), { syntax: false }));
}

function indexOf(lines: string[], pattern: RegExp): number {
  const index = lines.findIndex((line) => pattern.test(line));
  expect(index, `no instruction matches ${pattern}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe.each([
  ["wheels", wheels, CU128_STACK, /pip install --index-url \S+ (--extra-index-url \S+ )?torch==/],
  ["distro", distro, DISTRO_STACK, /apt-get install .*python3-torch=/],
] as const)("layer order (%s)", (_label, spec, stack, torchPattern) => {
  const lines = render(spec, stack);

  it("is OS packages → Python → torch → apps → your packages → rootfs → entrypoint", () => {
    const order = [
      indexOf(lines, /^FROM /),
      indexOf(lines, /apt-get install .*\btini\b/),
      indexOf(lines, /-m venv|uv venv/),
      indexOf(lines, torchPattern),
      indexOf(lines, /openssh-server/),
      indexOf(lines, /apt-get install -y --no-install-recommends git$/),
      indexOf(lines, /^COPY rootfs\/ \/$/),
      indexOf(lines, /^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/usr\/local\/bin\/torchstack-entrypoint"\]$/),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(lines.at(-1)).toBe('CMD ["sleep", "infinity"]');
  });

  it("pins versions and never says latest", () => {
    for (const line of lines) expect(line).not.toMatch(/latest/i);
    for (const from of lines.filter((l) => l.startsWith("FROM ")))
      expect(from).toMatch(/:[\w.-]+(@sha256:[0-9a-f]+)?$/);
  });

  it("caches apt and pip with BuildKit mounts and sets a numeric non-root USER after every RUN", () => {
    for (const line of lines.filter((l) => /apt-get install/.test(l))) {
      expect(line).toContain("--mount=type=cache,target=/var/cache/apt,sharing=locked");
      expect(line).toContain("--mount=type=cache,target=/var/lib/apt,sharing=locked");
    }
    for (const line of lines.filter((l) => /pip install/.test(l)))
      expect(line).toContain("--mount=type=cache,target=/root/.cache/pip");
    const users = lines.filter((l) => l.startsWith("USER "));
    expect(users).toEqual(["USER 1000:1000"]);
    const lastRun = lines.findLastIndex((l) => l.startsWith("RUN "));
    expect(lines.indexOf("USER 1000:1000")).toBeGreaterThan(lastRun);
    expect(lines).toContain("ENV PIP_CONSTRAINT=/etc/torchstack/constraints.txt");
  });
});

describe("layer reuse", () => {
  it.each([
    ["a pip package", { pip: ["einops", "rich==13.9.4"], apt: ["git"] }],
    ["an apt package", { pip: ["einops"], apt: ["git", "htop"] }],
  ])("adding %s leaves every instruction up to torch unchanged", (_label, packages) => {
    const before = render(wheels, CU128_STACK);
    const after = render({ ...wheels, packages }, CU128_STACK);
    const torch = indexOf(before, /torch==2\.7\.1/);
    expect(after.slice(0, torch + 1)).toEqual(before.slice(0, torch + 1));
    const context = (spec: Spec) =>
      renderBuildContext({ lock: buildLock({ spec, specFile: "x", stack: CU128_STACK }), syntax: false });
    const file = (spec: Spec, path: string) => context(spec).files.find((f) => f.path === path)?.content;
    // The change lands in a late layer: the Dockerfile's user apt line, or requirements.txt (copied after torch).
    const changed = ["Dockerfile", "requirements.txt"].filter(
      (path) => file({ ...wheels, packages }, path) !== file(wheels, path),
    );
    expect(changed).toHaveLength(1);
    expect(file({ ...wheels, packages }, "constraints.txt")).toBe(file(wheels, "constraints.txt"));
  });
});
