/**
 * Splits two output streams into whole lines and labels each with its node
 * ("0: text"), the same shape srun's --label gives Slurm output, so one parser
 * reads every target's launcher output. Partial lines wait for their newline;
 * `flush` emits what is left when the process ends.
 */
export interface LineLabeller {
  push(stream: "out" | "err", chunk: string): void;
  flush(): void;
}

export function lineLabeller(node: string, emit: (line: string) => void): LineLabeller {
  const pending = { out: "", err: "" };
  return {
    push(stream, chunk) {
      const text = pending[stream] + chunk;
      const lines = text.split("\n");
      pending[stream] = lines.pop() ?? "";
      for (const line of lines) emit(`${node}: ${line}\n`);
    },
    flush() {
      for (const stream of ["out", "err"] as const) {
        if (pending[stream]) emit(`${node}: ${pending[stream]}\n`);
        pending[stream] = "";
      }
    },
  };
}
