/**
 * Validates an SBOM against the official CycloneDX 1.6 JSON schema (copied from
 * the CycloneDX project's library into ./schema, see its README) with ajv,
 * configured as that library configures it: draft-07, formats from ajv-formats
 * and ajv-formats-draft2019, remote schemas refused. Resolves when valid.
 */
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import addDraft2019Formats from "ajv-formats-draft2019";
import { TorchstackError } from "../errors/torchstack-error.js";
import bomSchema from "./schema/bom-1.6.SNAPSHOT.schema.json" with { type: "json" };
import jsfSchema from "./schema/jsf-0.82.SNAPSHOT.schema.json" with { type: "json" };
import spdxSchema from "./schema/spdx.SNAPSHOT.schema.json" with { type: "json" };

type Validate = ((data: unknown) => boolean) & { errors?: unknown };
let compiled: Validate | undefined;

function validator(): Validate {
  if (compiled) return compiled;
  const ajv = new Ajv({
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    schemas: {
      "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json": spdxSchema,
      "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json": jsfSchema,
    },
    loadSchema: (uri: string) => Promise.reject(new Error(`remote schemas are disabled: ${uri}`)),
  });
  addFormats.default(ajv);
  addDraft2019Formats(ajv, { formats: ["idn-email"] });
  ajv.addFormat("iri-reference", true);
  compiled = ajv.compile(bomSchema) as Validate;
  return compiled;
}

export async function validateSbom(json: string): Promise<void> {
  const validate = validator();
  if (validate(JSON.parse(json))) return;
  throw new TorchstackError("E_SBOM_INVALID", "the SBOM does not validate against the CycloneDX 1.6 schema", {
    remedies: ["report this as a torchstack bug, with the SBOM and the validation errors"],
    details: { errors: JSON.parse(JSON.stringify(validate.errors ?? [])) as unknown },
  });
}
