/**
 * The pip command line that resolves a wheel set for another machine without
 * downloading a wheel: `pip install --dry-run --report -` for the image's CPython
 * and manylinux tags, wheels only, ignoring what the host has installed. pip reads
 * each candidate's metadata from the index (PEP 658 `.metadata` files) rather than
 * the wheel. Index URLs go through the environment, never the argument list.
 */

export interface PipResolveArgs {
  requirements: readonly string[];
  python: string;
  platforms: readonly string[];
  /** A constraints file pinning what earlier layers installed. */
  constraintsFile?: string;
  /** Resolve only these packages, not their dependencies. */
  noDeps?: boolean;
  /** pip 23 insists on --target with --platform; a dry run writes nothing there. */
  targetDir: string;
}

export function pipResolveArgs(input: PipResolveArgs): string[] {
  const freeThreaded = input.python.endsWith("t");
  const version = input.python.replace(/t$/, "");
  const args = [
    "-m",
    "pip",
    "install",
    "--dry-run",
    "--quiet",
    "--report",
    "-",
    "--ignore-installed",
    "--only-binary=:all:",
    "--target",
    input.targetDir,
    "--implementation",
    "cp",
    "--python-version",
    version,
    ...(freeThreaded ? ["--abi", `cp${version.replace(".", "")}t`] : []),
    ...input.platforms.flatMap((p) => ["--platform", p]),
  ];
  if (input.noDeps) args.push("--no-deps");
  if (input.constraintsFile) args.push("--constraint", input.constraintsFile);
  return [...args, ...input.requirements];
}

/** The environment pip runs with: the indexes (credentials via a netrc file), no prompts, no host config. */
export function pipResolveEnv(
  env: NodeJS.ProcessEnv,
  index: string,
  extraIndex: string | null,
  netrcFile: string | null,
): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith("PIP_")) clean[key] = value;
  return {
    ...clean,
    PIP_INDEX_URL: index,
    ...(extraIndex ? { PIP_EXTRA_INDEX_URL: extraIndex } : {}),
    PIP_NO_INPUT: "1",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    PIP_CONFIG_FILE: "/dev/null",
    ...(netrcFile ? { NETRC: netrcFile } : {}),
  };
}
