import { beforeAll, describe, expect, it } from "vitest";
import { KUBERNETES_FLAVORS } from "../../../../src/job/job-types.js";
import { builtinRuleProblems, podSpecProblems } from "../../../../src/job/kubernetes/builtin-rules.js";
import { celEvaluate } from "../../../../src/job/kubernetes/cel-evaluator.js";
import { type CelEvaluate, evaluateCelRules } from "../../../../src/job/kubernetes/cel-rules.js";
import type { CrdSchemas } from "../../../../src/job/kubernetes/crd-schemas.js";
import { validateManifests } from "../../../../src/job/kubernetes/validate-manifests.js";
import { manifestObjects } from "../../../../src/job/render/kubernetes/render-kubernetes.js";
import { renderJob } from "../../../../src/job/render/render-job.js";
import {
  FULL_JOB,
  inputFor,
  PUSHED_IMAGE,
  SMALL_JOB,
  WHEEL_TORCH,
} from "../render/job-fixtures.test-support.js";
import { HAS_REFERENCE, NO_REFERENCE, referenceCrds } from "./reference-crds.test-support.js";

type Json = Record<string, unknown>;

function rendered(flavor: (typeof KUBERNETES_FLAVORS)[number], block = FULL_JOB): Json[] {
  const input = inputFor(block, { target: "kubernetes", flavor, image: PUSHED_IMAGE, runtime: WHEEL_TORCH });
  return structuredClone(manifestObjects(renderJob(input))) as Json[];
}

let cel: CelEvaluate;
beforeAll(async () => {
  cel = celEvaluate;
});

describe.skipIf(!HAS_REFERENCE)(
  `the CRDs' create-time CEL rules${HAS_REFERENCE ? "" : ` (${NO_REFERENCE})`}`,
  () => {
    let crds: CrdSchemas;
    beforeAll(async () => {
      crds = await referenceCrds();
    });

    it("every flavor's render passes its CRD's CEL rules; the immutability rules are counted, not run", () => {
      for (const flavor of KUBERNETES_FLAVORS) {
        const result = validateManifests(rendered(flavor), crds, cel);
        expect(result.problems, flavor).toEqual([]);
        expect(result.skipped, flavor).toEqual([]);
      }
      const trainjob = validateManifests(rendered("trainjob"), crds, cel).cel;
      expect(trainjob.evaluated).toBeGreaterThanOrEqual(2);
      expect(trainjob.transitionRules).toBeGreaterThan(0);
    });

    it("a TrainJob named 2gpu passes the DNS-1123 check but is refused by the CEL name rule, as the server refuses it", () => {
      const [trainjob] = rendered("trainjob");
      (trainjob?.metadata as Json).name = "2gpu";
      expect(validateManifests([trainjob], crds).problems, "ajv and the label check alone pass it").toEqual(
        [],
      );
      const problems = validateManifests([trainjob], crds, cel).problems;
      expect(problems).toEqual([
        {
          object: "TrainJob/2gpu",
          path: "",
          message: "metadata.name must match RFC 1035 DNS label format (CEL rule)",
        },
      ]);
    });

    it("a rule on a nested field names its path: a managedBy the CRD does not allow", () => {
      const [trainjob] = rendered("trainjob");
      (trainjob?.spec as Json).managedBy = "someone-else";
      const problems = validateManifests([trainjob], crds, cel).problems;
      expect(problems.map((p) => p.path)).toEqual(["/spec/managedBy"]);
      expect(problems[0]?.message).toContain("ManagedBy must be trainer.kubeflow.org/trainjob-controller");
    });
  },
);

describe("CEL evaluation", () => {
  const schema = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          numProcPerNode: {
            type: "integer",
            "x-kubernetes-validations": [{ rule: "self >= 1", message: "at least 1" }],
          },
          name: {
            type: "string",
            "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "immutable" }],
          },
          tags: {
            type: "array",
            items: { type: "string", "x-kubernetes-validations": [{ rule: "self.startsWith('t')" }] },
          },
          odd: { type: "string", "x-kubernetes-validations": [{ rule: "self.noSuchFunction()" }] },
        },
      },
    },
  };

  it("integers are CEL ints, list items are visited, oldSelf rules are counted, unknown functions are not passed", () => {
    const outcome = evaluateCelRules(
      schema,
      { spec: { numProcPerNode: 0, name: "x", tags: ["ta", "b"], odd: "y" } },
      cel,
    );
    expect(outcome.problems).toEqual([
      { path: "/spec/numProcPerNode", message: "at least 1" },
      { path: "/spec/tags/1", message: "failed rule: self.startsWith('t')" },
    ]);
    expect(outcome.transitionRules).toBe(1);
    expect(outcome.unevaluated.map((u) => u.path)).toEqual(["/spec/odd"]);
  });

  it("rules of absent fields are not run", () => {
    expect(evaluateCelRules(schema, { spec: {} }, cel)).toMatchObject({ problems: [], evaluated: 0 });
  });
});

describe("the API server's built-in rules the schemas lack", () => {
  const none: CrdSchemas = { origin: "none", schemas: new Map(), missing: new Map() };
  const problemsOf = (manifests: Json[]) => validateManifests(manifests, none).problems;

  it("every flavor's render passes them", () => {
    for (const flavor of KUBERNETES_FLAVORS)
      for (const block of [SMALL_JOB, FULL_JOB])
        for (const object of rendered(flavor, block)) expect(builtinRuleProblems(object), flavor).toEqual([]);
  });

  it("a JobSet whose child Jobs would not be DNS-1035 labels (JobSet's webhook refuses 2gpu)", () => {
    const jobset = rendered("jobset")[0] as Json;
    (jobset.metadata as Json).name = "2gpu";
    expect(builtinRuleProblems(jobset)).toEqual([
      {
        path: "/spec/replicatedJobs/0/name",
        message:
          'Invalid value: "2gpu-node-0": a child Job\'s name must be a DNS-1035 label (start with a letter, at most 63 characters)',
      },
    ]);
  });

  it("a volumeMount naming a volume the pod lacks", () => {
    const job = rendered("indexed-job")[1] as Json;
    const pod = ((job.spec as Json).template as Json).spec as Json & { volumes: Json[] };
    pod.volumes = pod.volumes.filter((v) => v.name !== "workspace");
    expect(problemsOf([job])).toContainEqual({
      object: "Job/cpu-example",
      path: "/spec/template/spec/containers/0/volumeMounts/1/name",
      message: 'Not found: "workspace" (no volume of the pod has this name)',
    });
  });

  it("an extended resource whose request differs from its limit, or has no limit", () => {
    const container = (requests: Json, limits: Json) => ({
      containers: [{ name: "node", resources: { requests, limits } }],
    });
    expect(podSpecProblems(container({ "nvidia.com/gpu": "4" }, { "nvidia.com/gpu": "8" }), "")).toEqual([
      {
        path: "/containers/0/resources/requests/nvidia.com/gpu",
        message: 'Invalid value: "4": must be equal to nvidia.com/gpu limit of 8',
      },
    ]);
    expect(podSpecProblems(container({ "nvidia.com/mig-1g.10gb": "1" }, {}), "")[0]?.message).toContain(
      "Limit must be set for non overcommitable resources",
    );
    expect(podSpecProblems(container({ cpu: "2", memory: "1Gi" }, {}), "")).toEqual([]);
  });

  it("Indexed Job fields: completions required, per-index backoff only when Indexed, a restartPolicy a Job takes", () => {
    const jobset = rendered("jobset")[0] as Json;
    const jobSpec = ((jobset.spec as Json).replicatedJobs as Json[])[0]?.template as Json;
    const spec = jobSpec.spec as Json;
    delete spec.completions;
    ((spec.template as Json).spec as Json).restartPolicy = "Always";
    const paths = builtinRuleProblems(jobset).map((p) => `${p.path} ${p.message.split(":")[0]}`);
    expect(paths).toEqual([
      "/spec/replicatedJobs/0/template/spec/completions Required value",
      "/spec/replicatedJobs/0/template/spec/template/spec/restartPolicy Unsupported value",
    ]);
    const [, job] = rendered("indexed-job");
    const plain = job?.spec as Json;
    plain.completionMode = "NonIndexed";
    plain.backoffLimitPerIndex = 1;
    expect(builtinRuleProblems(job as Json).map((p) => p.path)).toEqual(["/spec/backoffLimitPerIndex"]);
  });
});
