// Bundles the dashboard's browser code (main.ts and what it imports) and its
// stylesheet with esbuild, in memory: one IIFE script and one CSS text, which the
// server inlines under the response's CSP nonce. scripts/bundle.mjs calls this at
// build time and embeds the result in dist/; from the sources (tests, benches)
// page-assets.ts calls it on first use.
import { fileURLToPath } from "node:url";

const here = (name) => fileURLToPath(new URL(name, import.meta.url));

/** @param {typeof import("esbuild")} [esbuild] */
export async function buildDashboardPage(esbuild) {
  const { build } = esbuild ?? (await import("esbuild"));
  const common = { bundle: true, write: false, minify: true, legalComments: "none", logLevel: "warning" };
  const [script, style] = await Promise.all([
    build({
      ...common,
      entryPoints: [here("./main.ts")],
      format: "iife",
      target: "chrome100",
      platform: "browser",
    }),
    build({ ...common, entryPoints: [here("./dashboard.css")], target: "chrome100" }),
  ]);
  const text = (result) => result.outputFiles?.[0]?.text ?? "";
  const page = { script: text(script), style: text(style) };
  if (/<\/(script|style)/i.test(page.script + page.style)) {
    throw new Error("dashboard page: the bundle contains a closing </script> or </style> tag");
  }
  return page;
}

/**
 * esbuild `define` entries that embed the built page in a bundle (see
 * page-assets.ts): for scripts/bundle.mjs and for benches that bundle the server.
 * @param {typeof import("esbuild")} [esbuild]
 */
export async function dashboardPageDefine(esbuild) {
  return { __TORCHSTACK_DASHBOARD_PAGE__: JSON.stringify(await buildDashboardPage(esbuild)) };
}
