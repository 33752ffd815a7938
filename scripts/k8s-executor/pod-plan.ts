/**
 * What the executor starts for one pod, worked out from the API server's pod object (pure): a sandbox
 * container that holds the pod's network namespace and hostname, then one `docker run` per container that
 * joins it — the pod's command as the entrypoint (as `command` replaces ENTRYPOINT), `$(VAR)` expansion, env
 * from values and field references (JOB_COMPLETION_INDEX comes from the completion-index annotation the Job
 * controller sets), user and groups, capabilities, /dev/shm from a memory emptyDir, volumes from host paths
 * (a claim's bound volume is resolved by the caller), and the pod's hosts file.
 */
import type { Container, EnvVar, Pod, Volume } from "kubernetes-types/core/v1.js";

export const POD_LABEL = "dev.torchstack.k8s-pod";

export interface PodFacts {
  podIP: string;
  /** The hosts file the pod's containers see (peers' DNS names: the cluster's DNS stand-in). */
  hostsFile: string;
  /** Volume name → host folder (hostPath volumes, and claims resolved to their volume's host path). */
  hostPaths: Record<string, string>;
}

export interface ContainerPlan {
  name: string;
  dockerName: string;
  args: string[];
}

export interface PodPlan {
  sandboxName: string;
  hostname: string;
  sandboxArgs: string[];
  containers: ContainerPlan[];
  /** Volumes the executor cannot provide (secrets, config maps): named in the pod's events, not mounted. */
  skipped: string[];
}

/** Kubernetes' `$(VAR)` expansion: defined names are replaced, `$$` escapes, anything else stays. */
export function expandVars(word: string, env: Record<string, string>): string {
  return word.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name?: string) =>
    match === "$$" ? "$" : name !== undefined && name in env ? (env[name] as string) : match,
  );
}

function fieldValue(pod: Pod, path: string, podIP: string): string {
  const meta = pod.metadata ?? {};
  const keyed = /^metadata\.(annotations|labels)\['(.+)'\]$/.exec(path);
  if (keyed) return (keyed[1] === "labels" ? meta.labels : meta.annotations)?.[keyed[2] as string] ?? "";
  const fields: Record<string, string | undefined> = {
    "metadata.name": meta.name,
    "metadata.namespace": meta.namespace,
    "metadata.uid": meta.uid,
    "spec.nodeName": pod.spec?.nodeName,
    "spec.serviceAccountName": pod.spec?.serviceAccountName,
    "status.podIP": podIP,
    "status.podIPs": podIP,
    "status.hostIP": "127.0.0.1",
  };
  return fields[path] ?? "";
}

/** The container's environment, in order, each value expanded against the names before it. */
export function resolveEnv(pod: Pod, list: EnvVar[] | undefined, podIP: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of list ?? []) {
    if (item.value !== undefined) env[item.name] = expandVars(item.value, env);
    else if (item.valueFrom?.fieldRef)
      env[item.name] = fieldValue(pod, item.valueFrom.fieldRef.fieldPath, podIP);
  }
  return env;
}

function bytesOf(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) throw new Error(`unsupported quantity ${quantity}`);
  const units: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Math.floor(Number(m[1]) * (m[2] ? (units[m[2]] as number) : 1));
}

/** A name Docker accepts, unique per pod: the pod's name cut short, then its uid's first characters. */
function dockerNameOf(pod: Pod, suffix: string): string {
  const name = (pod.metadata?.name ?? "pod").slice(0, 40);
  return `ts-k8s-${name}-${(pod.metadata?.uid ?? "").slice(0, 8)}${suffix}`;
}

function volumeArgs(container: Container, volumes: Volume[], facts: PodFacts): string[] {
  const args: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volumeMount ${mount.name} names no volume of the pod`);
    const mode = mount.readOnly ? ":ro" : "";
    if (volume.emptyDir?.medium === "Memory" && mount.mountPath === "/dev/shm") continue; // --shm-size
    if (volume.emptyDir) args.push("--tmpfs", `${mount.mountPath}:mode=1777`);
    else if (facts.hostPaths[volume.name])
      args.push(
        "--volume",
        `${facts.hostPaths[volume.name]}${mount.subPath ? `/${mount.subPath}` : ""}:${mount.mountPath}${mode}`,
      );
  }
  return args;
}

function containerArgs(pod: Pod, container: Container, sandbox: string, facts: PodFacts): string[] {
  const spec = pod.spec ?? { containers: [] };
  const podSecurity = spec.securityContext ?? {};
  const security = container.securityContext ?? {};
  const uid = security.runAsUser ?? podSecurity.runAsUser;
  const gid = security.runAsGroup ?? podSecurity.runAsGroup;
  const groups = [
    ...(podSecurity.fsGroup === undefined ? [] : [podSecurity.fsGroup]),
    ...(podSecurity.supplementalGroups ?? []),
  ];
  const env = resolveEnv(pod, container.env, facts.podIP);
  const command = (container.command ?? []).map((w) => expandVars(w, env));
  const args = (container.args ?? []).map((w) => expandVars(w, env));
  const shm = (spec.volumes ?? []).find(
    (v) =>
      v.emptyDir?.medium === "Memory" &&
      (container.volumeMounts ?? []).some((m) => m.name === v.name && m.mountPath === "/dev/shm"),
  );
  const memory = container.resources?.limits?.memory;
  return [
    "--network",
    `container:${sandbox}`,
    "--label",
    `${POD_LABEL}=${pod.metadata?.uid ?? ""}`,
    "--volume",
    `${facts.hostsFile}:/etc/hosts:ro`,
    ...(uid === undefined ? [] : ["--user", gid === undefined ? String(uid) : `${uid}:${gid}`]),
    ...groups.flatMap((g) => ["--group-add", String(g)]),
    ...(security.allowPrivilegeEscalation === false ? ["--security-opt", "no-new-privileges"] : []),
    ...(security.capabilities?.drop ?? []).flatMap((c) => ["--cap-drop", c]),
    ...(security.capabilities?.add ?? []).flatMap((c) => ["--cap-add", c]),
    ...(security.readOnlyRootFilesystem ? ["--read-only"] : []),
    ...(shm?.emptyDir?.sizeLimit ? ["--shm-size", String(bytesOf(shm.emptyDir.sizeLimit))] : []),
    ...(memory ? ["--memory", String(bytesOf(memory))] : []),
    ...(container.workingDir ? ["--workdir", container.workingDir] : []),
    ...Object.entries(env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
    ...volumeArgs(container, spec.volumes ?? [], facts),
    ...(command.length ? ["--entrypoint", command[0] as string] : []),
    container.image ?? "",
    ...command.slice(1),
    ...args,
  ];
}

/** The pod's hostname: spec.hostname (Indexed Jobs and JobSets set it), else its name. */
export function hostnameOf(pod: Pod): string {
  return (pod.spec?.hostname ?? pod.metadata?.name ?? "pod").slice(0, 63);
}

export function planPod(pod: Pod, facts: PodFacts): PodPlan {
  const spec = pod.spec ?? { containers: [] };
  const sandboxName = dockerNameOf(pod, "-sandbox");
  const hostname = hostnameOf(pod);
  const first = spec.containers[0];
  if (!first?.image) throw new Error("the pod has no container with an image");
  const skipped = (spec.volumes ?? [])
    .filter((v) => !v.emptyDir && !facts.hostPaths[v.name])
    .map((v) => v.name);
  return {
    sandboxName,
    hostname,
    sandboxArgs: [
      "--network",
      "none",
      "--hostname",
      hostname,
      "--label",
      `${POD_LABEL}=${pod.metadata?.uid ?? ""}`,
      "--user",
      "65535:65535",
      "--entrypoint",
      "sleep",
      first.image,
      "infinity",
    ],
    containers: spec.containers.map((container) => {
      const dockerName = dockerNameOf(pod, `-${container.name}`);
      return { name: container.name, dockerName, args: containerArgs(pod, container, sandboxName, facts) };
    }),
    skipped,
  };
}

/** Hosts file lines for the pods of one namespace: `IP host.subdomain.ns.svc.cluster.local host.subdomain`. */
export function hostsFileFor(
  self: { ip: string; hostname: string },
  peers: { pod: Pod; ip: string }[],
): string {
  const lines = ["127.0.0.1 localhost", `${self.ip} ${self.hostname}`];
  for (const { pod, ip } of peers) {
    const sub = pod.spec?.subdomain;
    if (!sub) continue;
    const host = hostnameOf(pod);
    lines.push(
      `${ip} ${host}.${sub}.${pod.metadata?.namespace ?? "default"}.svc.cluster.local ${host}.${sub}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
