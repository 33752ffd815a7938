/** Types for the generated bom-1.6.validate.js (scripts/write-sbom-validator.mjs): ajv's compiled CycloneDX 1.6 validator. */
export interface CompiledValidator {
  (data: unknown): boolean;
  /** ajv's errors from the last call that failed (null after a pass). */
  errors?: unknown[] | null;
}

export declare const validate: CompiledValidator;
export default validate;
