/**
 * How old the facts of a catalog are, and the warning `resolve` prints when
 * they are older than 60 days: the built-in data's capture date, or the date
 * of the overlay `catalog update` wrote, whichever is newer. Pure.
 */
import type { Catalog } from "./catalog.js";

export const CATALOG_MAX_AGE_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

export function ageInDays(date: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(date)) / DAY_MS));
}

/** Days since the newest layer of the catalog was captured. */
export function catalogAgeDays(catalog: Catalog, now: Date): number {
  const { builtin, overlay } = catalog.provenance;
  const dates = [builtin.date, ...(overlay ? [overlay.date] : [])];
  return Math.min(...dates.map((d) => ageInDays(d, now)));
}

/** A warning naming the update command when the facts are older than 60 days; undefined otherwise. */
export function catalogAgeWarning(catalog: Catalog, now: Date): string | undefined {
  const days = catalogAgeDays(catalog, now);
  if (days <= CATALOG_MAX_AGE_DAYS) return undefined;
  const { builtin, overlay } = catalog.provenance;
  const layers = overlay
    ? `built-in data of ${builtin.date}, overlay read from ${overlay.ref} on ${overlay.date.slice(0, 10)}`
    : `built-in data of ${builtin.date}, no overlay`;
  return `the catalog's facts are ${days} days old (${layers}): newer torch releases may be missing; run \`torchstack catalog update\``;
}
