import { describe, expect, it } from "vitest";
import { createLineSplitter } from "../../../src/diagnose/line-splitter.js";

function split(pieces: readonly string[], maxLine = 100): string[] {
  const lines: string[] = [];
  const splitter = createLineSplitter((line) => lines.push(line), maxLine);
  for (const piece of pieces) splitter.push(piece);
  splitter.end();
  return lines;
}

describe("createLineSplitter", () => {
  const text = "one\ntwo\r\nthree\rfour\n\nfive";
  const expected = ["one", "two", "three", "four", "", "five"];

  it("splits on \\n, \\r\\n and a lone \\r", () => {
    expect(split([text])).toEqual(expected);
  });

  it("gives the same lines wherever the chunks are cut (including between \\r and \\n)", () => {
    for (let cut = 0; cut <= text.length; cut += 1) {
      expect(split([text.slice(0, cut), text.slice(cut)]), `cut at ${cut}`).toEqual(expected);
    }
    expect(split([...text])).toEqual(expected);
  });

  it("cuts a line at maxLine and skips the rest of it, across chunks", () => {
    const long = "x".repeat(250);
    expect(split([long.slice(0, 120), long.slice(120), "\nnext\n"], 100)).toEqual(["x".repeat(100), "next"]);
  });

  it("keeps nothing but the cap of a line that never ends", () => {
    const lines = split(
      Array.from({ length: 1000 }, () => "y".repeat(10_000)),
      50,
    );
    expect(lines).toEqual(["y".repeat(50)]);
  });
});
