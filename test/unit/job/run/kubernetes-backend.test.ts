/**
 * The Kubernetes backend against a stand-in `kubectl` (a shell script that
 * records its argv and answers like a cluster whose image cannot be pulled):
 * no cluster runs here, so this proves the commands issued and how answers map
 * to states, not a real apply.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderJob } from "../../../../src/job/render/render-job.js";
import type { JobRecord } from "../../../../src/job/run/job-record.js";
import {
  kubernetesBackend,
  reportFromKubernetes,
  workloadOf,
} from "../../../../src/job/run/kubernetes-backend.js";
import { runProcess } from "../../../../src/process/run-process.js";
import { inputFor } from "../render/job-fixtures.test-support.js";

const STAND_IN = `#!/bin/sh
echo "$*" >> "$KUBECTL_LOG"
case "$1" in
  apply) echo "job.batch/cpu-example created" ;;
  delete) touch "$KUBECTL_LOG.deleted"; echo "job.batch \\"cpu-example\\" deleted" ;;
  logs) printf '[pod/cpu-example-1-abcde/node] [default0]:rank line\\n' ;;
  get)
    case "$*" in *--ignore-not-found*) [ -e "$KUBECTL_LOG.exists" ] && echo "job.batch/cpu-example"; exit 0 ;; esac
    if [ -e "$KUBECTL_LOG.deleted" ]; then echo 'Error from server (NotFound): jobs.batch "cpu-example" not found' >&2; exit 1; fi
    if [ "$2" = pods ]; then
      echo '{"items":[{"status":{"phase":"Pending","containerStatuses":[{"state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image"}}}]}}]}'
    else
      echo '{"spec":{},"status":{"active":2}}'
    fi ;;
esac
`;

describe("kubernetes backend with a stand-in kubectl", () => {
  it("applies the manifests, reports an unpullable image as a stuck PENDING, reads logs and deletes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ts-kubectl-"));
    const kubectl = join(dir, "kubectl");
    writeFileSync(kubectl, STAND_IN);
    chmodSync(kubectl, 0o755);
    const log = join(dir, "argv.log");
    const env = { PATH: "/usr/bin:/bin", TORCHSTACK_KUBECTL: kubectl, KUBECTL_LOG: log };
    const rendered = renderJob(
      inputFor(
        {
          command: ["python3", "train.py"],
          nodes: 2,
          procsPerNode: 2,
          kubernetes: { flavor: "indexed-job" },
        },
        { target: "kubernetes" },
      ),
    );
    for (const file of rendered.files) writeFileSync(join(dir, file.path), file.content);
    const workload = workloadOf(rendered, "default");
    expect(workload.kind).toBe("Job");
    const record = {
      id: "cpu-example-1",
      kubernetes: workload,
      cancelRequested: false,
      state: "PENDING",
      reason: null,
      exitCode: null,
    } as unknown as JobRecord;
    const backend = kubernetesBackend({ env, run: runProcess, progress: () => {} });
    const submitted = await backend.submit({ rendered, record, dir, follow: false });
    expect(submitted.schedulerId).toBe(`Job/${workload.name}`);
    expect(await backend.status(record)).toEqual({
      state: "PENDING",
      reason: "ImagePullBackOff: Back-off pulling image",
      stuck: true,
      exitCode: null,
    });
    expect(await backend.output(record)).toContain("[pod/cpu-example-1-abcde/node] [default0]:rank line");
    await backend.cancel({ ...record, cancelRequested: true });
    expect((await backend.status({ ...record, cancelRequested: true })).state).toBe("CANCELLED");
    const argv = readFileSync(log, "utf8").trim().split("\n");
    const ns = workload.namespace;
    expect(argv[0]).toBe(`get Job ${workload.name} --namespace ${ns} --ignore-not-found --output name`);
    expect(argv[1]).toBe(
      `apply --namespace ${ns} ${rendered.files.map((f) => `-f ${join(dir, f.path)}`).join(" ")}`,
    );
    expect(argv).toContain(`get Job ${workload.name} --namespace ${ns} --output json`);
    expect(argv).toContain(
      `get pods --namespace ${ns} --selector batch.kubernetes.io/job-name=${workload.name} --output json`,
    );
    expect(argv).toContain(`delete Job ${workload.name} --namespace ${ns} --wait=false --ignore-not-found`);
  });

  it("maps workload conditions to final states", () => {
    expect(
      reportFromKubernetes('{"status":{"conditions":[{"type":"Complete","status":"True"}]}}', null).state,
    ).toBe("COMPLETED");
    expect(
      reportFromKubernetes(
        '{"status":{"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}}',
        null,
      ),
    ).toMatchObject({ state: "FAILED", reason: "BackoffLimitExceeded" });
    // A node that runs local images only (the test cluster's executor) cannot start an image it lacks.
    const neverPull =
      '{"items":[{"status":{"phase":"Pending","containerStatuses":[{"state":{"waiting":{"reason":"ErrImageNeverPull","message":"not here"}}}]}}]}';
    expect(reportFromKubernetes('{"status":{}}', neverPull)).toMatchObject({
      state: "PENDING",
      stuck: true,
      reason: "ErrImageNeverPull: not here",
    });
    expect(reportFromKubernetes('{"spec":{"suspend":true},"status":{}}', '{"items":[]}')).toMatchObject({
      state: "PENDING",
      stuck: false,
    });
  });
});
