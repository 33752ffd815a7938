/**
 * A CRD's openAPIV3Schema made strict the way an API server with strict field
 * validation treats it: every structural object (one with `properties`, not
 * marked `x-kubernetes-preserve-unknown-fields`) rejects unknown fields,
 * `x-kubernetes-int-or-string` accepts either, `nullable` accepts null.
 * CEL rules (`x-kubernetes-validations`) are kept for cel-rules.ts (ajv
 * ignores the keyword), not evaluated here.
 */
type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!isSchema(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isSchema(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, strictSchema(sub)]),
      );
    } else if (key === "description" || key === "default") {
      // prose and defaults play no part in rejecting a manifest
    } else {
      out[key] = strictSchema(value);
    }
  }
  if (out["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (out.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  const preserve = out["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.properties !== undefined && out.additionalProperties === undefined && !preserve)
    out.additionalProperties = false;
  return out;
}
