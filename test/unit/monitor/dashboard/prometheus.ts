/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests:
 * every line is `# HELP`, `# TYPE`, or a sample `name{label="v",…} value`; TYPE comes
 * before a family's samples, families are contiguous, names and labels are valid,
 * label values are properly escaped. Throws with the line number on any violation.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseLabels(text: string, at: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf("=", i);
    const key = text.slice(i, eq);
    if (!LABEL.test(key) || text[eq + 1] !== '"')
      throw new Error(`line ${at}: bad label near "${text.slice(i)}"`);
    let j = eq + 2;
    let value = "";
    while (j < text.length && text[j] !== '"') {
      if (text[j] === "\\") {
        const next = text[j + 1];
        if (next === "n") value += "\n";
        else if (next === "\\" || next === '"') value += next;
        else throw new Error(`line ${at}: bad escape \\${next}`);
        j += 2;
      } else {
        value += text[j];
        j += 1;
      }
    }
    if (text[j] !== '"') throw new Error(`line ${at}: unterminated label value`);
    if (key in labels) throw new Error(`line ${at}: duplicate label ${key}`);
    labels[key] = value;
    i = j + 1;
    if (text[i] === ",") i += 1;
    else if (i < text.length) throw new Error(`line ${at}: expected , between labels`);
  }
  return labels;
}

export function parsePrometheusText(body: string): PromSample[] {
  if (!body.endsWith("\n")) throw new Error("exposition must end with a newline");
  const samples: PromSample[] = [];
  const typed = new Map<string, string>();
  const finished = new Set<string>();
  let current: string | undefined;
  body
    .slice(0, -1)
    .split("\n")
    .forEach((line, n) => {
      const at = n + 1;
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        const [, kind, name = "", ...rest] = line.split(" ");
        if (!NAME.test(name)) throw new Error(`line ${at}: bad metric name ${name}`);
        if (kind === "TYPE") {
          const type = rest.join(" ");
          if (!["counter", "gauge", "histogram", "summary", "untyped"].includes(type))
            throw new Error(`line ${at}: bad type ${type}`);
          if (typed.has(name)) throw new Error(`line ${at}: second TYPE for ${name}`);
          typed.set(name, type);
        }
        return;
      }
      if (line.startsWith("#") || line === "") throw new Error(`line ${at}: unexpected line "${line}"`);
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( \d+)?$/.exec(line);
      if (!match) throw new Error(`line ${at}: not a sample: ${line}`);
      const name = match[1] ?? "";
      if (!typed.has(name)) throw new Error(`line ${at}: sample before TYPE for ${name}`);
      if (current !== name) {
        if (finished.has(name)) throw new Error(`line ${at}: family ${name} is not contiguous`);
        if (current) finished.add(current);
        current = name;
      }
      const raw = match[4] ?? "";
      const value =
        raw === "+Inf" ? Number.POSITIVE_INFINITY : raw === "-Inf" ? Number.NEGATIVE_INFINITY : Number(raw);
      if (Number.isNaN(value) && raw !== "NaN") throw new Error(`line ${at}: bad value ${raw}`);
      samples.push({ name, labels: parseLabels(match[3] ?? "", at), value });
    });
  return samples;
}
