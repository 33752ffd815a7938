/**
 * The dashboard page's script and stylesheet as text. In dist/ they were bundled
 * by scripts/bundle.mjs and embedded as `__TORCHSTACK_DASHBOARD_PAGE__`; run from
 * the sources (tests, benches), the page is bundled once on first use with the
 * same function (page/build-page.mjs), so both serve the same bytes.
 */
import type { DashboardPageAssets } from "./page/build-page.mjs";

declare const __TORCHSTACK_DASHBOARD_PAGE__: DashboardPageAssets | undefined;

let cached: Promise<DashboardPageAssets> | undefined;

/** The bundled page, or undefined when running from the sources (one reference: the text is large). */
function embeddedPage(): DashboardPageAssets | undefined {
  try {
    return __TORCHSTACK_DASHBOARD_PAGE__;
  } catch {
    return undefined;
  }
}

export function loadPageAssets(): Promise<DashboardPageAssets> {
  const embedded = embeddedPage();
  if (embedded) return Promise.resolve(embedded);
  cached ??= import("./page/build-page.mjs").then((m) => m.buildDashboardPage());
  return cached;
}
