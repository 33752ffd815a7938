/**
 * What the distribution's torch packages report to pip. Debian builds them from
 * git without version tags, so python3-torch 1.13.1+dfsg-4 installs
 * `torch 1.13.0a0+gitunknown`. The constraints file must name exactly these
 * versions, or any pip install that mentions torch would try to fetch another one.
 * Measured with importlib.metadata.version() in images built from Debian 12
 * (bookworm) on 2026-11-23 and Debian 13 (trixie) on 2026-12-01.
 */

const MEASURED: Readonly<Record<string, string>> = {
  "python3-torch=1.13.1+dfsg-4": "torch==1.13.0a0+gitunknown",
  "python3-torchvision=0.14.1-2": "torchvision==0.14.1a0",
  "python3-torchaudio=0.13.1-1": "torchaudio==0.13.1",
  "python3-torch=2.6.0+dfsg-7": "torch==2.6.0+debian",
  "python3-torchvision=0.21.0-3": "torchvision==0.21.0",
  "python3-torchaudio=2.6.0-1": "torchaudio==2.6.0",
};

/** The pip constraint for a distro package pin ("python3-torch=1.13.1+dfsg-4" → "torch==1.13.0a0+gitunknown"). */
export function distroConstraint(aptRequirement: string): string {
  const measured = MEASURED[aptRequirement];
  if (measured) return measured;
  const [name = "", version = ""] = aptRequirement.split("=", 2);
  const upstream = version.replace(/^\d+:/, "").replace(/[+~-].*$/, "");
  return `${name.replace(/^python3-/, "")}==${upstream}`;
}
