/**
 * The CEL evaluator behind cel-rules.ts: @marcbachmann/cel-js, each expression
 * parsed once. Its own module, so only what imports it (job check) loads the
 * library (a side bundle in dist/vendor/).
 */
import { parse } from "@marcbachmann/cel-js";
import type { CelEvaluate } from "./cel-rules.js";

const parsed = new Map<string, ReturnType<typeof parse>>();

export const celEvaluate: CelEvaluate = (expression, context) => {
  let program = parsed.get(expression);
  if (!program) {
    program = parse(expression);
    parsed.set(expression, program);
  }
  return program(context);
};
