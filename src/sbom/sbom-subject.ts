/**
 * What an SBOM describes besides the package list: the image (name, version,
 * ID), its base image, and the torch build (source, variant, CUDA, cuDNN, NCCL,
 * archList). Read from an image's torchstack labels, so `sbom IMAGE` works
 * with no spec or lock at hand; parsed with schemas, never cast.
 */
import { z } from "zod";

export interface TorchBuild {
  torch: string;
  variant: string;
  cuda: string | null;
  cudnn: string | null;
  nccl: string | null;
  archList: string[];
  source: "wheels" | "distro";
}

export interface SbomSubject {
  name: string;
  version: string;
  imageId: string;
  imageRef: string;
  base: { ref: string; digest: string | null };
  torch: TorchBuild | null;
}

const stackLabel = z.object({
  torch: z.string(),
  wheel: z.string(),
  cuda: z.string().nullable(),
  cudnn: z.string().nullable(),
  nccl: z.string().nullable(),
  archList: z.array(z.string()),
});

function parseJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The subject of an image from `docker image inspect` facts: its ID, the reference used and its labels. */
export function subjectFromLabels(
  imageRef: string,
  imageId: string,
  labels: Record<string, string>,
): SbomSubject {
  const stack = stackLabel.safeParse(parseJson(labels["dev.torchstack.stack"]));
  const source = labels["dev.torchstack.torch-source"] === "distro" ? "distro" : "wheels";
  const repository = imageRef.replace(/@.*$/, "").replace(/:[^:/]*$/, "");
  return {
    name: labels["org.opencontainers.image.title"] ?? repository,
    version: labels["org.opencontainers.image.version"] ?? imageRef.slice(repository.length + 1),
    imageId,
    imageRef,
    base: {
      ref: labels["org.opencontainers.image.base.name"] ?? "unknown",
      digest: labels["org.opencontainers.image.base.digest"] ?? null,
    },
    torch: stack.success
      ? {
          torch: stack.data.torch,
          variant: stack.data.wheel,
          cuda: stack.data.cuda,
          cudnn: stack.data.cudnn,
          nccl: stack.data.nccl,
          archList: stack.data.archList,
          source,
        }
      : null,
  };
}
