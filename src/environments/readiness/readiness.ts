/**
 * Which readiness checks an environment needs: Jupyter's `/api/status` with the
 * token (HTTP 200), sshd's `SSH-2.0` banner, TensorBoard's and code-server's
 * HTTP answer; all on the host's loopback at the chosen host ports. With no
 * app on, the container merely has to keep running.
 */
import type { AppKey, ImageFacts } from "../up/image-labels.js";
import { Wait, type WaitStrategy } from "./wait-strategies.js";

export function readinessFor(
  facts: ImageFacts,
  hostPorts: Partial<Record<AppKey, number>>,
  token: string,
): WaitStrategy[] {
  const strategies: WaitStrategy[] = [];
  const { jupyter, ssh, tensorboard, vscode } = hostPorts;
  if (jupyter !== undefined && facts.apps.jupyter) {
    strategies.push(
      Wait.forHttp("jupyter", `http://127.0.0.1:${jupyter}/api/status`, { Authorization: `token ${token}` }),
    );
  }
  if (ssh !== undefined && facts.apps.ssh)
    strategies.push(Wait.forTcpBanner("ssh", "127.0.0.1", ssh, "SSH-2.0"));
  if (tensorboard !== undefined && facts.apps.tensorboard) {
    strategies.push(Wait.forHttp("tensorboard", `http://127.0.0.1:${tensorboard}/`));
  }
  if (vscode !== undefined && facts.apps.vscode)
    strategies.push(Wait.forHttp("vscode", `http://127.0.0.1:${vscode}/healthz`));
  return strategies;
}
