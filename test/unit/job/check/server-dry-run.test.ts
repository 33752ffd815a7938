import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serverDryRun } from "../../../../src/job/check/server-dry-run.js";
import { parseServerRejection } from "../../../../src/job/check/server-rejection.js";
import { manifestObjects } from "../../../../src/job/render/kubernetes/render-kubernetes.js";
import { renderJob } from "../../../../src/job/render/render-job.js";
import { runProcess } from "../../../../src/process/run-process.js";
import { FULL_JOB, inputFor, PUSHED_IMAGE } from "../render/job-fixtures.test-support.js";

/*
 * No API server runs here, so a stand-in kubectl answers. Its messages copy the text kubectl prints for an
 * API StatusError (`Error from server (Invalid): error when creating "F": KIND.GROUP "NAME" is invalid: …`),
 * with the CRD rule messages from the TrainJob CRD in shared/reference/k8s.
 */
const bin = mkdtempSync(join(tmpdir(), "torchstack-kubectl-bin-"));
const calls = join(bin, "calls.log");
writeFileSync(
  join(bin, "kubectl"),
  `#!/bin/sh
echo "$*" >> ${calls}
case " $* " in
  *" --context nope "*) echo 'error: context "nope" does not exist' >&2; exit 1 ;;
  *" get "*" exists "*) echo "trainjob.trainer.kubeflow.org/exists"; exit 0 ;;
  *" get "*) exit 0 ;;
esac
file=""; for a in "$@"; do [ "$prev" = "-f" ] && file="$a"; prev="$a"; done
if grep -q 'name: 2gpu' "$file"; then
  echo "Error from server (Invalid): error when creating \\"$file\\": TrainJob.trainer.kubeflow.org \\"2gpu\\" is invalid: [<nil>: Invalid value: \\"object\\": metadata.name must match RFC 1035 DNS label format, spec.trainer.numProcPerNode: Invalid value: 0: numProcPerNode must be greater than or equal to 1]" >&2
  exit 1
fi
if grep -q 'priorityClassName: missing' "$file"; then
  echo 'Error from server (Forbidden): error when creating "x": jobs.batch "cpu-example" is forbidden: no PriorityClass with name missing was found' >&2
  exit 1
fi
echo '{"kind":"TrainJob"}'
`,
  { mode: 0o755 },
);
const env = { PATH: `${bin}:/usr/bin:/bin` };

function objects(flavor: "trainjob" | "indexed-job", name?: string) {
  const manifests = manifestObjects(
    renderJob(inputFor(FULL_JOB, { target: "kubernetes", flavor, image: PUSHED_IMAGE })),
  ) as { metadata: { name: string } }[];
  if (name) for (const m of manifests) m.metadata.name = name;
  return manifests;
}

describe("job check --server (against a stand-in kubectl)", () => {
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it("admitted objects pass; each goes through kubectl apply --dry-run=server with the kubeconfig and context", async () => {
    const check = await serverDryRun(
      objects("trainjob"),
      "research",
      { kubeconfig: "/k/config", context: "lab" },
      { run: runProcess, env },
    );
    expect(check).toMatchObject({ id: "server", status: "pass" });
    expect(readFileSync(calls, "utf8")).toContain(
      "--kubeconfig /k/config --context lab apply --dry-run=server -o json --namespace research -f ",
    );
  });

  it("a TrainJob named 2gpu: every cause with its object, field path, the server's message and a fix", async () => {
    const check = await serverDryRun(objects("trainjob", "2gpu"), "research", {}, { run: runProcess, env });
    expect(check).toMatchObject({ status: "fail", code: "E_JOB_SERVER_REJECTED" });
    expect(check.message).toContain(
      'TrainJob/2gpu /: Invalid value: "object": metadata.name must match RFC 1035',
    );
    expect(check.message).toContain(
      "TrainJob/2gpu spec.trainer.numProcPerNode: Invalid value: 0: numProcPerNode must be greater than or equal to 1",
    );
    expect(check.fix?.[0]).toContain("starts with a letter");
  });

  it("objects that already exist: the choice of a new name or deleting it first, never 'field is immutable'", async () => {
    const check = await serverDryRun(objects("trainjob", "exists"), "research", {}, { run: runProcess, env });
    expect(check.status).toBe("fail");
    expect(check.message).toContain("TrainJob/exists already exists in research");
    expect(check.fix).toEqual([
      expect.stringContaining("a new name"),
      "or replace it: kubectl delete trainjob exists --namespace research (then job run)",
    ]);
  });

  it("a context kubectl does not know: one failure saying kubectl could not reach the server", async () => {
    const check = await serverDryRun(
      objects("trainjob"),
      "default",
      { context: "nope" },
      { run: runProcess, env },
    );
    expect(check.status).toBe("fail");
    expect(check.message).toBe(
      'kubectl could not reach the API server: error: context "nope" does not exist',
    );
  });

  it("no kubectl: a failure that says so (the user asked for the server)", async () => {
    const check = await serverDryRun(
      objects("trainjob"),
      "default",
      {},
      { run: runProcess, env: { PATH: "/nonexistent" } },
    );
    expect(check.status).toBe("fail");
    expect(check.message).toContain("not on PATH");
  });
});

describe("the server's messages, with fixes", () => {
  const ref = { kind: "JobSet", name: "train", namespace: "ml" };
  it("immutable fields, a missing namespace, a missing CRD, a missing PriorityClass", () => {
    const fixOf = (stderr: string) => parseServerRejection(stderr, ref)[0]?.fix[0] ?? "";
    expect(
      fixOf('The JobSet "train" is invalid: spec.replicatedJobs: Invalid value: "array": Value is immutable'),
    ).toContain("a new name");
    expect(fixOf('Error from server (NotFound): error when creating "f": namespaces "ml" not found')).toBe(
      "kubectl create namespace ml",
    );
    expect(
      fixOf(
        'error: resource mapping not found for name: "train": no matches for kind "JobSet" in version "jobset.x-k8s.io/v1alpha2"',
      ),
    ).toContain("install the JobSet operator");
    expect(fixOf("no PriorityClass with name high was found")).toContain("not high");
    // as a v1.36 API server with an older TrainJob CRD answered (recorded on the k8s:setup control plane, 2026-12-05)
    expect(
      fixOf(
        'Error from server (BadRequest): error when creating "f": TrainJob in version "v1alpha1" cannot be handled as a TrainJob: strict decoding error: unknown field "spec.runtimePatches"',
      ),
    ).toContain("has no spec.runtimePatches: it runs another version");
    // as JobSet's webhook answered for a JobSet named 2gpu (same control plane)
    const jobset = parseServerRejection(
      'The JobSet "2gpu" is invalid: spec.replicatedJobs[0].name: Invalid value: "2gpu-node-0": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character',
      ref,
    );
    expect(jobset[0]).toMatchObject({ path: "spec.replicatedJobs[0].name" });
    expect(jobset[0]?.fix[0]).toContain("starts with a letter");
  });
});
