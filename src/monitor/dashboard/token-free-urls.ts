/**
 * What the dashboard sends about environments carries no access token: a
 * leaked dashboard session must not turn into a Jupyter token (code execution
 * as the environment's user). URLs keep their address without `?token=`;
 * `torchstack urls NAME` prints the full ones to their owner.
 */
import type { EnvironmentSummary } from "../../environments/environment.js";
import type { EnvironmentLister } from "../monitor.js";

const SECRET_PARAMS = ["token", "password"];

export function withoutToken(url: string): string {
  try {
    const parsed = new URL(url);
    for (const name of SECRET_PARAMS) parsed.searchParams.delete(name);
    return parsed.toString();
  } catch {
    return url.replace(/[?&](?:token|password)=[^&#]*/gi, "");
  }
}

export function tokenFreeEnvironments(environments: EnvironmentSummary[]): EnvironmentSummary[] {
  return environments.map((environment) => ({
    ...environment,
    urls: Object.fromEntries(Object.entries(environment.urls).map(([app, url]) => [app, withoutToken(url)])),
  }));
}

/** The lister the dashboard's monitor uses: the given one, with tokens taken out of every URL. */
export function tokenFreeLister(list: EnvironmentLister): EnvironmentLister {
  return async (env) => tokenFreeEnvironments(await list(env));
}
