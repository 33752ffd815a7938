/**
 * The error every wheel-index parser throws for input that is not in the
 * index's format (a truncated page, an HTML error page, garbled metadata): it
 * names the URL and what was wrong, so `catalog update` can say what failed.
 */
import { TorchstackError } from "../../errors/torchstack-error.js";

export function indexFormatError(url: string, problem: string): TorchstackError {
  return new TorchstackError("E_CATALOG_INDEX_INVALID", `${url}: ${problem}`, {
    remedies: [
      "run `torchstack catalog update` again (a proxy or the index may have served a partial page); the previous overlay is kept",
      "check that --index names the base of a PEP 503 simple index (the folder holding torch/, torchvision/, torchaudio/)",
    ],
  });
}
