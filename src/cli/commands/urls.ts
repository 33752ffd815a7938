/**
 * `torchstack urls [NAME]`: the access `up` printed (Jupyter URL with its token, SSH command), from the saved
 * record; NAME defaults to the spec's here, as for `up`.
 */

import { existsSync } from "node:fs";
import { readEnvironmentRecord } from "../../environments/environment-record.js";
import { EngineError } from "../../errors/torchstack-error.js";
import { environmentRecordPath } from "../../fs/state-dir.js";
import { defineCommand } from "../command.js";
import { environmentNameOrSpec } from "../spec-environment.js";

export const urlsCommand = defineCommand({
  name: "urls",
  summary: "show an environment's URLs and SSH command again",
  usage: "urls [NAME]",
  options: {},
  positionals: [{ name: "NAME", description: "environment name (default: the spec's name)" }],
  examples: ["torchstack urls cpu-example", "torchstack urls cpu-example --json"],
  async run(input, io) {
    const name = await environmentNameOrSpec(input, io.cwd);
    const record = readEnvironmentRecord(io.env, name);
    const path = environmentRecordPath(io.env, name);
    if (!record && existsSync(path)) {
      throw new EngineError("E_RECORD_CORRUPT", `the record of ${name} at ${path} cannot be read`, {
        remedies: [`torchstack down ${name} && torchstack up ${name} (writes a fresh record)`],
      });
    }
    if (!record) {
      const { explainNoRecord } = await import("../../environments/explain-no-record.js");
      throw await explainNoRecord(io.env, name);
    }
    const lines = Object.entries(record.urls).map(([app, url]) => `${app}: ${url}`);
    if (record.ssh) lines.push(`ssh: ${record.ssh}`);
    return {
      json: {
        ok: true,
        name,
        container: record.container,
        urls: record.urls,
        ...(record.ssh ? { ssh: record.ssh } : {}),
      },
      text: lines.join("\n") || `${name} runs no apps`,
    };
  },
});
