/** Types for ajv-formats-draft2019 (it ships none): adds the draft 2019 formats (idn-email, iri…) to an Ajv. */
declare module "ajv-formats-draft2019" {
  import type { Ajv } from "ajv";

  export default function addDraft2019Formats(ajv: Ajv, options?: { formats?: string[] }): Ajv;
}
