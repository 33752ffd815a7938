/**
 * The executor's pure parts (scripts/k8s-executor/): how a pod object, as the real Job controller makes it,
 * becomes docker arguments, a hosts file and the status written back.
 */
import type { Pod } from "kubernetes-types/core/v1.js";
import { describe, expect, it } from "vitest";
import { expandVars, hostsFileFor, planPod } from "../../../../scripts/k8s-executor/pod-plan.js";
import {
  runningStatus,
  terminatedStatus,
  waitingStatus,
} from "../../../../scripts/k8s-executor/pod-status.js";

/** Pod 1 of an Indexed Job as the Job controller creates it (hostname, subdomain, index annotation). */
const pod: Pod = {
  metadata: {
    name: "train-1-x7k2p",
    namespace: "training",
    uid: "0b6f2c1e-aaaa-bbbb-cccc-000000000001",
    annotations: { "batch.kubernetes.io/job-completion-index": "1" },
  },
  spec: {
    nodeName: "ts-k8s-n2",
    hostname: "train-1",
    subdomain: "train",
    restartPolicy: "Never",
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
    containers: [
      {
        name: "node",
        image: "train:lock-1",
        command: ["torchrun", "--node_rank=$(JOB_COMPLETION_INDEX)", "--master_addr=train-0.train", "$$HOME"],
        env: [
          {
            name: "JOB_COMPLETION_INDEX",
            valueFrom: {
              fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
            },
          },
          { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "RANK_NOTE", value: "rank $(JOB_COMPLETION_INDEX)" },
        ],
        workingDir: "/workspace",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
        volumeMounts: [
          { name: "dshm", mountPath: "/dev/shm" },
          { name: "workspace", mountPath: "/workspace" },
          {
            name: "kube-api-access",
            mountPath: "/var/run/secrets/kubernetes.io/serviceaccount",
            readOnly: true,
          },
        ],
      },
    ],
    volumes: [
      { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "256Mi" } },
      { name: "workspace", persistentVolumeClaim: { claimName: "train-workspace" } },
      { name: "kube-api-access", projected: { sources: [] } },
    ],
  },
};
const facts = { podIP: "10.216.0.12", hostsFile: "/state/x.hosts", hostPaths: { workspace: "/srv/project" } };

describe("planPod", () => {
  const plan = planPod(pod, facts);
  const args = plan.containers[0]?.args ?? [];
  const pair = (flag: string, value: string) => args.some((arg, i) => arg === flag && args[i + 1] === value);

  it("starts a sandbox with the pod's hostname and no network, and joins the container to it", () => {
    expect(plan.hostname).toBe("train-1");
    expect(plan.sandboxArgs.slice(0, 4)).toEqual(["--network", "none", "--hostname", "train-1"]);
    expect(pair("--network", `container:${plan.sandboxName}`)).toBe(true);
    expect(pair("--volume", "/state/x.hosts:/etc/hosts:ro")).toBe(true);
  });

  it("runs the command as the entrypoint with $(VAR) expanded from the index annotation", () => {
    const image = args.indexOf("train:lock-1");
    expect(args[image - 2]).toBe("--entrypoint");
    expect(args[image - 1]).toBe("torchrun");
    expect(args.slice(image + 1)).toEqual(["--node_rank=1", "--master_addr=train-0.train", "$HOME"]);
    expect(pair("--env", "JOB_COMPLETION_INDEX=1")).toBe(true);
    expect(pair("--env", "POD=train-1-x7k2p")).toBe(true);
    expect(pair("--env", "RANK_NOTE=rank 1")).toBe(true);
  });

  it("applies user, groups, capabilities, /dev/shm and the claim's host folder; skips what it cannot mount", () => {
    expect(pair("--user", "1000:1000")).toBe(true);
    expect(pair("--group-add", "1000")).toBe(true);
    expect(pair("--cap-drop", "ALL")).toBe(true);
    expect(pair("--security-opt", "no-new-privileges")).toBe(true);
    expect(pair("--shm-size", String(256 * 2 ** 20))).toBe(true);
    expect(pair("--volume", "/srv/project:/workspace")).toBe(true);
    expect(pair("--workdir", "/workspace")).toBe(true);
    expect(plan.skipped).toEqual(["kube-api-access"]);
  });

  it("refuses a mount that names no volume", () => {
    const broken = structuredClone(pod);
    broken.spec?.containers[0]?.volumeMounts?.push({ name: "nope", mountPath: "/x" });
    expect(() => planPod(broken, facts)).toThrow(/volumeMount nope names no volume/);
  });
});

it("expandVars leaves unknown names and unescapes $$", () => {
  expect(expandVars("$(A)-$(B)-$$(A)", { A: "1" })).toBe("1-$(B)-$(A)");
});

it("hostsFileFor names every peer by its cluster DNS names", () => {
  const peer: Pod = { ...pod, spec: { ...pod.spec, hostname: "train-0", containers: [] } };
  expect(hostsFileFor({ ip: "10.216.0.12", hostname: "train-1" }, [{ pod: peer, ip: "10.216.0.11" }])).toBe(
    "127.0.0.1 localhost\n10.216.0.12 train-1\n10.216.0.11 train-0.train.training.svc.cluster.local train-0.train\n",
  );
});

describe("pod status", () => {
  const run = { name: "node", image: "train:lock-1", containerID: "abc", startedAt: "2026-12-05T09:00:00Z" };
  it("is Running with the pod's IP while its container runs", () => {
    const status = runningStatus("10.216.0.12", "2026-12-05T09:00:00Z", [run], "2026-12-05T09:00:01Z");
    expect(status).toMatchObject({ phase: "Running", podIP: "10.216.0.12" });
    expect(status.containerStatuses?.[0]?.state?.running).toBeDefined();
  });
  it("is Failed with the exit code when a container exits non-zero, Succeeded when all exit 0", () => {
    const at = "2026-12-05T09:01:00Z";
    const failed = terminatedStatus("10.216.0.12", at, [{ ...run, exit: { code: 1, finishedAt: at } }], at);
    expect(failed.phase).toBe("Failed");
    expect(failed.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(terminatedStatus("x", at, [{ ...run, exit: { code: 0, finishedAt: at } }], at).phase).toBe(
      "Succeeded",
    );
  });
  it("waits with the reason when the image is not in the local engine", () => {
    expect(
      waitingStatus(pod, "ErrImageNeverPull", "no image").containerStatuses?.[0]?.state?.waiting,
    ).toEqual({
      reason: "ErrImageNeverPull",
      message: "no image",
    });
  });
});
