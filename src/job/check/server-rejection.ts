/**
 * What a Kubernetes API server said about one object, as kubectl prints it
 * (`Error from server (Invalid): error when creating "F": Kind.group "name" is
 * invalid: [spec.a: Invalid value: …, spec.b: Required value]`), split into
 * field paths and messages, each with the fix torchstack can name: a name the
 * CEL rule refuses, an object that already exists (immutable fields), a
 * namespace, CRD or PriorityClass the cluster lacks, a permission. Pure text in, data out.
 */
export interface ServerRejection {
  /** The field path as the server names it (`spec.trainer.numNodes`), or "" for the whole object. */
  path: string;
  message: string;
  fix: string[];
}

export interface ObjectRef {
  kind: string;
  name: string;
  namespace: string;
}

/** The fix for an object that exists already: a new name, or the old one removed first. */
export function existingObjectFix(ref: ObjectRef): string[] {
  return [
    `a new name: change \`name\` in the spec (the job's objects are named after it), then job check --server again`,
    `or replace it: kubectl delete ${ref.kind.toLowerCase()} ${ref.name} --namespace ${ref.namespace} (then job run)`,
  ];
}

function fixFor(path: string, message: string, ref: ObjectRef): string[] {
  if (/immutable/i.test(message)) return existingObjectFix(ref);
  if (/metadata\.name|\.name$/.test(path || message) && /RFC 1035|DNS-1035|DNS/.test(message))
    return [
      "a spec `name` that starts with a letter: the job's objects and their children are named after it",
    ];
  const unknown = /strict decoding error: unknown field "([^"]+)"/.exec(message);
  if (unknown)
    return [
      `the cluster's ${ref.kind} CRD has no ${unknown[1]}: it runs another version than torchstack renders for (kubectl get crd -o yaml shows it); upgrade that operator`,
      "or job.kubernetes.flavor: jobset or indexed-job",
    ];
  const namespace = /namespaces? "([^"]+)" not found/.exec(message);
  if (namespace)
    return [
      `kubectl create namespace ${namespace[1]}`,
      "or job.kubernetes.namespace: NAMESPACE (one that exists: kubectl get namespaces)",
    ];
  const priority =
    /PriorityClass with name (\S+) was found|priorityclass(?:es)?\.\S* "([^"]+)" not found/i.exec(message);
  if (priority)
    return [
      `job.kubernetes.priorityClass: one the cluster has (kubectl get priorityclass), not ${priority[1] ?? priority[2]}`,
    ];
  if (/no matches for kind|ensure CRDs are installed/i.test(message))
    return [
      `install the ${ref.kind} operator's CRDs on the cluster`,
      "or job.kubernetes.flavor: indexed-job (needs no operator)",
    ];
  if (/forbidden/i.test(message))
    return [
      `kubectl auth can-i create ${ref.kind.toLowerCase()} --namespace ${ref.namespace} (ask for that permission)`,
    ];
  if (/nvidia\.com|limit|request/i.test(`${path} ${message}`))
    return ["job.resources and job.gpusPerNode in the spec (what each pod requests)"];
  return ["report this render: torchstack job render --target kubernetes --json"];
}

/** The causes of a `… is invalid: …` message (one, or a bracketed list), else the whole text. */
export function parseServerRejection(stderr: string, ref: ObjectRef): ServerRejection[] {
  const text = stderr
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .join(" ");
  const invalid = / is invalid: (.*)$/.exec(text);
  if (!invalid) {
    const message = text.replace(/^Error from server(?: \([A-Za-z]+\))?: (error when \w+ "[^"]*": )?/, "");
    return [{ path: "", message, fix: fixFor("", message, ref) }];
  }
  let body = (invalid[1] ?? "").trim();
  if (body.startsWith("[") && body.endsWith("]")) body = body.slice(1, -1);
  return body.split(/, (?=(?:<nil>|[A-Za-z][\w.[\]\-/]*): )/).map((cause) => {
    const split = /^(<nil>|[A-Za-z][\w.[\]\-/]*): (.*)$/.exec(cause);
    const path = split && split[1] !== "<nil>" ? (split[1] ?? "") : "";
    const message = split ? (split[2] ?? cause) : cause;
    return { path, message, fix: fixFor(path, message, ref) };
  });
}
