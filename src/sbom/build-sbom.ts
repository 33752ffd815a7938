/**
 * A CycloneDX 1.6 SBOM (JSON) from an image's inventory: the image as the
 * metadata component, every dpkg package (`pkg:deb/debian/NAME@VERSION?arch=…`)
 * and every Python distribution (`pkg:pypi/NAME@VERSION`) as components, the
 * base image as a container component, and what a generic scanner cannot know:
 * the torch build (variant, CUDA, cuDNN, NCCL, archList) as properties of the
 * torch component, and torch's CUDA libraries (CUDA runtime, cuDNN, NCCL, from
 * the wheels' nvidia-* packages) as components. Pure and deterministic: no
 * timestamp, a serial number derived from the contents.
 */
import { createHash } from "node:crypto";
import type { Inventory } from "../inventory/inventory-schema.js";
import type { SbomSubject, TorchBuild } from "./sbom-subject.js";

type Property = { name: string; value: string };
export interface BomComponent {
  type: "library" | "container" | "application";
  "bom-ref": string;
  name: string;
  version?: string;
  group?: string;
  purl?: string;
  description?: string;
  hashes?: { alg: "SHA-256"; content: string }[];
  properties?: Property[];
}

export interface Bom {
  bomFormat: "CycloneDX";
  specVersion: "1.6";
  serialNumber: string;
  version: 1;
  metadata: {
    tools: { components: BomComponent[] };
    component: BomComponent;
    properties: Property[];
  };
  components: BomComponent[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

/** purl percent-encoding for a name or version segment ("+" and "~" are encoded as purl requires). */
const enc = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function debPurl(name: string, version: string, arch: string, distro: string | null): string {
  const qualifiers = [`arch=${enc(arch)}`, ...(distro ? [`distro=${enc(distro)}`] : [])].join("&");
  return `pkg:deb/debian/${enc(name)}@${enc(version)}?${qualifiers}`;
}

export function pypiPurl(name: string, version: string): string {
  return `pkg:pypi/${enc(name.toLowerCase().replace(/[-_.]+/g, "-"))}@${enc(version)}`;
}

/** "debian-13" from a dpkg base-files version ("13.8" → debian-13), null when not Debian. */
function debianRelease(inventory: Inventory): string | null {
  const baseFiles = inventory.dpkg.find((p) => p.name === "base-files");
  const major = baseFiles ? /^(\d+)/.exec(baseFiles.version)?.[1] : undefined;
  return major ? `debian-${major}` : null;
}

function torchProperties(torch: TorchBuild): Property[] {
  return [
    { name: "torchstack:torch:source", value: torch.source },
    { name: "torchstack:torch:variant", value: torch.variant },
    { name: "torchstack:torch:cuda", value: torch.cuda ?? "none" },
    { name: "torchstack:torch:cudnn", value: torch.cudnn ?? "none" },
    { name: "torchstack:torch:nccl", value: torch.nccl ?? "none" },
    { name: "torchstack:torch:archList", value: torch.archList.join(" ") || "none" },
  ];
}

/** torch's CUDA libraries: the version the stack names, the package that ships it when it is in the image. */
function cudaComponents(torch: TorchBuild | null, inventory: Inventory): BomComponent[] {
  if (!torch?.cuda) return [];
  const shipped = (pattern: RegExp) => inventory.pip.find((d) => pattern.test(d.name));
  const rows: [string, string | null, RegExp][] = [
    ["cuda-runtime", torch.cuda, /^nvidia-cuda-runtime-cu\d+$/],
    ["cudnn", torch.cudnn, /^nvidia-cudnn-cu\d+$/],
    ["nccl", torch.nccl, /^nvidia-nccl-cu\d+$/],
  ];
  return rows
    .filter(([, version]) => version !== null)
    .map(([name, version, pattern]) => {
      const pkg = shipped(pattern);
      return {
        type: "library" as const,
        "bom-ref": `torch-cuda:${name}`,
        group: "nvidia",
        name,
        version: version ?? "",
        description: `${name} ${version} that torch ${torch.torch} (${torch.variant}) was built against and loads at run time`,
        properties: [
          { name: "torchstack:cuda-library-of", value: `torch ${torch.torch}` },
          {
            name: "torchstack:shipped-by",
            value: pkg ? pypiPurl(pkg.name, pkg.version) : "not in the image",
          },
        ],
      };
    });
}

function serialNumber(subject: SbomSubject, inventory: Inventory): string {
  const hex = createHash("sha256")
    .update(JSON.stringify([subject.imageId, inventory.dpkg, inventory.pip]))
    .digest("hex");
  // An RFC 4122 version-5-shaped UUID from the contents: the same image gives the same serial number.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function buildSbom(subject: SbomSubject, inventory: Inventory, toolVersion: string): Bom {
  const distro = debianRelease(inventory);
  const torchNames = new Set(["python3-torch", "torch"]);
  const withTorch = (c: BomComponent, name: string): BomComponent =>
    subject.torch && torchNames.has(name) ? { ...c, properties: torchProperties(subject.torch) } : c;
  const deb = inventory.dpkg.map((p) => {
    const purl = debPurl(p.name, p.version, p.arch, distro);
    return withTorch({ type: "library", "bom-ref": purl, name: p.name, version: p.version, purl }, p.name);
  });
  const pypi = inventory.pip.map((d) => {
    const purl = pypiPurl(d.name, d.version);
    const c: BomComponent = {
      type: "library",
      "bom-ref": purl,
      name: d.name,
      version: d.version,
      purl,
      properties: [{ name: "torchstack:python:location", value: d.location }],
    };
    return withTorch(c, d.name);
  });
  const base: BomComponent = {
    type: "container",
    "bom-ref": "base-image",
    name: subject.base.ref,
    description: "the base image this image was built FROM",
    ...(subject.base.digest
      ? { hashes: [{ alg: "SHA-256", content: subject.base.digest.replace(/^sha256:/, "") }] }
      : {}),
  };
  const image: BomComponent = {
    type: "container",
    "bom-ref": "image",
    name: subject.name,
    version: subject.version,
    hashes: [{ alg: "SHA-256", content: subject.imageId.replace(/^sha256:/, "") }],
    properties: [
      { name: "torchstack:image:ref", value: subject.imageRef },
      { name: "torchstack:python", value: inventory.python },
      ...(subject.torch ? torchProperties(subject.torch) : []),
    ],
  };
  const components = [base, ...cudaComponents(subject.torch, inventory), ...deb, ...pypi];
  return {
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: serialNumber(subject, inventory),
    version: 1,
    metadata: {
      tools: {
        components: [
          { type: "application", "bom-ref": "tool:torchstack", name: "torchstack", version: toolVersion },
        ],
      },
      component: image,
      properties: [{ name: "torchstack:inventory:packages", value: String(deb.length + pypi.length) }],
    },
    components,
    dependencies: [{ ref: "image", dependsOn: components.map((c) => c["bom-ref"]) }],
  };
}
