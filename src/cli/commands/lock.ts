/**
 * `torchstack lock`: resolve the spec (as `resolve` does) and write
 * torchstack.lock beside it; `--check` fails with E_LOCK_STALE when the lock
 * on disk no longer matches the spec.
 */

import { lookupManifestDigest } from "../../engine/registry/registry-digest.js";
import { checkLock } from "../../lock/check-lock.js";
import { readLock, writeLock } from "../../lock/lock-file.js";
import { findSpecFile } from "../../spec/load-spec.js";
import { lockSpec } from "../../workflows/lock-environment.js";
import { booleanFlag, stringFlag } from "../args.js";
import { defineCommand } from "../command.js";
import { noHostOption, specFileOption } from "../common-options.js";

export const lockCommand = defineCommand({
  name: "lock",
  summary: "pin the resolved stack and every package in torchstack.lock",
  usage: "lock [-f FILE] [--check] [--no-host] [--offline]",
  description:
    "Resolves the spec like `torchstack resolve` and writes torchstack.lock beside it: the stack, the base image " +
    "(and its digest once known), every pin (torch, your pip and apt packages, app packages), apps, flavor and user. " +
    "Stable order, so diffs are clean. The base image is pinned to its registry digest when the registry answers " +
    "(FROM ref@sha256:…); offline, the lock says so and keeps the tag. --check compares instead of writing and " +
    "fails when they disagree.",
  options: {
    file: specFileOption,
    check: { type: "boolean", description: "do not write; fail (E_LOCK_STALE) when the lock is out of date" },
    "no-host": noHostOption,
    offline: { type: "boolean", description: "do not ask the base image's registry for its digest" },
  },
  examples: [
    "torchstack lock",
    "torchstack lock --check --json",
    "torchstack lock -f examples/cpu/torchstack.yaml",
  ],
  async run(input, io) {
    const specFile = findSpecFile(io.cwd, stringFlag(input, "file"));
    io.reporter.step(`resolving ${specFile}`);
    const check = booleanFlag(input, "check");
    const lookup = !check && !booleanFlag(input, "offline");
    const locked = await lockSpec(specFile, {
      env: io.env,
      noHost: booleanFlag(input, "no-host"),
      ...(lookup ? { lookupBaseDigest: (ref: string) => lookupManifestDigest(ref) } : {}),
    });
    for (const note of locked.notes) io.reporter.info(note);
    for (const warning of locked.warnings) io.reporter.warn(warning);
    if (check) {
      // lockSpec already read a clean lock; readLock again only to raise its error (missing or invalid).
      checkLock(locked.previous ?? readLock(locked.lockPath), locked.spec, locked.stack);
      return {
        json: { ok: true, upToDate: true, lock: locked.lockPath },
        text: `${locked.lockPath} is up to date`,
      };
    }
    writeLock(locked.lockPath, locked.lock);
    const s = locked.stack;
    return {
      json: { ok: true, lock: locked.lockPath, stack: s },
      text: `wrote ${locked.lockPath}: torch ${s.torch} (${s.wheel}), Python ${s.python}, ${locked.lock.pins.pip.length} pip and ${locked.lock.pins.apt.length} apt package(s)`,
    };
  },
});
