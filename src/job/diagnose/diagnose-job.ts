/**
 * `job diagnose`: reads a job's launcher output and torchrun's per-rank files,
 * names the root-cause rank (first failure in time, not the collateral exits)
 * with its node, exit code and evidence, and lists the known problems found in
 * every rank's and agent's text (the same table `diagnose` uses, with the rank
 * and node each was seen on). Reads files; the reasoning is pure.
 */

import { diagnoseLog } from "../../diagnose/diagnose-log.js";
import type { ErrorCode } from "../../errors/error-codes.js";
import { type RankFile, readRankFiles } from "./rank-files.js";
import { parseRankStream, type StreamLine } from "./rank-stream.js";
import { pickRootCause, type RankFailure, type RootCause } from "./root-cause.js";
import { parseAgentFailures } from "./torchrun-summary.js";

export interface JobFinding {
  code: ErrorCode;
  title: string;
  cause: string;
  evidence: string;
  fix: string[];
  rank: number | null;
  node: string | null;
}

export interface JobDiagnosis {
  rootCause: RootCause | null;
  findings: JobFinding[];
}

export interface DiagnoseJobInput {
  /** The launcher's merged output (node-labelled). */
  output: string;
  /** torchrun's per-rank log folder, when there is one. */
  rankLogDir: string | null;
  procsPerNode: number;
  /** The recorded job's id, for fixes that name it (absent for a folder of logs). */
  id?: string | undefined;
  /** What the scheduler said about the job, when known. */
  scheduler?: { state: string; reason: string | null; exitCode: number | null };
}

/** The line of a traceback that says what happened (the exception), or the last non-empty line. */
export function exceptionLine(text: string): string | null {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const exception = [...lines]
    .reverse()
    .find((line) => /^[\w.]*(?:Error|Exception|Interrupt|Exit)\b.*?:|^[\w.]+(?:Error|Exception)$/.test(line));
  return exception ?? null;
}

const SRUN_TASK = /^srun: error: (\S+): tasks? ([\d,-]+): (.*)$/;

/** Node index → hostname, from srun's "srun: error: HOST: task N: …" lines and agent tables. */
function nodeNames(lines: readonly StreamLine[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of lines) {
    const srun = SRUN_TASK.exec(line.text.trim());
    if (srun?.[1] && srun[2] && /^\d+$/.test(srun[2])) names.set(Number(srun[2]), srun[1]);
  }
  return names;
}

function textOf(lines: readonly StreamLine[], match: (line: StreamLine) => boolean): string {
  return lines
    .filter(match)
    .map((line) => line.text)
    .join("\n");
}

function firstOrder(lines: readonly StreamLine[], match: (line: StreamLine) => boolean): number | null {
  return lines.find((line) => match(line) && exceptionLine(line.text) !== null)?.order ?? null;
}

/** The launcher or the scheduler says the job failed (srun's task errors, a FAILED state). */
function hasFailureSigns(lines: readonly StreamLine[], input: DiagnoseJobInput): boolean {
  return input.scheduler?.state === "FAILED" || lines.some((line) => SRUN_TASK.test(line.text.trim()));
}

/** A Python traceback ending in an uncaught exception exits 1 (SystemExit and KeyboardInterrupt set their own). */
function pythonExit(text: string, evidence: string): number | null {
  return text.includes("Traceback (most recent call last):") &&
    !/^(?:SystemExit|KeyboardInterrupt)\b/.test(evidence)
    ? 1
    : null;
}

/** One failure per rank whose stderr / error file (or its lines in the stream) end in an exception. */
function rankOwnFailures(
  lines: readonly StreamLine[],
  files: readonly RankFile[],
  known: ReadonlySet<number | null>,
  nodeName: (node: number | null) => string,
): RankFailure[] {
  const ranks = new Set([...files.map((f) => f.rank), ...lines.map((l) => l.rank)]);
  const failures: RankFailure[] = [];
  for (const rank of ranks) {
    if (rank === null || known.has(rank)) continue;
    const own = files.filter((f) => f.rank === rank && f.stream !== "stdout");
    const streamText = textOf(lines, (l) => l.rank === rank);
    const fromFiles = own.map((f) => ({ f, line: exceptionLine(f.text) })).find((x) => x.line !== null);
    const evidence = fromFiles?.line ?? exceptionLine(streamText);
    if (!evidence) continue;
    const node = own[0]?.node ?? lines.find((l) => l.rank === rank)?.node ?? null;
    failures.push({
      rank,
      node: nodeName(node),
      exitCode: pythonExit(fromFiles ? fromFiles.f.text : streamText, evidence),
      evidence,
      timeMs: own.length ? Math.max(...own.map((f) => f.mtimeMs)) : null,
      order: firstOrder(lines, (l) => l.rank === rank) ?? Number.MAX_SAFE_INTEGER,
    });
  }
  return failures;
}

export function diagnoseJob(input: DiagnoseJobInput): JobDiagnosis {
  const lines = parseRankStream(input.output, input.procsPerNode);
  const files = input.rankLogDir ? readRankFiles(input.rankLogDir, lines, input.procsPerNode) : [];
  const names = nodeNames(lines);
  const agentFailures = parseAgentFailures(lines);
  const nodeName = (node: number | null, host?: string | null) =>
    host ?? (node === null ? "unknown" : (names.get(node) ?? `node ${node}`));
  const filesOf = (rank: number | null, node: number | null, localRank: number | null): RankFile[] =>
    files.filter((f) => (rank !== null && f.rank === rank) || (f.node === node && f.localRank === localRank));

  const failures: RankFailure[] = [];
  for (const agent of agentFailures) {
    const own = filesOf(agent.rank, agent.node, agent.localRank).filter((f) => f.stream !== "stdout");
    const fromFiles = own.map((f) => exceptionLine(f.text)).find((line) => line !== null) ?? null;
    const fromStream = exceptionLine(textOf(lines, (l) => l.rank !== null && l.rank === agent.rank));
    const killed =
      agent.signal ?? (agent.exitCode !== null && agent.exitCode < 0 ? `signal ${-agent.exitCode}` : null);
    const evidence =
      fromFiles ??
      fromStream ??
      (killed
        ? `killed by ${killed} (exitcode ${agent.exitCode})`
        : `exited with exitcode ${agent.exitCode ?? "unknown"}`);
    const lastWrite = own.length ? Math.max(...own.map((f) => f.mtimeMs)) : null;
    failures.push({
      rank: agent.rank,
      node: nodeName(agent.node, agent.host),
      exitCode: agent.exitCode,
      evidence: killed && !fromFiles ? `killed by ${killed} (exitcode ${agent.exitCode})` : evidence,
      timeMs: lastWrite ?? (agent.time === null ? null : agent.time * 1000),
      order: firstOrder(lines, (l) => l.rank !== null && l.rank === agent.rank) ?? agent.order,
    });
  }
  // Ranks whose own text says why they failed but that no agent table names: srun ends an agent that has not
  // printed its table yet when another node's agent exits first, so a table cannot be relied on.
  const failedRanks = new Set(failures.map((f) => f.rank));
  if (failures.length > 0 || hasFailureSigns(lines, input))
    for (const failure of rankOwnFailures(lines, files, failedRanks, nodeName)) failures.push(failure);
  // Nodes whose agent itself failed (rendezvous, a killed node) without a worker table.
  const failedNodes = new Set(agentFailures.map((f) => f.node));
  for (const line of lines) {
    const srun = SRUN_TASK.exec(line.text.trim());
    if (!srun?.[2] || !/^\d+$/.test(srun[2])) continue;
    const node = Number(srun[2]);
    if (failedNodes.has(node)) continue;
    failedNodes.add(node);
    const agentText = textOf(lines, (l) => l.node === node && l.rank === null);
    const exception = exceptionLine(agentText);
    const exit = /exit code (\d+)/.exec(srun[3] ?? "")?.[1];
    failures.push({
      rank: null,
      node: srun[1] ?? nodeName(node),
      exitCode: exit ? Number(exit) : /Killed/i.test(srun[3] ?? "") ? 137 : null,
      evidence: exception ?? srun[3] ?? line.text,
      timeMs: null,
      order: firstOrder(lines, (l) => l.node === node && l.rank === null) ?? line.order,
    });
  }
  // No table and no srun line (a folder of agent logs, a launcher that died early): each node's first exception.
  if (failures.length === 0) {
    for (const node of new Set(lines.map((l) => l.node))) {
      const first = lines.find((l) => l.node === node && l.rank === null && exceptionLine(l.text) !== null);
      if (first)
        failures.push({
          rank: null,
          node: nodeName(node),
          exitCode: input.scheduler?.exitCode ?? null,
          evidence: first.text.trim(),
          timeMs: null,
          order: first.order,
        });
    }
  }
  if (failures.length === 0 && input.scheduler?.state === "FAILED" && input.scheduler.reason)
    failures.push({
      rank: null,
      node: nodeName(lines.find((l) => l.node !== null)?.node ?? 0),
      exitCode: input.scheduler.exitCode,
      evidence: `the scheduler reports ${input.scheduler.reason}`,
      timeMs: null,
      order: 0,
    });
  const rootCause = pickRootCause(failures);
  return { rootCause, findings: collectFindings(lines, files, rootCause, nodeName, input) };
}

/** The shared table's fixes say `job logs ID`: a recorded job's fix names its real id. */
function withJobId(fix: readonly string[], id: string | undefined): string[] {
  return id ? fix.map((line) => line.replace(/\bjob logs ID\b/g, `job logs ${id}`)) : [...fix];
}

/** Where to read the root cause's own lines: `job logs` of the recorded job, else the rank's file. */
function rootCauseFix(rootCause: RootCause, files: readonly RankFile[], input: DiagnoseJobInput): string {
  if (input.id)
    return rootCause.rank === null
      ? `torchstack job logs ${input.id} (the lines of ${rootCause.node})`
      : `torchstack job logs ${input.id} --rank ${rootCause.rank}`;
  const own = files.find((f) => f.rank !== null && f.rank === rootCause.rank && f.stream !== "stdout");
  if (own) return `its own output: ${own.path}`;
  return `the lines of ${rootCause.rank === null ? rootCause.node : `rank ${rootCause.rank}`} in the launcher output`;
}

function collectFindings(
  lines: readonly StreamLine[],
  files: readonly RankFile[],
  rootCause: RootCause | null,
  nodeName: (node: number | null) => string,
  input: DiagnoseJobInput,
): JobFinding[] {
  const found = new Map<ErrorCode, JobFinding>();
  const add = (finding: JobFinding) => {
    if (!found.has(finding.code)) found.set(finding.code, finding);
  };
  if (rootCause) {
    add({
      code: rootCause.rank === null ? "E_JOB_NODE_FAILED" : "E_JOB_RANK_FAILED",
      title:
        rootCause.rank === null
          ? `Node ${rootCause.node} failed first`
          : `Rank ${rootCause.rank} failed first`,
      cause:
        rootCause.rank === null
          ? `The launcher on ${rootCause.node} failed before (or without) any rank failing; the other nodes' exits follow from it.`
          : `Rank ${rootCause.rank} on ${rootCause.node} failed first (exit ${rootCause.exitCode ?? "unknown"}); the other ranks' exits are collateral.`,
      evidence: rootCause.evidence,
      fix: [rootCauseFix(rootCause, files, input)],
      rank: rootCause.rank,
      node: rootCause.node,
    });
  }
  // Per-rank texts first (the root cause's rank leads), then each node's agent lines.
  const ranks = [...new Set([...lines.map((l) => l.rank), ...files.map((f) => f.rank)])].filter(
    (r): r is number => r !== null,
  );
  ranks.sort((a, b) => (a === rootCause?.rank ? -1 : b === rootCause?.rank ? 1 : a - b));
  for (const rank of ranks) {
    const text = [
      ...files.filter((f) => f.rank === rank).map((f) => f.text),
      textOf(lines, (l) => l.rank === rank),
    ].join("\n");
    const node = files.find((f) => f.rank === rank)?.node ?? lines.find((l) => l.rank === rank)?.node ?? null;
    for (const f of diagnoseLog(text))
      add({
        code: f.code,
        title: f.title,
        cause: f.cause,
        evidence: f.evidence,
        fix: withJobId(f.fix, input.id),
        rank,
        node: nodeName(node),
      });
  }
  const nodes = [...new Set(lines.map((l) => l.node))];
  for (const node of nodes) {
    for (const f of diagnoseLog(textOf(lines, (l) => l.node === node && l.rank === null)))
      add({
        code: f.code,
        title: f.title,
        cause: f.cause,
        evidence: f.evidence,
        fix: withJobId(f.fix, input.id),
        rank: null,
        node: node === null ? null : nodeName(node),
      });
  }
  if (input.scheduler?.reason && /NODE_FAIL|NodeFail/i.test(input.scheduler.reason))
    add({
      code: "E_JOB_NODE_FAILED",
      title: "Slurm lost a node",
      cause: `The scheduler ended the job with ${input.scheduler.reason}.`,
      evidence: input.scheduler.reason,
      fix: ["sinfo -R (why nodes are down)", "resubmit; exclude the node with --exclude=NODE if it repeats"],
      rank: null,
      node: null,
    });
  return [...found.values()];
}
