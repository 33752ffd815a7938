/**
 * Renders docs/settings.md from the settings table (settings-table.ts): one
 * section per scope, one row per variable. Pure; `npm run docs:settings` writes
 * the file and a test fails when the committed file differs.
 */
import { SETTINGS, type SettingScope } from "./settings-table.js";

const SCOPE_TITLES: Readonly<Record<SettingScope, string>> = {
  user: "Set by you, on the host",
  setup: "Read by the set-up scripts (`npm run engine:setup`, `slurm:setup`, `demo`)",
  image: "Set by torchstack inside environments and jobs (reserved: a spec cannot set them)",
  test: "Test hooks (never needed in normal use)",
};

export function renderSettingsDocs(): string {
  const sections = (Object.keys(SCOPE_TITLES) as SettingScope[]).flatMap((scope) => {
    const rows = Object.entries(SETTINGS)
      .filter(([, setting]) => setting.scope === scope)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, setting]) => `| \`${name}\` | ${setting.what} | ${setting.default || "unset"} |`);
    return [
      `## ${SCOPE_TITLES[scope]}`,
      "",
      "| variable | what it changes | default |",
      "| --- | --- | --- |",
      ...rows,
      "",
    ];
  });
  return [
    "# Environment variables",
    "",
    "Generated from `src/settings/settings-table.ts` by `npm run docs:settings`; do not edit by hand.",
    `Every \`TORCHSTACK_*\` variable the project reads or sets (${Object.keys(SETTINGS).length} in all).`,
    "",
    ...sections,
  ].join("\n");
}
