import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { manifestCheck } from "../../../../src/job/check/job-checks.js";
import type { KUBERNETES_FLAVORS } from "../../../../src/job/job-types.js";
import { CRDS, loadCrdSchemas } from "../../../../src/job/kubernetes/crd-schemas.js";
import { resolveCrdSource } from "../../../../src/job/kubernetes/crd-source.js";
import { crdKeysFor, validateManifests } from "../../../../src/job/kubernetes/validate-manifests.js";
import { manifestObjects } from "../../../../src/job/render/kubernetes/render-kubernetes.js";
import { renderJob } from "../../../../src/job/render/render-job.js";
import { runProcess } from "../../../../src/process/run-process.js";
import { FULL_JOB, inputFor, PUSHED_IMAGE, WHEEL_TORCH } from "../render/job-fixtures.test-support.js";
import { HAS_REFERENCE, NO_REFERENCE, REFERENCE_K8S } from "./reference-crds.test-support.js";

type Json = Record<string, unknown>;
type Flavor = (typeof KUBERNETES_FLAVORS)[number];

const render = (flavor: Flavor) =>
  renderJob(inputFor(FULL_JOB, { target: "kubernetes", flavor, image: PUSHED_IMAGE, runtime: WHEEL_TORCH }));

/** The rendered objects with a typo'd field in the last one's spec. */
function typoed(flavor: Flavor): Json[] {
  const objects = structuredClone(manifestObjects(render(flavor))) as Json[];
  ((objects.at(-1) as Json).spec as Json).suspnd = true;
  return objects;
}

async function crdsFrom(env: NodeJS.ProcessEnv, flavor: Flavor) {
  const source = await resolveCrdSource({ run: runProcess, env });
  return loadCrdSchemas(source, crdKeysFor(manifestObjects(render(flavor))));
}

const root = mkdtempSync(join(tmpdir(), "torchstack-crd-source-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in kubectl: `config current-context` names CONTEXT (or fails), `get crd NAME -o json` prints NAME.json. */
function fakeKubectl(dir: string, context: string | undefined): string {
  const script = join(dir, "kubectl");
  writeFileSync(
    script,
    `#!/bin/sh
echo "$*" >> "${dir}/calls"
if [ "$1" = --context ]; then shift 2; fi
if [ "$1 $2" = "config current-context" ]; then
  ${context ? `echo ${context}` : 'echo "error: current-context is not set" >&2; exit 1'}
  exit 0
fi
if [ "$1 $2" = "get crd" ] && [ "$4 $5" = "-o json" ]; then
  if [ -f "${dir}/$3.json" ]; then cat "${dir}/$3.json"; exit 0; fi
  echo "Error from server (NotFound): customresourcedefinitions.apiextensions.k8s.io \\"$3\\" not found" >&2
  exit 1
fi
echo "unexpected: $*" >&2; exit 2
`,
  );
  chmodSync(script, 0o755);
  return dir;
}

describe.skipIf(!HAS_REFERENCE)(
  `CRD schemas from the cluster and a folder${HAS_REFERENCE ? "" : ` (${NO_REFERENCE})`}`,
  () => {
    const bin = fakeKubectl(mkdtempSync(join(root, "bin-")), "test-cluster");
    // the cluster serves TrainJob and JobSet, as kubectl prints them (JSON), but not PyTorchJob;
    // read in beforeAll: a skipped describe still runs its body to collect the tests
    beforeAll(() => {
      for (const crd of [
        CRDS["trainer.kubeflow.org/v1alpha1/TrainJob"],
        CRDS["jobset.x-k8s.io/v1alpha2/JobSet"],
      ])
        writeFileSync(
          join(bin, `${crd.name}.json`),
          JSON.stringify(parse(readFileSync(join(REFERENCE_K8S, crd.file), "utf8"))),
        );
    });
    const env = { PATH: `${bin}:${process.env.PATH}` };

    it("kubectl with a current context: the cluster's CRDs validate the render, a typo fails", async () => {
      const crds = await crdsFrom(env, "trainjob");
      expect(crds.origin).toBe("the cluster (kubectl context test-cluster)");
      expect(readFileSync(join(bin, "calls"), "utf8")).toContain(
        "get crd trainjobs.trainer.kubeflow.org -o json",
      );
      expect(manifestCheck(render("trainjob"), crds)).toMatchObject({
        status: "pass",
        message: expect.stringContaining("CRDs from the cluster (kubectl context test-cluster)"),
      });
      const problems = validateManifests(typoed("trainjob"), crds).problems;
      expect(problems.map((p) => p.message)).toEqual(['unknown field "suspnd"']);
      const jobset = await crdsFrom(env, "indexed-job");
      expect(validateManifests(typoed("indexed-job"), jobset).problems).toMatchObject([
        { path: "/spec", message: 'unknown field "suspnd"' },
      ]);
    });

    it("job check --server --context NAME: the CRDs come from that context, not the current one", async () => {
      const source = await resolveCrdSource({ run: runProcess, env, context: "lab" });
      const crds = await loadCrdSchemas(source, crdKeysFor(manifestObjects(render("trainjob"))));
      expect(crds.origin).toBe("the cluster (kubectl context lab)");
      expect(readFileSync(join(bin, "calls"), "utf8")).toContain(
        "--context lab get crd trainjobs.trainer.kubeflow.org -o json",
      );
      expect(crds.missing.size).toBe(0);
    });

    it("a CRD the cluster does not serve is skipped with the reason, not valid", async () => {
      const crds = await crdsFrom(env, "pytorchjob");
      const check = manifestCheck(render("pytorchjob"), crds);
      expect(check.status).toBe("skip");
      expect(check.message).toContain(
        "test-cluster) has no CRD pytorchjobs.kubeflow.org (its operator is not installed there)",
      );
    });

    it("TORCHSTACK_K8S_SCHEMAS comes first, even with kubectl answering", async () => {
      const crds = await crdsFrom({ ...env, TORCHSTACK_K8S_SCHEMAS: REFERENCE_K8S }, "pytorchjob");
      expect(crds.origin).toBe(`folder ${REFERENCE_K8S} (TORCHSTACK_K8S_SCHEMAS)`);
      expect(manifestCheck(render("pytorchjob"), crds).status).toBe("pass");
      expect(validateManifests(typoed("pytorchjob"), crds).problems).toHaveLength(1);
    });
  },
);

describe("no CRD source: CRD validation is skipped and said so, built-in kinds still checked", () => {
  const none = { PATH: "/nonexistent" };

  it("a CRD kind is reported as skipped with the reason and the fix, never as valid — typo or not", async () => {
    for (const flavor of ["trainjob", "jobset", "pytorchjob"] as const) {
      const crds = await crdsFrom(none, flavor);
      expect(crds.origin).toBe("none");
      const check = manifestCheck(render(flavor), crds);
      expect(check.status).toBe("skip");
      expect(check.message).toContain("TORCHSTACK_K8S_SCHEMAS is not set and kubectl is not on PATH");
      expect(check.fix?.[0]).toMatch(/^TORCHSTACK_K8S_SCHEMAS=DIR: a folder of the CRD files/);
      const result = validateManifests(typoed(flavor), crds);
      expect(result.problems).toEqual([]);
      expect(result.skipped.map((s) => s.object)).toContain(result.objects.at(-1));
    }
  });

  it("indexed-job: the Service passes, the Job's types are checked, its unknown fields are skipped", async () => {
    const crds = await crdsFrom(none, "indexed-job");
    const check = manifestCheck(render("indexed-job"), crds);
    expect(check.status).toBe("skip");
    expect(check.message).toMatch(/Job\/\S+: unknown fields not checked .*; Service\/\S+ passes strict/);
    const objects = typoed("indexed-job");
    const job = objects.at(-1) as { spec: { parallelism: unknown } };
    job.spec.parallelism = "two";
    const problems = validateManifests(objects, crds).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.message).join(" ")).toContain("parallelism");
  });

  it("kubectl without a current context, or TORCHSTACK_K8S_SCHEMAS not a folder: none, with why", async () => {
    const bin = fakeKubectl(mkdtempSync(join(root, "nocontext-")), undefined);
    const noContext = await resolveCrdSource({ run: runProcess, env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(noContext.origin).toBe("none");
    expect(await noContext.lookup("kubeflow.org/v1/PyTorchJob")).toEqual({
      found: false,
      reason:
        "no CRD schemas: TORCHSTACK_K8S_SCHEMAS is not set and kubectl has no current context (error: current-context is not set)",
    });
    const notDir = await resolveCrdSource({
      run: runProcess,
      env: { PATH: "/nonexistent", TORCHSTACK_K8S_SCHEMAS: join(root, "missing") },
    });
    expect(await notDir.lookup("kubeflow.org/v1/PyTorchJob")).toMatchObject({
      reason: `TORCHSTACK_K8S_SCHEMAS=${join(root, "missing")} is not a folder`,
    });
  });
});
