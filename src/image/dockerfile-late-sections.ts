/**
 * The Dockerfile's late sections: the app layer (Jupyter, sshd, TensorBoard,
 * code-server — only those that are on), then your apt and pip packages. Both come
 * after torch, so changing them never rebuilds the torch layer; your packages come
 * last because they change most often, so adding one rebuilds only its own layer.
 */

import type { Pin } from "../lock/lock-schema.js";
import { shellJoin, shellQuote } from "../process/shell-quote.js";
import type { DockerfilePlan } from "./dockerfile-plan.js";
import { APT_CACHE, aptInstall, pipInstall, REQUIREMENTS_PATH, run } from "./dockerfile-run.js";
import { hashedAppSection, hashedUserSection } from "./dockerfile-wheel-sections.js";

export function userPackagesSection(plan: DockerfilePlan): string[] {
  const { apt, pip } = plan.lock.pins;
  const lines: string[] = [];
  if (apt.length > 0)
    lines.push(
      "# Your OS packages (after torch and the apps, so adding one rebuilds only this layer).",
      ...aptInstall(apt.map((p) => p.requirement)),
    );
  const wheels = plan.lock.wheels;
  if (wheels) lines.push(...hashedUserSection(wheels));
  else if (pip.length > 0)
    lines.push(
      "# Your Python packages, under the torch constraints.",
      `COPY requirements.txt ${REQUIREMENTS_PATH}`,
      ...pipInstall(`-r ${REQUIREMENTS_PATH}`),
    );
  return lines;
}

function downloadLines(pin: Pin): string[] {
  const sha = pin.sha256 ?? "";
  return [
    `# code-server ${pin.version}: release tarball, checked against its sha256 (needs network at build time).`,
    `ARG CODE_SERVER_SHA256=${sha}`,
    ...run(
      [],
      [
        `test -n "$CODE_SERVER_SHA256" || { echo "torchstack: pass --build-arg CODE_SERVER_SHA256=<sha256 of ${pin.url}>" >&2; exit 1; }`,
        `curl -fsSLo /tmp/code-server.tgz ${shellQuote(pin.url ?? "")}`,
        'echo "$CODE_SERVER_SHA256  /tmp/code-server.tgz" | sha256sum -c -',
        "mkdir -p /opt/code-server && tar -xzf /tmp/code-server.tgz -C /opt/code-server --strip-components=1",
        "ln -s /opt/code-server/bin/code-server /usr/local/bin/code-server && rm /tmp/code-server.tgz",
      ],
    ),
  ];
}

export function appSection(plan: DockerfilePlan): string[] {
  const names = Object.keys(plan.lock.apps);
  if (names.length === 0) return [];
  const lines = [`# Apps: ${names.join(", ")} (only those that are on; started by the entrypoint).`];
  if (plan.appApt.length > 0) {
    const packages = plan.appApt.map((p) => p.requirement);
    const sshd = plan.appApt.some((p) => p.name === "openssh-server");
    if (!sshd) lines.push(...aptInstall(packages));
    else
      lines.push(
        "# sshd's host keys are made per container at start (the entrypoint's ssh-keygen -A), never kept in a layer:",
        "# every container and every pushed copy would otherwise share one private key.",
        ...run(APT_CACHE, [
          "apt-get update",
          `apt-get install -y --no-install-recommends ${shellJoin(packages)}`,
          "rm -f /etc/ssh/ssh_host_*",
        ]),
      );
  }
  if (plan.lock.wheels) lines.push(...hashedAppSection(plan.lock.wheels));
  else if (plan.appPip.length > 0)
    lines.push(...pipInstall(shellJoin(plan.appPip.map((p) => p.requirement))));
  if (plan.appDownload) lines.push(...downloadLines(plan.appDownload));
  return lines;
}
