// Doctor's findings and the GPU-architecture support check reason over the catalog they are given, all
// of it: its releases (a release only that catalog has reaches the fix) and its CUDA families and
// toolkits (the driver floors), never the built-in tables behind it. Probe documents recorded on GPUs
// (test/fixtures/probe/, each says where its facts come from).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinCatalog, type Catalog } from "../../../src/catalog/catalog.js";
import { releasesSupporting } from "../../../src/probe/arch-support.js";
import { doctorFindings } from "../../../src/probe/doctor-findings.js";
import { type DoctorProbe, doctorProbeSchema } from "../../../src/probe/probe-schemas.js";

function load(name: string): DoctorProbe {
  const raw: unknown = JSON.parse(
    readFileSync(new URL(`../../fixtures/probe/${name}`, import.meta.url), "utf8"),
  );
  return doctorProbeSchema.parse(raw);
}

const findingsWith = (doc: DoctorProbe, catalog: Catalog) =>
  doctorFindings(doc.host, doc.python, { where: "/opt/venv/bin/python3", defaultPython: false, catalog });

/** The built-in catalog plus torch 2.99.0 (the newest confirmed release's sm_120 wheel, as cu140) and CUDA 14. */
function withExtraRelease(): Catalog {
  const newest = builtinCatalog.torchReleases.filter((r) => r.unconfirmed === undefined).at(-1);
  const variant = newest?.variants.find((v) => !v.experimental && v.archList.includes("sm_120"));
  if (!newest || !variant) throw new Error("the built-in catalog has no confirmed CUDA release");
  const extra = { ...newest, version: "2.99.0", variants: [{ ...variant, wheel: "cu140", cuda: "14.0" }] };
  const family = {
    ...builtinCatalog.cudaFamilies[0],
    major: 14,
    minDriver: "640.1",
  } as Catalog["cudaFamilies"][number];
  return {
    ...builtinCatalog,
    torchReleases: [...builtinCatalog.torchReleases, extra],
    cudaFamilies: [...builtinCatalog.cudaFamilies, family],
  };
}

describe("doctor with the catalog it is given", () => {
  it("names a release only the passed catalog has, with that catalog's driver floor", () => {
    const doc = load("doctor-rtx5090-torch26-cu124.json"); // sm_120 under torch 2.6 cu124
    const catalog = withExtraRelease();
    expect(releasesSupporting(catalog, "12.0").at(-1)).toEqual({ torch: "2.99.0", wheels: ["cu140"] });
    const arch = findingsWith(doc, catalog).find((f) => f.code === "E_ARCH_NOT_COMPATIBLE");
    expect(arch?.fix[0]).toMatch(
      /^install torch 2\.99\.0 built for cu140: .*\(needs NVIDIA driver >= 640\.1\)$/,
    );
    const builtin = findingsWith(doc, builtinCatalog).find((f) => f.code === "E_ARCH_NOT_COMPATIBLE");
    expect(builtin?.fix.join("\n")).not.toContain("2.99.0");
  });

  it("takes the CUDA driver floors from the passed catalog's families and toolkits", () => {
    const doc = load("doctor-h100-driver550-torch-cu128.json"); // driver 550.54.15, torch cu128
    const severity = (catalog: Catalog) =>
      findingsWith(doc, catalog).find((f) => f.code === "E_DRIVER_TOO_OLD")?.severity;
    // built in: 550 meets CUDA 12's floor (525.60.13), so only the 12.8 toolkit's GA driver is missed
    expect(severity(builtinCatalog)).toBe("warning");
    const raised: Catalog = {
      ...builtinCatalog,
      cudaFamilies: builtinCatalog.cudaFamilies.map((f) => (f.major === 12 ? { ...f, minDriver: "560" } : f)),
    };
    expect(severity(raised)).toBe("error");
    const toolkitsMet: Catalog = {
      ...builtinCatalog,
      cudaToolkits: builtinCatalog.cudaToolkits.map((t) =>
        t.version === "12.8" ? { ...t, gaDriver: "550", toolkitDriver: "550" } : t,
      ),
    };
    expect(severity(toolkitsMet)).toBeUndefined();
  });
});
