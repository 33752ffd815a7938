/** `torchstack catalog status`: the age and source of the built-in catalog and of the overlay. */
import { builtinCatalog, loadCatalog } from "../../catalog/catalog.js";
import { catalogStatus, statusText } from "../../catalog/catalog-report.js";
import { defineCommand } from "../command.js";

export const catalogStatusCommand = defineCommand({
  name: "catalog status",
  summary: "show the age and source of the built-in catalog and of the overlay",
  usage: "catalog status [--json]",
  description:
    "Says when the built-in facts were captured and from which sources file, and whether an overlay from " +
    "`catalog update` is merged in (its index, date and the releases it adds). Facts older than 60 days are stale.",
  options: {},
  examples: ["torchstack catalog status", "torchstack catalog status --json"],
  async run(_input, io) {
    const status = catalogStatus(await loadCatalog({ env: io.env }), builtinCatalog, new Date());
    return { json: { ok: true, ...status }, text: statusText(status) };
  },
});
