/**
 * Validates an SBOM against the official CycloneDX 1.6 JSON schema (copied from
 * the CycloneDX project's library into ./schema, see its README). The schema is
 * compiled ahead of time by ajv's standalone code generation
 * (scripts/write-sbom-validator.mjs → ./schema/bom-1.6.validate.js), configured as
 * that library configures ajv: draft-07, formats from ajv-formats and
 * ajv-formats-draft2019, remote schemas refused; so a run only calls the compiled
 * function instead of compiling 260 KB of schema. Resolves when valid.
 */
import { TorchstackError } from "../errors/torchstack-error.js";
import { validate } from "./schema/bom-1.6.validate.js";

export async function validateSbom(json: string): Promise<void> {
  if (validate(JSON.parse(json))) return;
  throw new TorchstackError("E_SBOM_INVALID", "the SBOM does not validate against the CycloneDX 1.6 schema", {
    remedies: ["report this as a torchstack bug, with the SBOM and the validation errors"],
    details: { errors: JSON.parse(JSON.stringify(validate.errors ?? [])) as unknown },
  });
}
