// `job check --server` against a real API server: the control plane `npm run k8s:setup` starts
// (kube-apiserver with the JobSet controller and its webhook; kubeconfig and kubectl in $TORCHSTACK_K8S_DIR,
// default /var/lib/torchstack-k8s). Skipped, with the reason, where none answers. It proves that the server
// rejects what the strict schema (ajv) passed, that the rejection names the object and field path with a fix,
// and that an object which already exists is reported with the choice instead of "field is immutable".
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { serverDryRun } from "../../src/job/check/server-dry-run.js";
import { CRDS, JOBSET_KEY, strictCrdSchema } from "../../src/job/kubernetes/crd-schemas.js";
import { manifestObjects } from "../../src/job/render/kubernetes/render-kubernetes.js";
import { renderJob } from "../../src/job/render/render-job.js";
import { runProcess } from "../../src/process/run-process.js";
import {
  HAS_REFERENCE,
  NO_REFERENCE,
  REFERENCE_K8S,
} from "../unit/job/kubernetes/reference-crds.test-support.js";
import { inputFor, SMALL_JOB } from "../unit/job/render/job-fixtures.test-support.js";

const DIR = process.env.TORCHSTACK_K8S_DIR ?? "/var/lib/torchstack-k8s";
const KUBECONFIG = join(DIR, "kubeconfig");
const KUBECTL = join(DIR, "bin", "kubectl");

function serverUp(): string | null {
  if (process.env.TORCHSTACK_E2E !== "1") return "TORCHSTACK_E2E is not 1";
  if (!HAS_REFERENCE) return NO_REFERENCE;
  if (!existsSync(KUBECONFIG) || !existsSync(KUBECTL))
    return `no control plane in ${DIR} (npm run k8s:setup writes kubeconfig and bin/kubectl)`;
  const crd = spawnSync(KUBECTL, ["--kubeconfig", KUBECONFIG, "get", "crd", CRDS[JOBSET_KEY].name], {
    encoding: "utf8",
    timeout: 20_000,
  });
  if (crd.status !== 0) return `the API server does not answer or lacks the JobSet CRD: ${crd.stderr.trim()}`;
  return null;
}

const skip = serverUp();
if (skip) console.warn(`job-check-server e2e skipped: ${skip}`);
const env = { ...process.env, TORCHSTACK_KUBECTL: KUBECTL, KUBECONFIG };
const server = { kubeconfig: KUBECONFIG };
const namespace = "default";
const name = `ts-check-${process.pid}`;

function rendered(flavor: "jobset" | "indexed-job", objectName: string) {
  const objects = manifestObjects(renderJob(inputFor(SMALL_JOB, { target: "kubernetes", flavor }))) as {
    metadata: { name: string; namespace: string };
  }[];
  for (const object of objects) {
    object.metadata.name = objectName;
    object.metadata.namespace = namespace;
  }
  return objects;
}

describe.skipIf(skip !== null)("job check --server against a real API server", () => {
  afterAll(() => {
    spawnSync(KUBECTL, [
      "--kubeconfig",
      KUBECONFIG,
      "delete",
      "service",
      name,
      "-n",
      namespace,
      "--ignore-not-found",
    ]);
  });

  it("admits the rendered JobSet", async () => {
    const check = await serverDryRun(rendered("jobset", name), namespace, server, { run: runProcess, env });
    expect(check.message).toContain("admits 1 object(s)");
    expect(check.status).toBe("pass");
  });

  it("rejects a JobSet named 2gpu that the strict schema passed, naming the field and a fix", async () => {
    const [jobset] = rendered("jobset", "2gpu");
    const crd = parse(readFileSync(join(REFERENCE_K8S, CRDS[JOBSET_KEY].file), "utf8"));
    const schema = strictCrdSchema(JOBSET_KEY, crd) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, validateFormats: false }).compile(schema);
    expect(ajv(jobset), "ajv passes it").toBe(true);
    const check = await serverDryRun([jobset], namespace, server, { run: runProcess, env });
    expect(check.status).toBe("fail");
    expect(check.message).toContain("JobSet/2gpu spec.replicatedJobs[0].name");
    expect(check.fix?.[0]).toContain("starts with a letter");
  });

  it("an object that already exists: the choice, not the server's immutable-field refusal", async () => {
    const [service] = rendered("indexed-job", name);
    const created = spawnSync(KUBECTL, ["--kubeconfig", KUBECONFIG, "apply", "-f", "-"], {
      input: JSON.stringify(service),
      encoding: "utf8",
    });
    expect(created.status, created.stderr).toBe(0);
    const check = await serverDryRun(rendered("indexed-job", name), namespace, server, {
      run: runProcess,
      env,
    });
    expect(check.status).toBe("fail");
    expect(check.message).toContain(`Service/${name} already exists in ${namespace}`);
    expect(check.fix?.[1]).toContain(`kubectl delete service ${name} --namespace ${namespace}`);
  });
});
