// Injected into the CommonJS bundle (scripts/bundle.mjs): what `import.meta.url` means in each module's
// source, the bundle's own file URL (dist/cli.cjs: the same folder the ES module chunks used to live in).
export const importMetaUrl = require("node:url").pathToFileURL(__filename).href;
