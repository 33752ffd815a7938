// Writes docs/settings.md from src/settings/settings-table.ts (run: npm run docs:settings).
import { writeGeneratedDoc } from "./write-generated-doc.mjs";

await writeGeneratedDoc("src/settings/render-settings-docs.ts", "renderSettingsDocs", "docs/settings.md");
