/**
 * `job run --target kubernetes` against a real control plane (`npm run k8s:setup`; switched on by
 * TORCHSTACK_E2E=1 and skipped with the reason when the plane is not up): kubectl applies the rendered
 * objects to the real API server, the real Job and JobSet controllers create the pods, the real scheduler
 * binds them to the kwok nodes, and the executor runs them with the local engine and reports their status
 * through the API. 2 pods × 2 gloo ranks COMPLETE as an Indexed Job and as a JobSet; an injected rank
 * failure ends FAILED and `job diagnose` names the rank from `kubectl logs`; `job cancel` deletes the
 * workload and the executor removes its containers.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, ensureBundle, ROOT, torchstack } from "./cli-process.js";

const K8S_DIR = process.env.TORCHSTACK_K8S_DIR || "/var/lib/torchstack-k8s";
const KUBECTL = join(K8S_DIR, "bin", "kubectl");
const KUBECONFIG = join(K8S_DIR, "kubeconfig");
const FIXTURES = join(ROOT, "test", "fixtures", "jobs-run");
const TAG = `${process.pid % 100000}`;

function kubectl(...args: string[]) {
  return spawnSync(KUBECTL, ["--kubeconfig", KUBECONFIG, ...args], { encoding: "utf8" });
}

function planeUp(): string | null {
  if (process.env.TORCHSTACK_E2E !== "1") return "TORCHSTACK_E2E is not 1";
  const nodes = kubectl("get", "nodes", "--no-headers");
  if (nodes.status !== 0) return `no control plane answers (${KUBECONFIG}): run npm run k8s:setup`;
  if ((nodes.stdout.match(/ Ready /g) ?? []).length < 2)
    return "the control plane has fewer than 2 Ready nodes";
  return null;
}

const skip = planeUp();
if (skip) console.warn(`job-kubernetes-cluster e2e skipped: ${skip}`);

/** Pod objects as the server has them, for one workload label. */
function podsOf(namespace: string, selector: string) {
  const got = kubectl("get", "pods", "--namespace", namespace, "--selector", selector, "--output", "json");
  expect(got.status, got.stderr).toBe(0);
  return (
    JSON.parse(got.stdout) as {
      items: {
        metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
        spec: { nodeName?: string; hostname?: string; subdomain?: string };
        status: { phase?: string };
      }[];
    }
  ).items;
}

/**
 * The test cluster's nodes run pods from this machine's engine, so the image needs no registry: job run's
 * checks would stop at E_JOB_IMAGE_LOCAL (right for a real cluster, and asserted once below).
 */
const NO_PUSH_NEEDED = "--no-check";

describe.skipIf(skip !== null)("job run --target kubernetes on a real control plane", () => {
  const workspace = mkdtempSync(join(tmpdir(), "ts-job-k8s-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: workspace,
    TORCHSTACK_STATE_DIR: join(workspace, ".state"),
    TORCHSTACK_KUBECTL: KUBECTL,
    KUBECONFIG,
  };
  const cli = (args: string[]) => torchstack(args, env, workspace);
  const namespaces: string[] = [];

  /** A namespace with a claim bound to the workspace folder (a hostPath volume), and a spec running there. */
  async function prepare(kind: string, jobEnv: Record<string, string>): Promise<string> {
    const ns = `ts-e2e-${kind}-${TAG}`;
    namespaces.push(ns);
    const objects = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
      {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name: ns },
        spec: {
          capacity: { storage: "1Gi" },
          accessModes: ["ReadWriteMany"],
          storageClassName: "",
          hostPath: { path: workspace },
          claimRef: { namespace: ns, name: "workspace" },
        },
      },
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "workspace", namespace: ns },
        spec: {
          accessModes: ["ReadWriteMany"],
          storageClassName: "",
          volumeName: ns,
          resources: { requests: { storage: "1Gi" } },
        },
      },
    ];
    const file = join(workspace, `${ns}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
    const applied = kubectl("apply", "-f", file);
    expect(applied.status, applied.stderr).toBe(0);
    const example = readFileSync(join(ROOT, "examples", "cpu", "torchstack.yaml"), "utf8");
    const spec = join(workspace, `${kind}.yaml`);
    writeFileSync(
      spec,
      `${example}job:
  command: [python3, train.py]
  nodes: 2
  procsPerNode: 2
  shm: 256m
  env: ${JSON.stringify(jobEnv)}
  kubernetes: {namespace: ${ns}, workspaceClaim: workspace}
`,
    );
    // Every spec file gets its own lock; the image is the same, so this build is a cache hit after the first.
    const built = await cli(["build", "-f", spec, "--network", "host", "--json"]);
    expect(built.code, built.stderr).toBe(0);
    return spec;
  }

  beforeAll(async () => {
    ensureBundle();
    chmodSync(workspace, 0o755); // the ranks run as the image's user (uid 1000)
    copyFileSync(join(FIXTURES, "train.py"), join(workspace, "train.py"));
  });

  afterAll(() => {
    for (const ns of namespaces) {
      kubectl("delete", "namespace", ns, "--wait=false", "--ignore-not-found");
      kubectl("delete", "persistentvolume", ns, "--wait=false", "--ignore-not-found");
    }
    rmSync(workspace, { recursive: true, force: true });
  });

  for (const [flavor, label, owner] of [
    ["indexed-job", "batch.kubernetes.io/job-name", "Job"],
    ["jobset", "jobset.sigs.k8s.io/jobset-name", "Job"],
  ] as const) {
    it(`${flavor}: admitted by the API server, pods made by the controllers, 2 × 2 ranks COMPLETED`, async () => {
      const spec = await prepare(flavor === "jobset" ? "js" : "ij", {});
      const run = await cli([
        "job",
        "run",
        "--target",
        "kubernetes",
        "--flavor",
        flavor,
        "-f",
        spec,
        "--wait",
        "--json",
        NO_PUSH_NEEDED,
      ]);
      expect(run.code, run.stderr).toBe(0);
      const result = run.json as { id: string; state: string };
      expect(result.state).toBe("COMPLETED");
      const ns = `ts-e2e-${flavor === "jobset" ? "js" : "ij"}-${TAG}`;
      const pods = podsOf(ns, `${label}=cpu-example`);
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        expect(pod.metadata.ownerReferences?.[0]?.kind).toBe(owner);
        expect(pod.spec.nodeName).toMatch(/^ts-k8s-n[12]$/);
        expect(pod.status.phase).toBe("Succeeded");
        expect(pod.spec.subdomain).toBeTruthy();
      }
      const logs = await cli(["job", "logs", result.id]);
      expect(logs.code, logs.stderr).toBe(0);
      for (const rank of [0, 1, 2, 3]) expect(logs.stdout).toContain(`rank ${rank}: all_reduce sum 6`);
      const hosts = pods.map((p) => p.spec.hostname).sort();
      expect(logs.stdout).toContain(`on ${hosts[1]} up`);
      const status = await cli(["job", "status", result.id, "--json"]);
      expect(status.json).toMatchObject({ state: "COMPLETED" });
      const list = await cli(["job", "list", "--json"]);
      expect(JSON.stringify(list.json)).toContain(result.id);
    });
  }

  it("job run checks first: an image only this machine has stops it before anything is submitted", async () => {
    const spec = await prepare("chk", {});
    const run = await cli([
      "job",
      "run",
      "--target",
      "kubernetes",
      "--flavor",
      "jobset",
      "-f",
      spec,
      "--json",
    ]);
    expect(run.code).toBe(1);
    expect(run.json).toMatchObject({ ok: false, error: { code: "E_JOB_IMAGE_LOCAL" } });
    expect(kubectl("get", "jobsets", "-n", `ts-e2e-chk-${TAG}`, "-o", "name").stdout.trim()).toBe("");
  });

  it("a second run of the same job: E_JOB_EXISTS with the choice, and --replace runs it anew", async () => {
    const spec = await prepare("again", {});
    const args = [
      "job",
      "run",
      "--target",
      "kubernetes",
      "--flavor",
      "jobset",
      "-f",
      spec,
      "--json",
      NO_PUSH_NEEDED,
    ];
    const first = await cli([...args, "--wait"]);
    expect(first.code, first.stderr).toBe(0);
    const again = await cli(args);
    expect(again.code).toBe(1);
    expect(again.json).toMatchObject({ ok: false, error: { code: "E_JOB_EXISTS" } });
    expect(JSON.stringify(again.json)).toContain("--replace");
    expect(again.stderr).not.toContain("immutable");
    const replaced = await cli([...args, "--wait", "--replace"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.json).toMatchObject({ state: "COMPLETED" });
    expect((replaced.json as { id: string }).id).not.toBe((first.json as { id: string }).id);
    const logs = await cli(["job", "logs", (replaced.json as { id: string }).id]);
    expect(logs.stdout).toContain("rank 3: all_reduce sum 6");
  });

  it("an injected rank failure ends FAILED and job diagnose names that rank", async () => {
    const spec = await prepare("fail", { FAIL_RANK: "3" });
    const run = await cli([
      "job",
      "run",
      "--target",
      "kubernetes",
      "--flavor",
      "jobset",
      "-f",
      spec,
      "--wait",
      "--json",
      NO_PUSH_NEEDED,
    ]);
    expect(run.code).toBe(1);
    const failed = run.json as { id: string; state: string };
    expect(failed.state, run.stderr).toBe("FAILED");
    const diagnosis = await cli(["job", "diagnose", failed.id, "--json"]);
    expect(diagnosis.code, diagnosis.stderr).toBe(0);
    const root = (diagnosis.json as { rootCause: Record<string, unknown> }).rootCause;
    expect(root, diagnosis.stdout).toMatchObject({ rank: 3 });
    expect(String(root.evidence)).toContain("injected failure on rank 3");
  });

  it("nothing fakes a pod's progress: a pod whose image the engine lacks stays Pending with ErrImageNeverPull", async () => {
    const ns = `ts-e2e-noimage-${TAG}`;
    namespaces.push(ns);
    expect(kubectl("create", "namespace", ns).status).toBe(0);
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "no-image", namespace: ns },
      spec: {
        restartPolicy: "Never",
        automountServiceAccountToken: false,
        containers: [{ name: "main", image: `torchstack-missing-${TAG}:none`, command: ["true"] }],
      },
    };
    const file = join(workspace, `${ns}.json`);
    writeFileSync(file, JSON.stringify(pod));
    let created = kubectl("apply", "-f", file);
    for (let i = 0; i < 20 && created.status !== 0; i += 1) {
      await new Promise((done) => setTimeout(done, 500)); // the namespace's default service account comes first
      created = kubectl("apply", "-f", file);
    }
    expect(created.status, created.stderr).toBe(0);
    let reason = "";
    for (let i = 0; i < 40 && reason === ""; i += 1) {
      await new Promise((done) => setTimeout(done, 500));
      const got = kubectl("get", "pod", "no-image", "--namespace", ns, "--output", "json");
      const status = (JSON.parse(got.stdout) as { status: Record<string, unknown> }).status as {
        phase?: string;
        containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
      };
      expect(status.phase).toBe("Pending");
      reason = status.containerStatuses?.[0]?.state?.waiting?.reason ?? "";
    }
    expect(reason).toBe("ErrImageNeverPull");
    await new Promise((done) => setTimeout(done, 3000));
    const later = kubectl(
      "get",
      "pod",
      "no-image",
      "--namespace",
      ns,
      "--output",
      "jsonpath={.status.phase}",
    );
    expect(later.stdout).toBe("Pending");
  });

  it("job cancel deletes the workload and the executor removes its pods' containers", async () => {
    const spec = await prepare("cancel", { SLEEP_S: "300" });
    const ns = `ts-e2e-cancel-${TAG}`;
    const run = await cli([
      "job",
      "run",
      "--target",
      "kubernetes",
      "--flavor",
      "indexed-job",
      "-f",
      spec,
      "--json",
      NO_PUSH_NEEDED,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const id = (run.json as { id: string }).id;
    for (let i = 0; i < 120; i += 1) {
      if (
        podsOf(ns, "batch.kubernetes.io/job-name=cpu-example").filter((p) => p.status.phase === "Running")
          .length === 2
      )
        break;
      await new Promise((done) => setTimeout(done, 500));
    }
    const cancel = await cli(["job", "cancel", id, "--json"]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.json).toMatchObject({ state: "CANCELLED" });
    for (let i = 0; i < 60; i += 1) {
      const left = podsOf(ns, "batch.kubernetes.io/job-name=cpu-example").length;
      const containers = docker(
        "ps",
        "-q",
        "--filter",
        "label=dev.torchstack.k8s-pod",
        "--filter",
        `name=cpu-example`,
      );
      if (left === 0 && containers.stdout.trim() === "") return;
      await new Promise((done) => setTimeout(done, 500));
    }
    throw new Error("pods or their containers still there after job cancel");
  });
});
