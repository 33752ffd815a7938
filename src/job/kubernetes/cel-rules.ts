/**
 * The CRDs' create-time CEL rules (`x-kubernetes-validations`), evaluated the
 * way the API server does on create: each rule with `self` bound to the value
 * at its node (integers as CEL ints), walking properties, list items and map
 * values that are present. Transition rules (those reading `oldSelf`, most of
 * them "field is immutable") apply only to an update and are counted, not run;
 * a rule the library cannot evaluate is reported as not checked, never passed.
 * The evaluator is passed in (cel-evaluator.ts), so rendering never loads it.
 */
import type { FieldProblem } from "./builtin-kinds.js";

type Schema = Record<string, unknown>;

interface CelRule {
  rule: string;
  message?: string;
  fieldPath?: string;
}

export interface CelOutcome {
  problems: FieldProblem[];
  /** Rules that read oldSelf: checked by the server only when the object already exists. */
  transitionRules: number;
  /** Create-time rules evaluated. */
  evaluated: number;
  /** Rules the evaluator could not run, with why. */
  unevaluated: FieldProblem[];
}

export type CelEvaluate = (expression: string, context: Record<string, unknown>) => unknown;

const isObject = (value: unknown): value is Schema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** JSON as CEL sees it through the schema: `type: integer` values become ints (BigInt). */
function celValue(schema: unknown, value: unknown): unknown {
  if (!isObject(schema)) return value;
  if (schema.type === "integer" && typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (Array.isArray(value)) return value.map((item) => celValue(schema.items, item));
  if (isObject(value)) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const extra = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, celValue(properties[key] ?? extra, item)]),
    );
  }
  return value;
}

function rulesOf(schema: Schema): CelRule[] {
  const rules = schema["x-kubernetes-validations"];
  return Array.isArray(rules)
    ? (rules.filter((r) => isObject(r) && typeof r.rule === "string") as CelRule[])
    : [];
}

/** Every create-time CEL rule of `schema` against `value` (a whole object, from its root). */
export function evaluateCelRules(schema: Schema, value: unknown, evaluate: CelEvaluate): CelOutcome {
  const outcome: CelOutcome = { problems: [], transitionRules: 0, evaluated: 0, unevaluated: [] };
  const visit = (node: unknown, data: unknown, path: string) => {
    if (!isObject(node) || data === undefined || data === null) return;
    for (const rule of rulesOf(node)) {
      if (/\boldSelf\b/.test(rule.rule)) {
        outcome.transitionRules += 1;
        continue;
      }
      const at = `${path}${rule.fieldPath ? rule.fieldPath.replace(/^\./, "/").replaceAll(".", "/") : ""}`;
      try {
        const result = evaluate(rule.rule, { self: celValue(node, data) });
        outcome.evaluated += 1;
        if (result !== true)
          outcome.problems.push({ path: at, message: rule.message ?? `failed rule: ${rule.rule}` });
      } catch (error) {
        outcome.unevaluated.push({
          path: at,
          message: `${rule.rule}: ${(error as Error).message.split("\n")[0]}`,
        });
      }
    }
    if (Array.isArray(data)) {
      data.forEach((item, i) => {
        visit(node.items, item, `${path}/${i}`);
      });
      return;
    }
    if (!isObject(data)) return;
    const properties = isObject(node.properties) ? node.properties : {};
    for (const [key, item] of Object.entries(data)) {
      const sub =
        properties[key] ?? (isObject(node.additionalProperties) ? node.additionalProperties : undefined);
      visit(sub, item, `${path}/${key}`);
    }
  };
  visit(schema, value, "");
  return outcome;
}
