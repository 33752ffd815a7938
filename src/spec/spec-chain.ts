/**
 * Reads a spec and the parents it `extends`, child first: paths are relative
 * to the file that names them, a cycle or a chain deeper than 8 is refused, and
 * each file is read with the size limit before it is parsed.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { SpecError } from "../errors/torchstack-error.js";
import { MAX_SPEC_BYTES, parseYamlSource, specTooLarge, type YamlSource } from "./yaml-source.js";

const MAX_EXTENDS_DEPTH = 8;

function readSource(file: string): YamlSource {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new SpecError(
      "E_NO_SPEC",
      "file not found",
      { file },
      {
        remedies: ["check the path, or run `torchstack init` to create a spec"],
      },
    );
  }
  if (size > MAX_SPEC_BYTES) throw specTooLarge(file);
  return parseYamlSource(file, readFileSync(file, "utf8"));
}

/** The spec file chain, child first: [file, its parent, the parent's parent, …]. */
export function readChain(file: string): YamlSource[] {
  const chain: YamlSource[] = [];
  const seen: string[] = [];
  let current: string | undefined = file;
  while (current !== undefined) {
    const absolute = resolve(current);
    if (seen.includes(absolute)) {
      const cycle = [...seen, absolute].map((f) => relative(process.cwd(), f) || f).join(" → ");
      throw new SpecError(
        "E_SPEC_EXTENDS_CYCLE",
        `extends forms a cycle: ${cycle}`,
        {
          file: chain[chain.length - 1]?.file ?? file,
          line: chain[chain.length - 1]?.lineOf(["extends"]),
          key: "extends",
        },
        { remedies: ["remove `extends` from one of these files"] },
      );
    }
    if (seen.length >= MAX_EXTENDS_DEPTH) {
      throw new SpecError("E_SPEC_EXTENDS_DEPTH", `extends is nested more than ${MAX_EXTENDS_DEPTH} deep`, {
        file: current,
      });
    }
    seen.push(absolute);
    const source = readSource(current);
    chain.push(source);
    const parent = (source.data as Record<string, unknown> | null)?.extends;
    if (parent === undefined) break;
    if (typeof parent !== "string" || parent === "") {
      throw new SpecError(
        "E_SPEC_INVALID",
        "must be the path of a parent spec",
        {
          file: current,
          line: source.lineOf(["extends"]),
          key: "extends",
        },
        { remedies: ["write extends: ../golden/torchstack.yaml (relative to this file)"] },
      );
    }
    const next = join(dirname(current), parent);
    if (!existsSync(next)) {
      throw new SpecError(
        "E_SPEC_EXTENDS_MISSING",
        `parent spec ${next} does not exist`,
        {
          file: current,
          line: source.lineOf(["extends"]),
          key: "extends",
        },
        { remedies: ["fix the path (it is relative to the file that says extends)"] },
      );
    }
    current = next;
  }
  return chain;
}
