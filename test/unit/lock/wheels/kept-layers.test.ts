/**
 * keptLayers: a re-lock keeps torch's layer (and the installer) only while every
 * input it was resolved from is the same, and the apps' layer only with it.
 */
import { describe, expect, it } from "vitest";
import { keptLayers, type WheelSetInputs } from "../../../../src/lock/wheels/kept-layers.js";
import type { LockedWheel, WheelLayer, WheelSet } from "../../../../src/lock/wheels/wheel-set-schema.js";

const PYPI = "https://pypi.org/simple";
const wheel = (name: string, layer: WheelLayer): LockedWheel => ({
  name,
  version: "1.0",
  index: PYPI,
  file: `${name}-1.0-py3-none-any.whl`,
  sha256: "a".repeat(64),
  layer,
});
const set: WheelSet = {
  resolver: "pip 25.1 install --dry-run --report",
  python: "3.13",
  platforms: ["manylinux_2_28_x86_64"],
  pythonIndex: PYPI,
  torchIndex: null,
  wheels: [
    wheel("torch", "torch"),
    wheel("uv", "installer"),
    wheel("jupyterlab", "apps"),
    wheel("rich", "pip"),
  ],
};
const inputs: WheelSetInputs = {
  python: "3.13",
  platforms: ["manylinux_2_28_x86_64"],
  pythonIndex: PYPI,
  torchIndex: null,
  torchRequirements: ["torch==2.14.1", "torchvision==0.29.1"],
  appRequirements: ["jupyterlab==4.4.9"],
};
const names = (kept: { wheels: LockedWheel[] }) => kept.wheels.map((w) => w.name);

describe("which layers a re-lock keeps", () => {
  it("keeps torch, the installer and the apps when only your packages changed (requirement order aside)", () => {
    const kept = keptLayers(inputs, set, {
      ...inputs,
      torchRequirements: ["torchvision==0.29.1", "torch==2.14.1"],
    });
    expect(kept.layers).toEqual(["torch", "installer", "apps"]);
    expect(names(kept)).toEqual(["torch", "uv", "jupyterlab"]);
  });

  it("resolves the apps again when their requirements changed, keeping torch's layer", () => {
    const kept = keptLayers(inputs, set, { ...inputs, appRequirements: ["jupyterlab==4.4.9", "notebook"] });
    expect(names(kept)).toEqual(["torch", "uv"]);
  });

  it.each([
    ["torch's requirements", { torchRequirements: ["torch==2.14.0", "torchvision==0.29.1"] }],
    ["the Python", { python: "3.12" }],
    ["the platform tags", { platforms: ["manylinux_2_28_aarch64"] }],
    ["the Python index", { pythonIndex: "https://mirror.example/simple" }],
    ["the PyTorch index", { torchIndex: "https://mirror.example/whl/cu130" }],
  ])("keeps nothing when %s changed", (_what, change) => {
    expect(keptLayers(inputs, set, { ...inputs, ...change })).toEqual({ layers: [], wheels: [] });
  });

  it("keeps nothing from a set without a torch layer", () => {
    const bare = { ...set, wheels: set.wheels.filter((w) => w.layer !== "torch") };
    expect(keptLayers(inputs, bare, inputs).layers).toEqual([]);
  });
});
