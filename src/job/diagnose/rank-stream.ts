/**
 * Reads a job's launcher output (pure) into lines that each know their node
 * and, where torchrun's tee prefix says so, their global rank. Nodes come from
 * the launcher's label ("N: " from srun --label and the local runner, or
 * kubectl's "[pod/NAME-N-…/container]" prefix); ranks from torchrun's
 * "[default<local rank>]:" (rank = node × procs per node + local rank) or
 * "[rank<R>]:" prefix (torch's own "[rankR]:" after the tee prefix is dropped, so
 * it is not shown twice). Lines without a rank prefix are the node's agent (or a
 * rank's unprefixed stderr).
 */

export interface StreamLine {
  /** Position in the launcher output: the time order of arrival. */
  order: number;
  node: number | null;
  rank: number | null;
  text: string;
}

const NODE_LABEL = /^(\d+): ?(.*)$/;
const POD_PREFIX = /^\[pod\/([^/\]]+)\/[^\]]+\] ?(.*)$/;
const LOCAL_RANK = /^\[(?:default|[A-Za-z_]+?)(\d+)\]:(.*)$/;
const GLOBAL_RANK = /^\[rank(\d+)\]:\s?(.*)$/;

/** torch's own `[rankN]:` prefix on a rank's error lines (torch >= 2.2), dropped: the line already carries its rank. */
export function withoutTorchRankPrefix(text: string): string {
  return text.replace(/^\[rank\d+\]:\s?/, "");
}

/** The pod's index in a JobSet / Indexed Job name: `NAME-node-0-1-abcde`, `NAME-1-abcde`. */
function podIndex(pod: string): number | null {
  const match = /-(\d+)-[a-z0-9]{5}$/.exec(pod) ?? /-(\d+)$/.exec(pod);
  return match?.[1] ? Number(match[1]) : null;
}

export function parseRankStream(output: string, procsPerNode: number): StreamLine[] {
  const lines: StreamLine[] = [];
  const raw = output.replace(/\r\n?/g, "\n").split("\n");
  if (raw.at(-1) === "") raw.pop();
  raw.forEach((line, order) => {
    let node: number | null = null;
    let rest = line;
    const labelled = NODE_LABEL.exec(line);
    const pod = labelled ? null : POD_PREFIX.exec(line);
    if (labelled) {
      node = Number(labelled[1]);
      rest = labelled[2] ?? "";
    } else if (pod) {
      node = podIndex(pod[1] ?? "");
      rest = pod[2] ?? "";
    }
    let rank: number | null = null;
    const global = GLOBAL_RANK.exec(rest);
    const local = global ? null : LOCAL_RANK.exec(rest);
    if (global) {
      rank = Number(global[1]);
      rest = global[2] ?? "";
    } else if (local) {
      rank = (node ?? 0) * procsPerNode + Number(local[1]);
      rest = local[2] ?? "";
    }
    if (rank !== null) rest = withoutTorchRankPrefix(rest);
    lines.push({ order, node, rank, text: rest });
  });
  return lines;
}

/** `[rank 3] text`, `[node 1] text` (an agent line), or the text alone when nothing is known. */
export function formatStreamLine(line: Pick<StreamLine, "node" | "rank" | "text">): string {
  if (line.rank !== null) return `[rank ${line.rank}] ${line.text}`;
  if (line.node !== null) return `[node ${line.node}] ${line.text}`;
  return line.text;
}
