/**
 * What a rebuild from a lock with an inventory installs: every Python
 * distribution as a pip constraint (`name==version`, PEP 440 versions only) and
 * every dpkg package as an apt preference (`Pin: version V`, priority 1001, so
 * apt takes exactly that version, even a lower one). Pure text from data.
 */
import type { Inventory } from "./inventory-schema.js";

/** PEP 440 public version with an optional local label ("2.6.0+debian", "1.26.4", "2.0.0rc1"). */
const PEP440 =
  /^([1-9]\d*!)?\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?(\+[a-z0-9]+([-_.][a-z0-9]+)*)?$/i;

/** Constraint lines for every distribution not already constrained (names in `skip`). */
export function inventoryConstraints(inventory: Inventory, skip: ReadonlySet<string>): string[] {
  return inventory.pip
    .filter((d) => !skip.has(d.name) && PEP440.test(d.version))
    .map((d) => `${d.name}==${d.version}`);
}

export const APT_PREFERENCES_PATH = "/etc/apt/preferences.d/torchstack-inventory";

export function aptPreferences(inventory: Inventory): string {
  const header = [
    "# torchstack: every dpkg package at the version the lock's inventory records (generated).",
    "",
  ];
  const stanzas = inventory.dpkg.map(
    (p) => `Package: ${p.name}\nPin: version ${p.version}\nPin-Priority: 1001\n`,
  );
  return `${[...header, ...stanzas].join("\n")}`;
}
