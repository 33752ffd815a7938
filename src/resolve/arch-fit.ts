/**
 * The resolver's view of "does a wheel carry code for a GPU": the rules live in
 * the catalog (src/catalog/arch-fit.ts) so that the catalog's own driver floors
 * (minimumDriverFor) can use them; this re-export keeps the resolver's imports.
 */
export { type ArchFit, archFit } from "../catalog/arch-fit.js";
