/**
 * The pod status the executor writes back through the API, as a kubelet would (pure): waiting (an image the
 * local engine lacks: ErrImageNeverPull), running (podIP, start time, each container running and ready), and
 * terminated (each container's exit code; the pod Succeeded only when every container exited 0).
 */
import type { ContainerStatus, Pod, PodCondition, PodStatus } from "kubernetes-types/core/v1.js";

export interface ContainerRun {
  name: string;
  image: string;
  containerID: string;
  startedAt: string;
  exit?: { code: number; finishedAt: string };
}

function conditions(ready: boolean, reason: string | undefined, now: string): PodCondition[] {
  const status = ready ? "True" : "False";
  return [
    { type: "PodReadyToStartContainers", status: "True", lastTransitionTime: now },
    { type: "Initialized", status: "True", lastTransitionTime: now },
    { type: "ContainersReady", status, lastTransitionTime: now, ...(reason ? { reason } : {}) },
    { type: "Ready", status, lastTransitionTime: now, ...(reason ? { reason } : {}) },
  ];
}

export function waitingStatus(pod: Pod, reason: string, message: string): PodStatus {
  return {
    phase: "Pending",
    containerStatuses: (pod.spec?.containers ?? []).map(
      (c): ContainerStatus => ({
        name: c.name,
        image: c.image ?? "",
        imageID: "",
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason, message } },
      }),
    ),
  };
}

function containerStatus(run: ContainerRun): ContainerStatus {
  const base = {
    name: run.name,
    image: run.image,
    imageID: run.image,
    containerID: `docker://${run.containerID}`,
    restartCount: 0,
  };
  if (!run.exit)
    return { ...base, ready: true, started: true, state: { running: { startedAt: run.startedAt } } };
  return {
    ...base,
    ready: false,
    started: false,
    state: {
      terminated: {
        exitCode: run.exit.code,
        reason: run.exit.code === 0 ? "Completed" : "Error",
        startedAt: run.startedAt,
        finishedAt: run.exit.finishedAt,
        containerID: `docker://${run.containerID}`,
      },
    },
  };
}

export function runningStatus(
  podIP: string,
  startTime: string,
  runs: ContainerRun[],
  now: string,
): PodStatus {
  return {
    phase: "Running",
    hostIP: "127.0.0.1",
    hostIPs: [{ ip: "127.0.0.1" }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime,
    conditions: conditions(true, undefined, now),
    containerStatuses: runs.map(containerStatus),
  };
}

/** The final status once every container has exited (restartPolicy Never: nothing restarts in place). */
export function terminatedStatus(
  podIP: string,
  startTime: string,
  runs: ContainerRun[],
  now: string,
): PodStatus {
  const failed = runs.some((run) => (run.exit?.code ?? 1) !== 0);
  return {
    ...runningStatus(podIP, startTime, runs, now),
    phase: failed ? "Failed" : "Succeeded",
    conditions: conditions(false, "PodCompleted", now),
  };
}
