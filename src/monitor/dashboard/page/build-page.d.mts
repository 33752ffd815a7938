/** Types for build-page.mjs (a plain module so scripts/bundle.mjs can import it). */
export interface DashboardPageAssets {
  script: string;
  style: string;
}
export function buildDashboardPage(esbuild?: typeof import("esbuild")): Promise<DashboardPageAssets>;
export function dashboardPageDefine(esbuild?: typeof import("esbuild")): Promise<Record<string, string>>;
