#!/usr/bin/env python3
"""torchstack inventory probe: every package inside an image, as one JSON line.

Run inside a container of the image (standard library only, Python 3.8+):
every dpkg package that is installed, with version and architecture (read from
/var/lib/dpkg/status, so no dpkg-query is needed), and every Python
distribution the environment's interpreter can import, with its version and
whether it lives in the venv or in the system's site folders (apt's Python
packages). The first distribution of a name on sys.path is the one imported,
so later duplicates are left out.
"""
import importlib.metadata
import json
import os
import re
import sys

DPKG_STATUS = os.environ.get("TORCHSTACK_DPKG_STATUS", "/var/lib/dpkg/status")


def dpkg_packages():
    packages = []
    try:
        with open(DPKG_STATUS, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return packages
    for stanza in text.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") or ":" not in line:
                continue
            key, _, value = line.partition(":")
            fields[key] = value.strip()
        if fields.get("Status", "").endswith(" installed") and "Package" in fields:
            packages.append({
                "name": fields["Package"],
                "version": fields.get("Version", ""),
                "arch": fields.get("Architecture", ""),
            })
    return sorted(packages, key=lambda p: (p["name"], p["arch"]))


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def python_distributions():
    in_venv = sys.prefix != getattr(sys, "base_prefix", sys.prefix)
    seen = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        key = normalize(name)
        if key in seen:
            continue
        path = str(getattr(dist, "_path", ""))
        where = "venv" if in_venv and path.startswith(sys.prefix + os.sep) else "system"
        seen[key] = {"name": key, "version": dist.version, "location": where}
    return sorted(seen.values(), key=lambda d: d["name"])


def main():
    doc = {
        "probe": "inventory",
        "python": "%d.%d.%d" % sys.version_info[:3],
        "dpkg": dpkg_packages(),
        "pip": python_distributions(),
    }
    sys.stdout.write(json.dumps(doc) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
