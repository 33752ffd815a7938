import { beforeAll, describe, expect, it } from "vitest";
import { KUBERNETES_FLAVORS } from "../../../../src/job/job-types.js";
import type { CrdSchemas } from "../../../../src/job/kubernetes/crd-schemas.js";
import { validateManifests as validateWith } from "../../../../src/job/kubernetes/validate-manifests.js";
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

/** The first object under `root` that has every key in `keys` (a pod spec: securityContext + containers). */
function findWith(root: unknown, keys: string[]): Json {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node && typeof node === "object") {
      if (keys.every((key) => key in node)) return node as Json;
      stack.push(...Object.values(node));
    }
  }
  throw new Error(`no object with ${keys.join(", ")}`);
}

describe.skipIf(!HAS_REFERENCE)(
  `strict validation of every Kubernetes render${HAS_REFERENCE ? "" : ` (${NO_REFERENCE})`}`,
  () => {
    let crds: CrdSchemas;
    beforeAll(async () => {
      crds = await referenceCrds();
    });
    const validateManifests = (manifests: unknown[]) => {
      const result = validateWith(manifests, crds);
      expect(result.skipped, "every schema is in the reference folder").toEqual([]);
      return result.problems;
    };

    for (const flavor of KUBERNETES_FLAVORS) {
      it(`${flavor}: the small and the full render pass`, () => {
        expect(validateManifests(rendered(flavor, SMALL_JOB))).toEqual([]);
        expect(validateManifests(rendered(flavor))).toEqual([]);
      });

      it(`${flavor}: a typo'd field deep in the pod fails, naming its path`, () => {
        const manifests = rendered(flavor);
        const pod = findWith(manifests.at(-1), ["securityContext", "containers"]);
        (pod.securityContext as Json).runAsNonRoott = true;
        const problems = validateManifests(manifests);
        expect(problems).toHaveLength(1);
        expect(problems[0]?.message).toBe('unknown field "runAsNonRoott"');
        expect(problems[0]?.path).toMatch(/\/spec\/.*securityContext$/);
      });

      it(`${flavor}: a mistyped value and a misspelt top-level field fail`, () => {
        const manifests = rendered(flavor);
        const last = manifests.at(-1) as Json;
        (last.spec as Json).suspnd = true;
        const container = findWith(last, ["image", "command"]);
        container.image = 42;
        const messages = validateManifests(manifests).map((p) => `${p.path} ${p.message}`);
        expect(messages.some((m) => m.includes("suspnd"))).toBe(true);
        expect(messages.some((m) => m.includes("image") || m.includes("string"))).toBe(true);
      });
    }
  },
);

describe("strict validation that needs no CRD schema", () => {
  const none: CrdSchemas = { origin: "none", schemas: new Map(), missing: new Map() };
  const validateManifests = (manifests: unknown[]) => validateWith(manifests, none).problems;

  it("the headless Service: unknown fields and wrong types fail", () => {
    const [service] = rendered("indexed-job");
    const spec = service?.spec as Json & { ports: Json[] };
    spec.publishNotReadyAdresses = true;
    (spec.ports[0] as Json).port = "rendezvous";
    const messages = validateManifests([service]).map((p) => `${p.path} ${p.message}`);
    expect(messages).toContain("/spec/publishNotReadyAdresses unknown field");
    expect(messages.some((m) => m.includes("port must be integer"))).toBe(true);
  });

  it("metadata: a name the API server refuses fails", () => {
    const [job] = rendered("jobset");
    (job?.metadata as Json).name = "Train_Job";
    expect(validateManifests([job])[0]?.path).toBe("/metadata/name");
  });

  it("an unknown kind is not waved through", () => {
    const problems = validateManifests([
      { apiVersion: "batch.volcano.sh/v1alpha1", kind: "Job", metadata: {} },
    ]);
    expect(problems.some((p) => p.message.includes("no schema"))).toBe(true);
  });
});
