import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../../src/errors/error-codes.js";
import { renderErrorDocs } from "../../../src/errors/render-error-docs.js";

describe("docs/errors.md", () => {
  it("is generated from the table and up to date (run `npm run docs:errors`)", () => {
    const committed = readFileSync(join(import.meta.dirname, "../../../docs/errors.md"), "utf8");
    expect(committed).toBe(renderErrorDocs());
  });

  it("documents every code", () => {
    const docs = renderErrorDocs();
    for (const code of Object.keys(ERROR_CODES)) expect(docs).toContain(`\`${code}\``);
  });
});
