/**
 * The flags `job render` and `job check` share: --target (required), --flavor
 * (Kubernetes only) and --workspace, checked up front with the fix.
 */

import { UsageError } from "../../errors/torchstack-error.js";
import {
  type JobTarget,
  jobTargetSchema,
  KUBERNETES_FLAVORS,
  type KubernetesFlavor,
} from "../../job/job-types.js";
import { kubernetesFlavorSchema } from "../../spec/job-schema.js";
import type { CommandInput, OptionSpec } from "../command.js";

export const jobTargetOptions = {
  target: {
    type: "string",
    short: "t",
    valueName: "local|slurm|kubernetes",
    description: "where the job runs (required)",
  },
  flavor: {
    type: "string",
    valueName: "FLAVOR",
    description:
      "Kubernetes kind: indexed-job, jobset, trainjob or pytorchjob (default job.kubernetes.flavor)",
  },
  workspace: {
    type: "string",
    valueName: "DIR",
    description: "the workspace mounted at /workspace (default: the spec's folder)",
  },
} as const satisfies Record<string, OptionSpec>;

type JobTargetInput = CommandInput<typeof jobTargetOptions>;

export function readJobTarget(input: Pick<JobTargetInput, "flags">): {
  target: JobTarget;
  flavor: KubernetesFlavor | undefined;
  workspace: string | undefined;
} {
  const { target, flavor, workspace } = input.flags;
  if (target === undefined) throw new UsageError("--target is required: local, slurm or kubernetes");
  const parsed = jobTargetSchema.safeParse(target);
  if (!parsed.success) throw new UsageError(`--target must be local, slurm or kubernetes, got "${target}"`);
  if (flavor !== undefined && parsed.data !== "kubernetes")
    throw new UsageError("--flavor applies to --target kubernetes only");
  const kind = flavor === undefined ? undefined : kubernetesFlavorSchema.safeParse(flavor);
  if (kind && !kind.success)
    throw new UsageError(`--flavor must be one of ${KUBERNETES_FLAVORS.join(", ")}, got "${flavor}"`);
  return { target: parsed.data, flavor: kind?.data, workspace };
}
