/**
 * Kubernetes pods executed for real, without a cluster (switched on by
 * TORCHSTACK_E2E=1): `job render --target kubernetes -o DIR` writes the
 * manifests, and this harness runs every pod they describe the way a kubelet
 * would (Indexed Job, JobSet and TrainJob forms) — a sandbox container per pod (`--network none`, the pod's hostname,
 * the cluster DNS names of every pod in its hosts file) whose network
 * namespace is named with `ip netns attach` and wired to the others by veth
 * pairs through a switch namespace the test creates, with addresses chosen
 * inside those namespaces only; then the pod's container joins the sandbox with
 * the pod's command as its entrypoint (as `command` replaces ENTRYPOINT), its
 * env resolved (`fieldRef`, `$(VAR)` expansion, JOB_COMPLETION_INDEX, the
 * Trainer's PET_*), its user and groups, its /dev/shm size and the workspace
 * claim bound to the DDP fixture. 2 pods × 2 ranks with gloo must complete.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import {
  HAS_REFERENCE,
  NO_REFERENCE,
  REFERENCE_K8S,
} from "../unit/job/kubernetes/reference-crds.test-support.js";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const enabled = process.env.TORCHSTACK_E2E === "1";
const FIXTURES = join(ROOT, "test", "fixtures", "jobs");
/** The default ClusterTrainingRuntime, from the project's reference copies (../shared/reference/k8s). */
const RUNTIME = join(REFERENCE_K8S, "runtime-torch-distributed.yaml");
const COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
const CLAIM = "train-workspace";
const TAG = `${process.pid % 10000}`;

// biome-ignore lint/suspicious/noExplicitAny: the harness walks parsed manifests by hand, field by field
type Json = Record<string, any>;

/** What a kubelet would start for one pod. */
interface PodRun {
  name: string;
  hostname: string;
  subdomain: string;
  namespace: string;
  image: string;
  command: string[];
  env: Record<string, string>;
  workingDir?: string;
  user: { uid: number; gid: number; fsGroup?: number };
  shmBytes: number;
  /** Claim name → mount path. */
  claims: Record<string, string>;
}

function ip(...args: string[]): void {
  const result = spawnSync("ip", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")}: ${result.stderr}`);
}

function bytesOf(quantity: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (!m) throw new Error(`unsupported quantity ${quantity}`);
  return Number(m[1]) * 1024 ** ["", "Ki", "Mi", "Gi", "Ti"].indexOf(m[2] ?? "");
}

/** Kubernetes' `$(VAR)` expansion in command and args: defined names are replaced, `$$` escapes. */
function expand(word: string, env: Record<string, string>): string {
  return word.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name?: string) =>
    match === "$$" ? "$" : name !== undefined && name in env ? (env[name] as string) : match,
  );
}

function resolveEnv(list: Json[] | undefined, pod: { name: string; annotations: Record<string, string> }) {
  const env: Record<string, string> = {};
  for (const item of list ?? []) {
    if (item.value !== undefined) env[item.name] = expand(String(item.value), env);
    const path: string | undefined = item.valueFrom?.fieldRef?.fieldPath;
    if (path === "metadata.name") env[item.name] = pod.name;
    const annotation = path && /^metadata\.annotations\['(.+)'\]$/.exec(path)?.[1];
    if (annotation) env[item.name] = pod.annotations[annotation] ?? "";
  }
  return env;
}

/** The pod-level parts every flavor shares, from a pod spec and its one container. */
function podRun(
  spec: Json,
  container: Json,
  pod: { name: string; hostname: string; subdomain: string; namespace: string; index: number },
  injected: Record<string, string>,
): PodRun {
  const annotations = { [COMPLETION_INDEX]: String(pod.index) };
  const env = { ...injected, ...resolveEnv(container.env, { name: pod.name, annotations }) };
  env.JOB_COMPLETION_INDEX ??= String(pod.index);
  const shm = (spec.volumes ?? []).find((v: Json) => v.emptyDir?.medium === "Memory");
  const mountOf = (volume: string) =>
    (container.volumeMounts ?? []).find((m: Json) => m.name === volume)?.mountPath as string | undefined;
  const claims: Record<string, string> = {};
  for (const volume of spec.volumes ?? []) {
    const path = mountOf(volume.name);
    if (volume.persistentVolumeClaim && path) claims[volume.persistentVolumeClaim.claimName] = path;
  }
  expect(mountOf(shm?.name), "the shm volume is mounted at /dev/shm").toBe("/dev/shm");
  const security = spec.securityContext ?? {};
  expect(security.runAsNonRoot).toBe(true);
  return {
    ...pod,
    image: container.image,
    command: [...(container.command ?? []), ...(container.args ?? [])].map((w: string) => expand(w, env)),
    env,
    workingDir: container.workingDir,
    user: { uid: security.runAsUser, gid: security.runAsGroup, fsGroup: security.fsGroup },
    shmBytes: bytesOf(shm.emptyDir.sizeLimit),
    claims,
  };
}

/** The Indexed Job's pods: `<job>-<i>` in the Service's subdomain. */
function indexedJobPods(objects: Json[]): PodRun[] {
  const job = objects.find((o) => o.kind === "Job") as Json;
  const service = objects.find((o) => o.kind === "Service") as Json;
  expect(service.spec).toMatchObject({ clusterIP: "None", publishNotReadyAddresses: true });
  const spec = job.spec.template.spec;
  expect(spec.subdomain).toBe(service.metadata.name);
  return Array.from({ length: job.spec.completions }, (_, index) =>
    podRun(
      spec,
      spec.containers[0],
      {
        name: `${job.metadata.name}-${index}-x${TAG}`,
        hostname: `${job.metadata.name}-${index}`,
        subdomain: spec.subdomain,
        namespace: job.metadata.namespace,
        index,
      },
      {},
    ),
  );
}

/** The JobSet's pods: replicated job `node`, one Job of N indexed pods `<jobset>-node-0-<i>` in the JobSet's subdomain. */
function jobSetPods(objects: Json[]): PodRun[] {
  const jobSet = objects.find((o) => o.kind === "JobSet") as Json;
  expect(jobSet.spec.network).toMatchObject({ enableDNSHostnames: true, publishNotReadyAddresses: true });
  const node = jobSet.spec.replicatedJobs.find((r: Json) => r.name === "node");
  const spec = node.template.spec.template.spec;
  const name = jobSet.metadata.name;
  return Array.from({ length: node.template.spec.completions }, (_, index) =>
    podRun(
      spec,
      spec.containers[0],
      {
        name: `${name}-node-0-${index}-x${TAG}`,
        hostname: `${name}-node-0-${index}`,
        subdomain: jobSet.spec.network.subdomain ?? name,
        namespace: jobSet.metadata.namespace,
        index,
      },
      {},
    ),
  );
}

/** The TrainJob on the torch-distributed runtime: a JobSet `node` job, trainer fields and patches applied. */
function trainJobPods(objects: Json[]): PodRun[] {
  const trainJob = objects.find((o) => o.kind === "TrainJob") as Json;
  const runtime = parseAllDocuments(readFileSync(RUNTIME, "utf8"))[0]?.toJS() as Json;
  expect(trainJob.spec.runtimeRef.name).toBe(runtime.metadata.name);
  const node = runtime.spec.template.spec.replicatedJobs.find((r: Json) => r.name === "node");
  const spec = structuredClone(node.template.spec.template.spec) as Json;
  const container = spec.containers.find((c: Json) => c.name === "node");
  const { trainer } = trainJob.spec;
  Object.assign(container, { image: trainer.image, command: trainer.command, env: trainer.env });
  for (const patch of trainJob.spec.runtimePatches ?? []) {
    for (const job of patch.trainingRuntimeSpec?.template?.spec?.replicatedJobs ?? []) {
      if (job.name !== "node") continue;
      const { containers = [], ...podPatch } = job.template.spec.template.spec;
      Object.assign(spec, podPatch);
      for (const c of containers)
        Object.assign(
          spec.containers.find((x: Json) => x.name === c.name),
          c,
        );
    }
  }
  const name = trainJob.metadata.name;
  return Array.from({ length: trainer.numNodes }, (_, index) =>
    podRun(
      spec,
      container,
      {
        name: `${name}-node-0-${index}-x${TAG}`,
        hostname: `${name}-node-0-${index}`,
        subdomain: name,
        namespace: trainJob.metadata.namespace,
        index,
      },
      {
        PET_NNODES: String(trainer.numNodes),
        PET_NPROC_PER_NODE: String(trainer.numProcPerNode),
        PET_NODE_RANK: String(index),
        PET_MASTER_ADDR: `${name}-node-0-0.${name}`,
        PET_MASTER_PORT: "29500",
      },
    ),
  );
}

/** Runs pods as sandbox + app containers in namespaces joined by a switch; returns each pod's exit code and log. */
function runPods(pods: PodRun[], claimSources: Record<string, string>, label: string) {
  const sw = `tsa${TAG}sw`;
  const sandboxes: string[] = [];
  const apps: string[] = [];
  const names: string[] = [];
  const address = (i: number) => `10.214.${Number(TAG) % 250}.${i + 10}`;
  const hosts = pods.flatMap((pod, i) => [
    `--add-host=${pod.hostname}.${pod.subdomain}.${pod.namespace}.svc.cluster.local:${address(i)}`,
    `--add-host=${pod.hostname}.${pod.subdomain}:${address(i)}`,
  ]);
  try {
    ip("netns", "add", sw);
    ip("-n", sw, "link", "add", "br0", "type", "bridge");
    ip("-n", sw, "link", "set", "br0", "up");
    pods.forEach((pod, i) => {
      const sandbox = `tsa-${label}-${i}-${TAG}`;
      const started = docker(
        ...["run", "-d", "--name", sandbox, "--network", "none", "--hostname", pod.hostname, ...hosts],
        `--add-host=${pod.hostname}:${address(i)}`,
        ...[
          "--user",
          "65535:65535",
          "--no-healthcheck",
          "--label",
          "dev.torchstack.test=job-pods",
          "--entrypoint",
          "sleep",
        ],
        ...[pod.image, "infinity"],
      );
      if (started.status !== 0) throw new Error(`sandbox ${sandbox}: ${started.stderr}`);
      sandboxes.push(sandbox);
      const pid = docker("inspect", "--format", "{{.State.Pid}}", sandbox).stdout.trim();
      const ns = `tsa${TAG}p${i}`;
      ip("netns", "attach", ns, pid);
      names.push(ns);
      ip("link", "add", `tsa${TAG}v${i}`, "netns", sw, "type", "veth", "peer", "name", "eth0", "netns", ns);
      ip("-n", sw, "link", "set", `tsa${TAG}v${i}`, "master", "br0", "up");
      ip("-n", ns, "addr", "add", `${address(i)}/24`, "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
    });
    pods.forEach((pod, i) => {
      const app = `tsa-${label}-${i}-${TAG}-app`;
      const [entry, ...args] = pod.command;
      const mounts = Object.entries(pod.claims).flatMap(([claim, path]) => [
        "--volume",
        `${claimSources[claim]}:${path}:ro`,
      ]);
      const started = docker(
        ...["run", "-d", "--name", app, "--network", `container:${sandboxes[i]}`],
        ...["--user", `${pod.user.uid}:${pod.user.gid}`],
        ...(pod.user.fsGroup === undefined ? [] : ["--group-add", String(pod.user.fsGroup)]),
        ...["--shm-size", String(pod.shmBytes), "--security-opt", "no-new-privileges", "--cap-drop", "ALL"],
        ...(pod.workingDir ? ["--workdir", pod.workingDir] : []),
        ...Object.entries(pod.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
        ...mounts,
        ...[
          "--no-healthcheck",
          "--label",
          "dev.torchstack.test=job-pods",
          "--entrypoint",
          entry as string,
          pod.image,
          ...args,
        ],
      );
      if (started.status !== 0) throw new Error(`pod ${app}: ${started.stderr}`);
      apps.push(app);
    });
    const waited = spawnSync("docker", ["wait", ...apps], { encoding: "utf8", timeout: 240_000 });
    const codes = waited.stdout.trim().split("\n").map(Number);
    return apps.map((app, i) => {
      const logs = docker("logs", app);
      return { pod: pods[i] as PodRun, code: codes[i], log: `${logs.stdout}${logs.stderr}` };
    });
  } finally {
    for (const name of [...apps, ...sandboxes]) docker("rm", "-f", name);
    for (const ns of names) spawnSync("ip", ["netns", "del", ns]);
    spawnSync("ip", ["netns", "del", sw]);
  }
}

describe.skipIf(!enabled)("Kubernetes pods from rendered manifests, executed for real", () => {
  const root = mkdtempSync(join(tmpdir(), "torchstack-job-pods-"));
  const env = { ...process.env, TORCHSTACK_STATE_DIR: join(root, "state"), HOME: join(root, "home") };
  const project = join(root, "project");
  const spec = join(project, "torchstack.yaml");

  beforeAll(async () => {
    ensureBundle();
    mkdirSync(env.HOME, { recursive: true });
    mkdirSync(project);
    cpSync(join(FIXTURES, "ddp_train.py"), join(project, "ddp_train.py"));
    const example = readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8");
    writeFileSync(
      spec,
      `${example}job:
  command: [python3, ddp_train.py]
  nodes: 2
  procsPerNode: 2
  shm: 256m
  env: {STEPS: "4"}
  kubernetes: {namespace: training, workspaceClaim: ${CLAIM}}
`,
    );
    const built = await torchstack(["build", "-f", spec, "--network", "host", "--json"], env);
    expect(built.code, built.stderr).toBe(0);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const [flavor, podsOf] of [
    ["indexed-job", indexedJobPods],
    ["jobset", jobSetPods],
    ["trainjob", trainJobPods],
  ] as const) {
    const needsRuntime = flavor === "trainjob" && !HAS_REFERENCE;
    it.skipIf(needsRuntime)(
      `${flavor}: 2 pods × 2 ranks (gloo) complete from the rendered manifests${needsRuntime ? ` (${NO_REFERENCE})` : ""}`,
      async () => {
        const out = join(root, flavor);
        const rendered = await torchstack(
          ["job", "render", "--target", "kubernetes", "--flavor", flavor, "-f", spec, "-o", out, "--json"],
          env,
        );
        expect(rendered.code, rendered.stderr).toBe(0);
        const file = readdirSync(out).find((f) => f.endsWith(".yaml")) as string;
        const objects = parseAllDocuments(readFileSync(join(out, file), "utf8")).map((d) => d.toJS() as Json);
        const pods = podsOf(objects);
        expect(pods).toHaveLength(2);
        const results = runPods(
          pods,
          { [CLAIM]: project },
          { "indexed-job": "ij", jobset: "js", trainjob: "tj" }[flavor],
        );
        const logs = results.map((r) => `--- ${r.pod.hostname} (exit ${r.code})\n${r.log}`).join("\n");
        for (const result of results) expect(result.code, logs).toBe(0);
        expect(logs).toContain("DDP-OK world=4 nodes=2 steps=4");
        for (const rank of [0, 1, 2, 3])
          expect(logs).toMatch(new RegExp(`rank ${rank}/4 .*uid 1000 .*all-reduce True`));
        expect(logs).toContain(`host ${pods[1]?.hostname}`);
      },
    );
  }

  it("the harness can fail: the same pods with a failing rank do not complete", async () => {
    const out = join(root, "indexed-job");
    const file = readdirSync(out).find((f) => f.endsWith(".yaml")) as string;
    const pods = indexedJobPods(
      parseAllDocuments(readFileSync(join(out, file), "utf8")).map((d) => d.toJS() as Json),
    );
    const failing = pods.map((pod, i) => (i === 1 ? { ...pod, env: { ...pod.env, FAIL_RANK: "3" } } : pod));
    const results = runPods(failing, { [CLAIM]: project }, "ix");
    expect(results[1]?.code, results.map((r) => r.log).join("\n")).not.toBe(0);
    expect(results.map((r) => r.log).join("\n")).not.toContain("DDP-OK");
  });

  it.skipIf(!HAS_REFERENCE)(
    `job check passes the rendered manifests (CRDs from TORCHSTACK_K8S_SCHEMAS) and flags the local-only image for the cluster${HAS_REFERENCE ? "" : ` (${NO_REFERENCE})`}`,
    async () => {
      const checked = await torchstack(["job", "check", "--target", "kubernetes", "-f", spec, "--json"], {
        ...env,
        TORCHSTACK_K8S_SCHEMAS: REFERENCE_K8S,
      });
      const report = checked.json as { ok: boolean; checks: { id: string; status: string; code?: string }[] };
      expect(report.checks.find((c) => c.id === "manifests")?.status).toBe("pass");
      expect(report.checks.find((c) => c.id === "image")).toMatchObject({
        status: "fail",
        code: "E_JOB_IMAGE_LOCAL",
      });
      expect(report.ok).toBe(false);
      expect(checked.code).toBe(1);
    },
  );
});
