#!/usr/bin/env python3
"""torchstack's self-check of a wheel image's torch, run by the build and by `verify --in`.

Reads what the lock promises (expect.json beside this file) and checks, without a GPU:
torch is the locked build (version and variant), torch.version.cuda, the cuDNN and NCCL
that torch loads, that every library under torch/lib resolves all its dependencies except
the driver's own (libcuda.so.1, libnvidia-ml.so.1, which `--gpus` brings), and that the
compiled architectures cover every target GPU. Exit 1 when one fails; --json prints the
checks as one JSON document.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER_LIBS = ("libcuda.so.1", "libnvidia-ml.so.1")


def cudnn_number(version):
    """cuDNN's own encoding: 9.10.2 -> 91002 (9.x), 8.9.2 -> 8902 (8.x)."""
    parts = [int(p) for p in (version.split(".") + ["0", "0"])[:3]]
    if parts[0] >= 9:
        return parts[0] * 10000 + parts[1] * 100 + parts[2]
    return parts[0] * 1000 + parts[1] * 100 + parts[2]


def unresolved_libraries(lib_dir):
    missing = {}
    for name in sorted(os.listdir(lib_dir)):
        if ".so" not in name:
            continue
        out = subprocess.run(["ldd", os.path.join(lib_dir, name)], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if "not found" in line:
                dep = line.split("=>")[0].strip()
                if dep not in DRIVER_LIBS:
                    missing.setdefault(name, []).append(dep)
    return missing


def arch_covers(arch_flags, capability):
    """sm_XY for the target, or PTX (compute_N) old enough for the driver to JIT for it."""
    number = int(capability.replace(".", ""))
    if "sm_%d" % number in arch_flags:
        return True
    ptx = [int(a[len("compute_"):]) for a in arch_flags if a.startswith("compute_")]
    return any(p <= number for p in ptx)


def run_checks(expect):
    checks = []

    def add(name, ok, detail):
        checks.append({"name": name, "ok": bool(ok), "detail": detail})

    import torch

    # torch.__version__ names its variant even where the wheel's version has no label (PyPI's 2.10.0 → 2.10.0+cu128).
    version, _, label = torch.__version__.partition("+")
    locked = "%s+%s" % (expect["torch"].split("+")[0], expect["variant"])
    add("torch-build", version == expect["torch"].split("+")[0] and label in ("", expect["variant"]),
        "torch %s, locked %s" % (torch.__version__, locked))
    if not expect.get("cuda"):
        return checks
    compiled = torch.cuda._is_compiled()
    add("cuda-compiled", compiled, "torch.cuda._is_compiled() is %s" % compiled)
    cuda = torch.version.cuda or ""
    add("cuda-version", cuda.split(".")[:2] == expect["cuda"].split(".")[:2],
        "torch.version.cuda %s, locked %s" % (cuda or "none", expect["cuda"]))
    if expect.get("cudnn"):
        try:
            got = torch.backends.cudnn.version()
        except Exception as error:  # noqa: BLE001 - the library failed to load: that is the finding
            got = "error: %s" % error
        want = cudnn_number(expect["cudnn"])
        add("cudnn-version", got == want, "torch.backends.cudnn.version() %s, locked %s (%d)"
            % (got, expect["cudnn"], want))
    if expect.get("nccl"):
        try:
            got = ".".join(str(p) for p in torch.cuda.nccl.version())
        except Exception as error:  # noqa: BLE001
            got = "error: %s" % error
        want = ".".join(expect["nccl"].split(".")[:3])
        add("nccl-version", got == want, "torch.cuda.nccl.version() %s, locked %s" % (got, want))
    lib_dir = os.path.join(os.path.dirname(torch.__file__), "lib")
    missing = unresolved_libraries(lib_dir)
    add("libraries-resolve", not missing,
        "every library under torch/lib resolves (the driver's %s come with --gpus)" % ", ".join(DRIVER_LIBS)
        if not missing else "unresolved: " + "; ".join("%s needs %s" % (k, ", ".join(v)) for k, v in missing.items()))
    flags = torch._C._cuda_getArchFlags().split()
    lacking = [c for c in expect.get("targets", []) if not arch_covers(flags, c)]
    add("arch-list", not lacking, "compiled for %s; targets %s%s" % (
        " ".join(flags), ", ".join(expect.get("targets", [])) or "none named",
        "; missing " + ", ".join(lacking) if lacking else ""))
    return checks


def main(argv):
    with open(os.path.join(HERE, "expect.json")) as handle:
        expect = json.load(handle)
    checks = run_checks(expect)
    failed = [c for c in checks if not c["ok"]]
    if "--json" in argv:
        print(json.dumps({"ok": not failed, "checks": checks}))
    else:
        for c in checks:
            print("torchstack self-check: %s %s: %s" % ("ok  " if c["ok"] else "FAIL", c["name"], c["detail"]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
