/**
 * Text and JSON forms of a resolve result. The JSON form is the contract
 * `{"ok":true,"stack":{…},"warnings":[…],"explain":[…]}` (explain empty unless
 * asked for); the text form is an aligned table, then warnings and reasons.
 */
import type { ExplainEntry, ResolveResult } from "./resolve-request.js";
import type { ResolvedStack } from "./stack.js";

export interface ResolveJson {
  ok: true;
  stack: ResolvedStack;
  warnings: string[];
  explain: ExplainEntry[];
}

export function resolveJson(result: ResolveResult, explain: boolean): ResolveJson {
  return { ok: true, stack: result.stack, warnings: result.warnings, explain: explain ? result.explain : [] };
}

function rows(stack: ResolvedStack): Array<[string, string]> {
  return [
    ["torch", stack.torch],
    ["wheel", stack.wheel],
    ["cuda", stack.cuda ?? "—"],
    ["cudnn", stack.cudnn ?? "—"],
    ["nccl", stack.nccl ?? "—"],
    ["python", stack.python],
    ["torchvision", stack.torchvision ?? "none"],
    ["torchaudio", stack.torchaudio ?? "none"],
    ["min driver", stack.minDriver ?? "—"],
    ["arch list", stack.archList.length > 0 ? stack.archList.join(" ") : "—"],
  ];
}

export function resolveText(result: ResolveResult, explain: boolean): string {
  const table = rows(result.stack);
  const width = Math.max(...table.map(([key]) => key.length));
  const lines = table.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`);
  if (result.warnings.length > 0) {
    lines.push("", "Warnings:", ...result.warnings.map((w) => `  ! ${w}`));
  }
  if (explain) {
    const subjectWidth = Math.max(...result.explain.map((e) => e.subject.length));
    lines.push(
      "",
      "Why:",
      ...result.explain.map(
        (e) => `  ${e.verdict.padEnd(8)}  ${e.subject.padEnd(subjectWidth)}  ${e.reason}`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
