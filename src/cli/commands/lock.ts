/**
 * `torchstack lock`: resolve the spec (as `resolve` does: for its `targets`, else
 * for this host) and write torchstack.lock beside it, saying what it was resolved
 * for; `--check` fails with E_LOCK_STALE when the spec or a catalog fact the lock
 * rests on changed, and never reads the host.
 */

import { dockerCli } from "../../engine/docker-cli.js";
import { lookupManifestDigest } from "../../engine/registry/registry-digest.js";
import { checkImageDrift } from "../../inventory/check-drift.js";
import { writeLock } from "../../lock/lock-file.js";
import { runProcess } from "../../process/run-process.js";
import { findSpecFile } from "../../spec/load-spec.js";
import { checkSpecLock, describeResolvedFor, lockSpec } from "../../workflows/lock-environment.js";
import { wheelLocker } from "../../workflows/lock-wheels.js";
import { defineCommand } from "../command.js";
import { indexOptions, noHostOption, specFileOption } from "../common-options.js";

export const lockCommand = defineCommand({
  name: "lock",
  summary: "pin the resolved stack and every package in torchstack.lock",
  usage:
    "lock [-f FILE] [--check [--image IMAGE]] [--no-host] [--offline] [--upgrade] [--python-index URL] [--pytorch-index URL]",
  description:
    "Resolves the spec like `torchstack resolve` and writes torchstack.lock beside it: the stack, the base image " +
    "(and its digest once known), every pin (torch, your pip and apt packages, app packages), apps, flavor and user. " +
    "Stable order, so diffs are clean. The base image is pinned to its registry digest when the registry answers " +
    "(FROM ref@sha256:…); offline, the lock says so and keeps the tag. It resolves for the spec's `targets` (GPUs, " +
    "driver floor, platform), or without them for this host, and records which. --check compares instead of " +
    "writing, re-resolving for the targets the lock records (never this host), and fails when the spec or a catalog " +
    "fact the lock rests on changed. For wheel images it also resolves the complete wheel set (torch, every " +
    "nvidia-*/cuda-* wheel, triton, the apps' and your packages, all dependencies) for the image's Python and " +
    "platform from the indexes' metadata, with pip, downloading no wheel, and records each wheel's version, index " +
    "and sha256; the stack's CUDA, cuDNN and NCCL are read back from those wheels. A re-lock keeps the previous " +
    "lock's torch layer (and the apps') while its requirements, Python, platform and indexes are unchanged, so a " +
    "new release of one of torch's dependencies never rebuilds that layer; --upgrade resolves everything afresh.",
  options: {
    file: specFileOption,
    check: { type: "boolean", description: "do not write; fail (E_LOCK_STALE) when the lock is out of date" },
    image: {
      type: "string",
      valueName: "IMAGE",
      description:
        "with --check: fail (E_IMAGE_DRIFT) when IMAGE's packages differ from the lock's inventory",
    },
    "no-host": noHostOption,
    offline: {
      type: "boolean",
      description:
        "from the catalog alone: no registry digest, no wheel resolution (the wheels stay unhashed; `build` records them)",
    },
    upgrade: {
      type: "boolean",
      description:
        "resolve every wheel afresh (the newest the spec allows); without it, torch's layer and the apps' keep the previous lock's wheels while their requirements, Python and indexes are unchanged",
    },
    ...indexOptions,
  },
  examples: [
    "torchstack lock",
    "torchstack lock --check --json",
    "torchstack lock -f examples/cpu/torchstack.yaml",
  ],
  async run(input, io) {
    const specFile = findSpecFile(io.cwd, input.flags.file);
    if (input.flags.check) {
      io.reporter.step(`checking ${specFile}'s lock (for the targets it records; this host is not read)`);
      const checked = await checkSpecLock(specFile, { env: io.env });
      const what = describeResolvedFor(checked.resolvedFor);
      const image = input.flags.image;
      // With --image: the image's every package against the inventory the lock records (E_IMAGE_DRIFT).
      const drift = image
        ? await checkImageDrift({ ...checked, inventory: checked.inventory() }, image, {
            run: runProcess,
            docker: dockerCli("images", io.env),
            env: io.env,
          })
        : undefined;
      return {
        json: {
          ok: true,
          upToDate: true,
          lock: checked.lockPath,
          resolvedFor: checked.resolvedFor,
          ...(drift ? { image: drift } : {}),
        },
        text: `${checked.lockPath} is up to date (resolved for ${what})${drift ? `; ${drift.image} matches its inventory (${drift.dpkgPackages} dpkg, ${drift.pipDistributions} pip)` : ""}`,
      };
    }
    io.reporter.step(`resolving ${specFile}`);
    const offline = input.flags.offline;
    const locked = await lockSpec(specFile, {
      env: io.env,
      noHost: input.flags["no-host"],
      ...(offline
        ? {}
        : {
            lookupBaseDigest: (ref: string) => lookupManifestDigest(ref),
            lockWheels: wheelLocker({
              run: runProcess,
              env: io.env,
              flags: {
                pythonIndex: input.flags["python-index"],
                pytorchIndex: input.flags["pytorch-index"],
              },
              upgrade: input.flags.upgrade,
              onStage: (message) => io.reporter.step(message),
              signal: io.signal,
            }),
          }),
    });
    const wheels = locked.lock.wheels;
    if (offline && locked.lock.torchSource === "wheels")
      io.reporter.warn(
        "--offline: the wheels are unhashed (torch pins only); `torchstack build` resolves every wheel and records its sha256",
      );
    for (const note of locked.notes) io.reporter.info(note);
    for (const warning of locked.warnings) io.reporter.warn(warning);
    writeLock(locked.lockPath, locked.lock);
    const s = locked.stack;
    return {
      json: {
        ok: true,
        lock: locked.lockPath,
        stack: s,
        resolvedFor: locked.resolvedFor,
        wheels: wheels
          ? {
              hashed: true,
              count: wheels.wheels.length,
              pythonIndex: wheels.pythonIndex,
              torchIndex: wheels.torchIndex,
            }
          : { hashed: false, count: 0 },
      },
      text: [
        `wrote ${locked.lockPath}: torch ${s.torch} (${s.wheel}), Python ${s.python}, ${locked.lock.pins.pip.length} pip and ${locked.lock.pins.apt.length} apt package(s)`,
        `resolved for ${describeResolvedFor(locked.resolvedFor)}`,
        ...(wheels ? [`${wheels.wheels.length} wheels locked by sha256 (${wheels.resolver})`] : []),
      ].join("\n"),
    };
  },
});
