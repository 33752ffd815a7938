/**
 * Pinned versions of what the app layer installs, one row per app and torch
 * source, each with where it comes from. Changing a pin is one edit here; the
 * lock records the pins so a rebuild installs exactly the same.
 */

export interface AppPackage {
  name: string;
  version: string;
  manager: "pip" | "apt" | "download";
  /** For downloads: the release URL and its sha256 (null = not verified yet: the build asks for it). */
  url?: string;
  sha256?: string | null;
  note: string;
}

export const JUPYTERLAB: AppPackage = {
  name: "jupyterlab",
  version: "4.4.9",
  manager: "pip",
  note: "PyPI jupyterlab 4.4.x (Python >= 3.9); Lab UI at /lab",
};

/** Debian 12 has no JupyterLab; its Jupyter Server serves the API and the classic notebook UI is absent. */
export const DEBIAN_JUPYTER_SERVER: AppPackage = {
  name: "python3-jupyter-server",
  version: "1.23.3-1",
  manager: "apt",
  note: "Debian 12 (bookworm) main, python3-jupyter-server 1.23.3-1",
};

/** Debian 13 packages JupyterLab 4.0 itself (on Jupyter Server 2.15): the Lab UI at /lab, no PyPI needed. */
export const DEBIAN_13_JUPYTERLAB: AppPackage = {
  name: "jupyterlab",
  version: "4.0.11+ds1+~cs11.25.27-7",
  manager: "apt",
  note: "Debian 13 (trixie) main, jupyterlab 4.0.11+ds1+~cs11.25.27-7 (apt-cache policy jupyterlab, 2026-12-01)",
};

export const OPENSSH_SERVER: AppPackage = {
  name: "openssh-server",
  version: "",
  manager: "apt",
  note: "unpinned on purpose: the distribution's security updates (e.g. Debian 1:9.2p1-2+deb12u10) must apply",
};

export const TENSORBOARD: AppPackage = {
  name: "tensorboard",
  version: "2.20.0",
  manager: "pip",
  note: "PyPI tensorboard 2.20.0 (2025-07); wheels only, Debian 12 has no package",
};

const CODE_SERVER_VERSION = "4.105.1";
export const CODE_SERVER: AppPackage = {
  name: "code-server",
  version: CODE_SERVER_VERSION,
  manager: "download",
  url: `https://github.com/coder/code-server/releases/download/v${CODE_SERVER_VERSION}/code-server-${CODE_SERVER_VERSION}-linux-amd64.tar.gz`,
  sha256: null,
  note: "GitHub release tarball; sha256 not recorded here (no network to fetch it): pass --build-arg CODE_SERVER_SHA256",
};
