/**
 * The executor: torchstack's stand-in for a kubelet on the kwok nodes of `npm run k8s:setup`. Once a second it
 * lists the pods the real scheduler bound to its nodes and, for each new one, runs it with the local Docker
 * engine (pod-plan.ts: a sandbox in its own network namespace, then the pod's containers), names each
 * container's log file in a kwok `Logs` object (so `kubectl logs` reads it through the API server and kwok's
 * kubelet endpoint), and writes the pod's status back through the API: Running with its IP, then Succeeded or
 * Failed with each container's exit code. A pod marked for deletion has its containers removed and is then
 * deleted for good (grace period 0), as a kubelet does. Usage:
 *   node executor.mjs --kubeconfig FILE --state DIR --nodes n1,n2
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import type { PersistentVolume, PersistentVolumeClaim, Pod, PodList } from "kubernetes-types/core/v1.js";
import { KubeApiError, kubeApiFromKubeconfig } from "./kube-api.js";
import { addressOf, attachPod, detachPod, ensureSwitch, removeSwitch } from "./pod-network.js";
import { hostnameOf, hostsFileFor, planPod } from "./pod-plan.js";
import { type ContainerRun, runningStatus, terminatedStatus, waitingStatus } from "./pod-status.js";

const run = promisify(execFile);
const { values } = parseArgs({
  options: { kubeconfig: { type: "string" }, state: { type: "string" }, nodes: { type: "string" } },
});
if (!values.kubeconfig || !values.state || !values.nodes)
  throw new Error("usage: executor --kubeconfig FILE --state DIR --nodes n1,n2");
const STATE = values.state;
const NODES = new Set(values.nodes.split(","));
const api = kubeApiFromKubeconfig(values.kubeconfig);

interface Tracked {
  pod: Pod;
  slot: number;
  ip: string;
  hostsFile: string;
  state: "new" | "waiting" | "running" | "done" | "deleting";
  retryAt: number;
  startTime: string;
  runs: ContainerRun[];
  dockerNames: string[];
}

const tracked = new Map<string, Tracked>();
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const log = (line: string) => process.stderr.write(`${now()} ${line}\n`);
const podPath = (pod: Pod) => `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}`;
const nameOf = (pod: Pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

function freeSlot(): number {
  const used = new Set([...tracked.values()].map((t) => t.slot));
  let n = 1;
  while (used.has(n)) n += 1;
  return n;
}

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function patchStatus(pod: Pod, status: unknown): Promise<void> {
  await api.patch(`${podPath(pod)}/status`, { status });
}

/** Every pod of a namespace sees the others by their DNS names (the headless Service's stand-in). */
function rewriteHosts(namespace: string | undefined): void {
  const peers = [...tracked.values()].filter(
    (t) => t.pod.metadata?.namespace === namespace && t.state !== "deleting",
  );
  for (const t of peers)
    writeFileSync(
      t.hostsFile,
      hostsFileFor(
        { ip: t.ip, hostname: hostnameOf(t.pod) },
        peers.map((p) => ({ pod: p.pod, ip: p.ip })),
      ),
    );
}

/** Host folders for the pod's hostPath volumes and for claims bound to a hostPath volume. */
async function hostPathsOf(pod: Pod): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  for (const volume of pod.spec?.volumes ?? []) {
    if (volume.hostPath) paths[volume.name] = volume.hostPath.path;
    const claim = volume.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = await api.get<PersistentVolumeClaim>(
      `/api/v1/namespaces/${pod.metadata?.namespace}/persistentvolumeclaims/${claim}`,
    );
    if (!pvc.spec?.volumeName) throw new Error(`claim ${claim} is not bound to a volume`);
    const pv = await api.get<PersistentVolume>(`/api/v1/persistentvolumes/${pvc.spec.volumeName}`);
    if (!pv.spec?.hostPath)
      throw new Error(`volume ${pvc.spec.volumeName} (claim ${claim}) is not a hostPath volume`);
    paths[volume.name] = pv.spec.hostPath.path;
  }
  return paths;
}

async function imageMissing(pod: Pod): Promise<string | null> {
  for (const c of pod.spec?.containers ?? []) {
    try {
      await docker("image", "inspect", "--format", "{{.Id}}", c.image ?? "");
    } catch {
      return c.image ?? "";
    }
  }
  return null;
}

/** The kwok Logs object that points `kubectl logs` at each container's log file; deleted with the pod. */
async function publishLogs(pod: Pod, files: { name: string; file: string }[]): Promise<void> {
  const path = `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${pod.metadata?.namespace}/logs`;
  const body = {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Logs",
    metadata: {
      name: pod.metadata?.name,
      ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: pod.metadata?.name, uid: pod.metadata?.uid }],
    },
    spec: { logs: files.map((f) => ({ containers: [f.name], logsFile: f.file, follow: true })) },
  };
  try {
    await api.post(path, body);
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 409)) throw error;
    await api.delete(`${path}/${pod.metadata?.name}`);
    await api.post(path, body);
  }
}

async function finish(t: Tracked): Promise<void> {
  if (t.state !== "running" || t.runs.some((r) => !r.exit)) return;
  t.state = "done";
  log(`pod ${nameOf(t.pod)} ended: ${t.runs.map((r) => `${r.name} exit ${r.exit?.code}`).join(", ")}`);
  await patchStatus(t.pod, terminatedStatus(t.ip, t.startTime, t.runs, now())).catch((e) =>
    log(`status of ${nameOf(t.pod)}: ${e}`),
  );
  // The sandbox goes; the exited containers stay (their logs) until the pod is deleted.
  await docker("rm", "-f", t.dockerNames[0] as string).catch(() => "");
  detachPod(t.slot);
}

async function start(t: Tracked): Promise<void> {
  const pod = t.pod;
  const missing = await imageMissing(pod);
  if (missing !== null) {
    t.state = "waiting";
    t.retryAt = Date.now() + 5000;
    await patchStatus(
      pod,
      waitingStatus(
        pod,
        "ErrImageNeverPull",
        `image ${missing} is not in this machine's Docker engine (the executor runs local images only): torchstack build`,
      ),
    );
    return;
  }
  const plan = planPod(pod, { podIP: t.ip, hostsFile: t.hostsFile, hostPaths: await hostPathsOf(pod) });
  t.dockerNames = [plan.sandboxName, ...plan.containers.map((c) => c.dockerName)];
  await docker("run", "-d", "--name", plan.sandboxName, ...plan.sandboxArgs);
  attachPod(t.slot, Number(await docker("inspect", "--format", "{{.State.Pid}}", plan.sandboxName)));
  t.startTime = now();
  const files: { name: string; file: string }[] = [];
  for (const c of plan.containers) {
    const id = await docker("run", "-d", "--name", c.dockerName, ...c.args);
    const [startedAt, file] = (
      await docker("inspect", "--format", "{{.State.StartedAt}}|{{.LogPath}}", id)
    ).split("|");
    t.runs.push({
      name: c.name,
      image: pod.spec?.containers.find((x) => x.name === c.name)?.image ?? "",
      containerID: id,
      startedAt: (startedAt ?? t.startTime).replace(/\.\d+Z$/, "Z"),
    });
    files.push({ name: c.name, file: file ?? "" });
  }
  t.state = "running";
  await publishLogs(pod, files);
  await patchStatus(pod, runningStatus(t.ip, t.startTime, t.runs, now()));
  log(
    `pod ${nameOf(pod)} running at ${t.ip}${plan.skipped.length ? ` (not mounted: ${plan.skipped.join(", ")})` : ""}`,
  );
  for (const r of t.runs)
    run("docker", ["wait", r.containerID]).then(
      async ({ stdout }) => {
        r.exit = { code: Number(stdout.trim()), finishedAt: now() };
        await finish(t);
      },
      () => {
        r.exit = { code: 137, finishedAt: now() };
        return finish(t);
      },
    );
}

async function stop(uid: string): Promise<void> {
  const t = tracked.get(uid);
  if (!t) return;
  if (t.dockerNames.length) await docker("rm", "-f", ...t.dockerNames).catch(() => "");
  detachPod(t.slot);
  rmSync(t.hostsFile, { force: true });
  tracked.delete(uid);
}

async function tick(): Promise<void> {
  const list = await api.get<PodList>("/api/v1/pods?fieldSelector=spec.nodeName%21%3D");
  const mine = list.items.filter((pod) => NODES.has(pod.spec?.nodeName ?? ""));
  const seen = new Set(mine.map((pod) => pod.metadata?.uid ?? ""));
  for (const uid of [...tracked.keys()]) if (!seen.has(uid)) await stop(uid);
  const fresh: Tracked[] = [];
  for (const pod of mine) {
    const uid = pod.metadata?.uid ?? "";
    const t = tracked.get(uid);
    if (pod.metadata?.deletionTimestamp) {
      if (t?.state === "deleting") continue;
      await stop(uid);
      tracked.set(uid, { ...(t ?? blank(pod)), state: "deleting", dockerNames: [] });
      log(`pod ${nameOf(pod)} deleted: containers removed`);
      await api.delete(podPath(pod)).catch(() => undefined);
      continue;
    }
    if (t) {
      t.pod = pod;
      if (t.state === "waiting" && Date.now() >= t.retryAt) fresh.push(t);
      continue;
    }
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    const created = blank(pod);
    tracked.set(uid, created);
    fresh.push(created);
  }
  // Every new pod has its address before any starts, so peers started together resolve each other.
  for (const ns of new Set(fresh.map((t) => t.pod.metadata?.namespace))) rewriteHosts(ns);
  for (const t of fresh)
    await start(t).catch(async (error: unknown) => {
      const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      log(`pod ${nameOf(t.pod)} could not start: ${message}`);
      t.state = "waiting";
      t.retryAt = Number.POSITIVE_INFINITY;
      await patchStatus(t.pod, waitingStatus(t.pod, "CreateContainerError", message)).catch(() => undefined);
    });
}

function blank(pod: Pod): Tracked {
  const slot = freeSlot();
  return {
    pod,
    slot,
    ip: addressOf(slot),
    hostsFile: join(STATE, `${pod.metadata?.uid}.hosts`),
    state: "new",
    retryAt: 0,
    startTime: now(),
    runs: [],
    dockerNames: [],
  };
}

mkdirSync(STATE, { recursive: true });
ensureSwitch();
writeFileSync(join(STATE, ".ready"), `${process.pid}\n`);
log(`executor for nodes ${[...NODES].join(", ")}`);
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.on(signal, () => {
    stopping = true;
    for (const uid of [...tracked.keys()]) {
      const t = tracked.get(uid);
      if (t?.dockerNames.length) {
        try {
          execFileSync("docker", ["rm", "-f", ...t.dockerNames], { stdio: "ignore" });
        } catch {}
      }
      if (t) detachPod(t.slot);
    }
    removeSwitch();
    process.exit(0);
  });
while (!stopping) {
  await tick().catch((error: unknown) =>
    log(`tick: ${error instanceof Error ? error.message : String(error)}`),
  );
  await new Promise((done) => setTimeout(done, 1000));
}
