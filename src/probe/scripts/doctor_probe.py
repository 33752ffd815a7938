#!/usr/bin/env python3
"""torchstack doctor probe: facts about this host and this Python's torch stack.

Standalone (Python 3.8+, standard library; torch is imported lazily and only
for the python section). Run it anywhere, with or without Node:

    python3 doctor_probe.py --json          # one JSON document on stdout
    python3 doctor_probe.py                 # readable text, like torch's collect_env
    python3 doctor_probe.py --full --json   # also import torch and run pip check on a host without a driver

Without an NVIDIA driver torch is not imported (nothing GPU-related can be learnt, and the
import costs 1-3 s): its version and CUDA build are read from its files, pip check is skipped.

It never crashes on a missing driver, GPU, torch or pip: each missing piece is
reported as a fact (null / found: false / an error string). The torchstack CLI
turns these facts into findings with fixes.

Testing hook: with TORCHSTACK_PROBE_RECORDED=DIR, nvidia-smi output and
/proc/driver/nvidia/version are read from recorded files in DIR
(nvidia-smi.txt, nvidia-smi-query-gpu.csv, nvidia-smi-L.txt,
proc-driver-nvidia-version.txt) instead of the real machine; "# " lines are
headers, and a "# exit: N" header sets the command's exit code.
"""
import argparse
import csv
import io
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import warnings

SCHEMA = 1
RECORDED = os.environ.get("TORCHSTACK_PROBE_RECORDED")
GPU_QUERY = "index,name,uuid,compute_cap,memory.total,mig.mode.current"
GPU_QUERY_OLD = "index,name,uuid,memory.total,mig.mode.current"
SHADOW_LIBS = ("libcudart.so", "libnccl.so", "libcudnn.so", "libnvJitLink.so", "libcublas.so", "libcusparse.so")
UUID_RE = re.compile(r"\b(GPU|MIG)-[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b")


def run(argv, timeout=5.0):
    """Run a command; returns (exit code, stdout, stderr) or None when it is not installed."""
    if RECORDED is not None and argv[0] == "nvidia-smi":
        name = "nvidia-smi.txt"
        if "-L" in argv:
            name = "nvidia-smi-L.txt"
        elif any(a.startswith("--query-gpu") for a in argv):
            name = "nvidia-smi-query-gpu.csv"
        path = os.path.join(RECORDED, name)
        if not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        code = re.search(r"^# exit: (\d+)$", text, re.M)
        return (int(code.group(1)) if code else 0, strip_comments(text), "")
    exe = shutil.which(argv[0])
    if exe is None:
        return None
    try:
        proc = subprocess.run(
            [exe] + list(argv[1:]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=timeout,
            universal_newlines=True,
        )
        return (proc.returncode, proc.stdout, proc.stderr)
    except subprocess.TimeoutExpired:
        return (124, "", "timed out after %ss" % timeout)
    except OSError as error:
        return (126, "", str(error))


def strip_comments(text):
    """Recorded fixtures start with '# source: …' header lines; drop them."""
    return "".join(line for line in text.splitlines(True) if not line.startswith("# "))


def read_text(path):
    if RECORDED is not None and path == "/proc/driver/nvidia/version":
        path = os.path.join(RECORDED, "proc-driver-nvidia-version.txt")
    elif RECORDED is not None and path == "/sys/module/nvidia/version":
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return strip_comments(handle.read())
    except OSError:
        return None


# ---------------------------------------------------------------- host section


def os_facts():
    pretty = None
    release = read_text("/etc/os-release") or ""
    match = re.search(r'^PRETTY_NAME="?([^"\n]*)"?', release, re.M)
    if match:
        pretty = match.group(1)
    return {
        "name": pretty or platform.system(),
        "kernel": platform.release(),
        "arch": platform.machine(),
        "inContainer": os.path.exists("/.dockerenv") or os.path.exists("/run/.containerenv"),
    }


def parse_smi_header(text):
    """Driver and CUDA versions from the plain `nvidia-smi` table header."""
    driver = re.search(r"Driver Version:\s*([0-9][0-9.]*)", text)
    cuda = re.search(r"CUDA Version:\s*([0-9]+\.[0-9]+)", text)
    return (driver.group(1) if driver else None, cuda.group(1) if cuda else None)


def parse_query_csv(text, with_cc):
    gpus = []
    for row in csv.reader(io.StringIO(text), skipinitialspace=True):
        if not row or not row[0].strip().isdigit():
            continue
        cells = [c.strip() for c in row]
        if with_cc and len(cells) >= 6:
            index, name, uuid, cc, mem, mig = cells[:6]
        elif not with_cc and len(cells) >= 5:
            index, name, uuid, mem, mig = cells[:5]
            cc = None
        else:
            continue
        gpus.append(
            {
                "index": int(index),
                "name": name,
                "uuid": uuid if uuid.startswith("GPU-") else None,
                "computeCapability": cc if cc and re.match(r"^\d+\.\d+$", cc) else None,
                "memoryMiB": int(float(mem)) if re.match(r"^[0-9.]+$", mem) else None,
                "migMode": mig if mig and mig not in ("[N/A]", "N/A") else None,
                "migDevices": [],
            }
        )
    return gpus


def parse_smi_list(text):
    """`nvidia-smi -L`: GPU lines and the MIG devices indented under them."""
    gpus = []
    for line in text.splitlines():
        gpu = re.match(r"^GPU (\d+): (.+?)(?: \(UUID: ([^)]+)\))?\s*$", line)
        if gpu:
            gpus.append({"index": int(gpu.group(1)), "name": gpu.group(2), "uuid": gpu.group(3), "mig": []})
            continue
        mig = re.match(r"^\s+MIG (\S+)\s+Device\s+(\d+): \(UUID: ([^)]+)\)", line)
        if mig and gpus:
            gpus[-1]["mig"].append({"profile": mig.group(1), "index": int(mig.group(2)), "uuid": mig.group(3)})
    return gpus


def driver_facts():
    facts = {"version": None, "source": "none", "cudaMax": None, "nvidiaSmi": None, "error": None}
    sys_version = read_text("/sys/module/nvidia/version")
    if sys_version and sys_version.strip():
        facts["version"], facts["source"] = sys_version.strip(), "/sys/module/nvidia/version"
    proc = read_text("/proc/driver/nvidia/version")
    if facts["version"] is None and proc:
        match = re.search(r"Kernel Module(?: for \S+)?\s+([0-9]+\.[0-9]+(?:\.[0-9]+)?)", proc)
        if match:
            facts["version"], facts["source"] = match.group(1), "/proc/driver/nvidia/version"
    smi = run(["nvidia-smi"])
    if smi is None:
        facts["nvidiaSmi"] = "not found"
        return facts
    code, out, err = smi
    facts["nvidiaSmi"] = "ok" if code == 0 else "failed"
    if code != 0:
        facts["error"] = (out + err).strip().splitlines()[-1:] and (out + err).strip().splitlines()[-1] or None
    driver, cuda = parse_smi_header(out)
    if facts["version"] is None and driver:
        facts["version"], facts["source"] = driver, "nvidia-smi"
    facts["cudaMax"] = cuda
    return facts


def gpu_facts(driver):
    if driver["nvidiaSmi"] != "ok":
        return []
    args = ["nvidia-smi", "--query-gpu=" + GPU_QUERY, "--format=csv,noheader,nounits"]
    result = run(args)
    with_cc = True
    if result is not None and result[0] != 0:
        result = run(["nvidia-smi", "--query-gpu=" + GPU_QUERY_OLD, "--format=csv,noheader,nounits"])
        with_cc = False
    gpus = parse_query_csv(result[1], with_cc) if result and result[0] == 0 else []
    listing = run(["nvidia-smi", "-L"])
    listed = parse_smi_list(listing[1]) if listing and listing[0] == 0 else []
    by_index = {g["index"]: g for g in gpus}
    for entry in listed:
        gpu = by_index.get(entry["index"])
        if gpu is None:
            gpu = {
                "index": entry["index"],
                "name": entry["name"],
                "uuid": entry["uuid"],
                "computeCapability": None,
                "memoryMiB": None,
                "migMode": None,
                "migDevices": [],
            }
            gpus.append(gpu)
        gpu["migDevices"] = entry["mig"]
    return sorted(gpus, key=lambda g: g["index"])


def container_facts():
    daemon = read_text("/etc/docker/daemon.json") or ""
    cdi = []
    for folder in ("/etc/cdi", "/var/run/cdi"):
        try:
            cdi += [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if "nvidia" in f]
        except OSError:
            pass
    engines = []
    for name in ("docker", "podman"):
        path = shutil.which(name)
        if path:
            engines.append({"name": name, "path": path})
    toolkit = shutil.which("nvidia-container-runtime") or shutil.which("nvidia-ctk")
    return {
        "engines": engines,
        "nvidiaRuntimeConfigured": '"nvidia"' in daemon,
        "nvidiaContainerToolkit": toolkit,
        "cdiSpecs": cdi,
    }


def shm_facts():
    try:
        stat = os.statvfs("/dev/shm")
        return {"path": "/dev/shm", "bytes": stat.f_blocks * stat.f_frsize, "freeBytes": stat.f_bavail * stat.f_frsize}
    except OSError as error:
        return {"path": "/dev/shm", "bytes": None, "freeBytes": None, "error": str(error)}


def host_section():
    driver = driver_facts()
    return {
        "os": os_facts(),
        "driver": driver,
        "gpus": gpu_facts(driver),
        "container": container_facts(),
        "shm": shm_facts(),
    }


# -------------------------------------------------------------- python section


def dist_version(name):
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8
        return None
    try:
        return metadata.version(name)
    except Exception:  # noqa: BLE001 - any metadata failure means "not installed"
        return None


def nvidia_packages():
    try:
        from importlib import metadata
    except ImportError:
        return []
    found = {}
    for dist in metadata.distributions():
        name = (dist.metadata.get("Name") or "").lower().replace("_", "-")
        if name.startswith("nvidia-"):
            family = re.search(r"-(cu\d+)$", name)
            found[name] = {"name": name, "version": dist.version, "family": family.group(1) if family else None}
    return sorted(found.values(), key=lambda p: p["name"])


def torch_facts():
    facts = {
        "found": False,
        "version": None,
        "path": None,
        "cuda": None,
        "cudnn": None,
        "nccl": None,
        "archList": [],
        "cudaAvailable": False,
        "deviceCount": 0,
        "devices": [],
        "warnings": [],
        "error": None,
        "importMs": None,
        "imported": True,
    }
    start = time.perf_counter()
    try:
        import torch  # noqa: PLC0415 - lazy on purpose: importing torch costs ~1-2 s
    except Exception as error:  # noqa: BLE001 - ImportError, OSError (undefined symbol), anything
        facts["error"] = "%s: %s" % (type(error).__name__, error)
        return facts
    facts["importMs"] = round((time.perf_counter() - start) * 1000)
    facts["found"] = True
    facts["version"] = getattr(torch, "__version__", None)
    facts["path"] = os.path.dirname(getattr(torch, "__file__", "") or "") or None
    facts["cuda"] = getattr(torch.version, "cuda", None)
    try:
        facts["cudnn"] = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
    except Exception:  # noqa: BLE001
        facts["cudnn"] = None
    try:
        nccl = torch.cuda.nccl.version() if facts["cuda"] else None
        facts["nccl"] = ".".join(str(p) for p in nccl) if isinstance(nccl, tuple) else nccl
    except Exception:  # noqa: BLE001
        facts["nccl"] = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            facts["archList"] = list(torch.cuda.get_arch_list())
            facts["cudaAvailable"] = bool(torch.cuda.is_available())
            if facts["cudaAvailable"]:
                facts["deviceCount"] = torch.cuda.device_count()
                for i in range(facts["deviceCount"]):
                    major, minor = torch.cuda.get_device_capability(i)
                    facts["devices"].append(
                        {"index": i, "name": torch.cuda.get_device_name(i), "capability": "%d.%d" % (major, minor)}
                    )
        except Exception as error:  # noqa: BLE001
            facts["error"] = "%s: %s" % (type(error).__name__, error)
    facts["warnings"] = [str(w.message).strip() for w in caught][:10]
    return facts


def torch_facts_static():
    """torch facts read from its files, without importing it (used where no NVIDIA driver is present:
    nothing GPU-related can be learnt from the import there, and it costs 1-3 s)."""
    facts = {
        "found": False, "version": None, "path": None, "cuda": None, "cudnn": None, "nccl": None,
        "archList": [], "cudaAvailable": False, "deviceCount": 0, "devices": [], "warnings": [],
        "error": None, "importMs": None, "imported": False,
    }
    try:
        import importlib.util  # noqa: PLC0415

        spec = importlib.util.find_spec("torch")
    except (ImportError, ValueError) as error:
        spec, facts["error"] = None, "%s: %s" % (type(error).__name__, error)
    if spec is None or not spec.origin:
        facts["error"] = facts["error"] or "ModuleNotFoundError: No module named 'torch'"
        return facts
    folder = os.path.dirname(spec.origin)
    text = read_text(os.path.join(folder, "version.py")) or ""
    version = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", text, re.M)
    cuda = re.search(r"^cuda\s*(?::\s*\S+)?\s*=\s*(?:['\"]([^'\"]*)['\"]|None)", text, re.M)
    facts.update({"found": True, "path": folder, "version": version.group(1) if version else dist_version("torch")})
    facts["cuda"] = (cuda.group(1) or None) if cuda else None
    for pkg in nvidia_packages():
        if pkg["name"].startswith("nvidia-cudnn-"):
            facts["cudnn"] = pkg["version"]
        if pkg["name"].startswith("nvidia-nccl-"):
            facts["nccl"] = pkg["version"]
    return facts


def nvcc_facts():
    path = shutil.which("nvcc") or ("/usr/local/cuda/bin/nvcc" if os.path.exists("/usr/local/cuda/bin/nvcc") else None)
    if path is None:
        return None
    result = run([path, "--version"])
    match = re.search(r"release (\d+\.\d+)", result[1]) if result else None
    return {"path": path, "version": match.group(1) if match else None}


def ld_library_path_facts():
    entries = []
    for folder in [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p]:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        libs = [n for n in names if n.startswith(SHADOW_LIBS)]
        if libs:
            entries.append({"dir": folder, "libs": libs[:20]})
    return entries


def start_pip_check():
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "pip", "check", "--disable-pip-version-check"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
            env=dict(os.environ, PIP_NO_INPUT="1"),
        )
    except OSError:
        return None


def finish_pip_check(proc, timeout):
    if proc is None:
        return {"status": "skipped", "reason": "could not start pip", "problems": []}
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"status": "skipped", "reason": "pip check timed out after %ss" % timeout, "problems": []}
    if "No module named pip" in err:
        return {"status": "skipped", "reason": "pip is not installed in this Python", "problems": []}
    problems = [line.strip() for line in out.splitlines() if line.strip() and "No broken requirements" not in line]
    if proc.returncode == 0:
        return {"status": "ok", "reason": None, "problems": []}
    return {"status": "failed", "reason": None, "problems": problems[:50]}


def python_section(pip_check, pip_timeout, force_pip_check, import_torch):
    """import_torch=False (no NVIDIA driver, no --full): torch facts come from its files and pip check
    is skipped, so doctor answers in well under a second on a GPU-less host."""
    skipped = "disabled with --no-pip-check"
    if pip_check and not import_torch and not force_pip_check:
        pip_check, skipped = False, "skipped for speed on a host without an NVIDIA driver (doctor --full runs it)"
    # pip check runs in the background while torch imports (both take ~1 s).
    pip_proc = start_pip_check() if pip_check else None
    torch = torch_facts() if import_torch else torch_facts_static()
    if pip_proc is not None and not torch["found"] and not force_pip_check:
        # Without torch there is no stack to check; answer fast instead of waiting ~1 s for pip.
        pip_proc.kill()
        pip_proc.communicate()
        pip_proc, pip_check = None, False
        skipped = "torch not found; force it with --pip-check"
    section = {
        "executable": sys.executable,
        "version": platform.python_version(),
        "torch": torch,
        "torchvision": dist_version("torchvision"),
        "torchaudio": dist_version("torchaudio"),
        "nvcc": nvcc_facts(),
        "ldLibraryPath": ld_library_path_facts(),
        "nvidiaPackages": nvidia_packages(),
    }
    if not pip_check:
        section["pipCheck"] = {"status": "skipped", "reason": skipped, "problems": []}
    else:
        section["pipCheck"] = finish_pip_check(pip_proc, pip_timeout)
    return section


# ---------------------------------------------------------------------- output


def strip_uuids(value):
    return json.loads(UUID_RE.sub(lambda m: m.group(1) + "-<uuid>", json.dumps(value)))


def text_report(doc):
    host, py = doc["host"], doc["python"]
    torch = py["torch"]
    na = "Could not collect"
    lines = [
        "torchstack doctor probe",
        "OS: %s (%s)" % (host["os"]["name"], host["os"]["arch"]),
        "Kernel: %s" % host["os"]["kernel"],
        "Nvidia driver version: %s" % (host["driver"]["version"] or na),
        "Newest CUDA the driver supports: %s" % (host["driver"]["cudaMax"] or na),
        "GPU models and configuration:%s" % ("" if host["gpus"] else " " + na),
    ]
    for gpu in host["gpus"]:
        lines.append("  GPU %d: %s (cc %s, %s MiB, MIG %s)" % (
            gpu["index"], gpu["name"], gpu["computeCapability"] or "?", gpu["memoryMiB"] or "?",
            gpu["migMode"] or "n/a"))
        for mig in gpu["migDevices"]:
            lines.append("    MIG %s Device %d: %s" % (mig["profile"], mig["index"], mig["uuid"]))
    engines = ", ".join(e["name"] for e in host["container"]["engines"]) or "none"
    lines += [
        "Container engines: %s (NVIDIA runtime: %s, CDI specs: %d)" % (
            engines, "yes" if host["container"]["nvidiaRuntimeConfigured"] else "no",
            len(host["container"]["cdiSpecs"])),
        "/dev/shm: %s" % (("%.1f GiB" % (host["shm"]["bytes"] / 2**30)) if host["shm"]["bytes"] else na),
        "Python version: %s (%s)" % (py["version"], py["executable"]),
        "PyTorch version: %s%s" % (torch["version"] or ("not found: %s" % torch["error"]),
                                   "" if torch["imported"] or not torch["found"]
                                   else " (read from its files, not imported)"),
        "CUDA used to build PyTorch: %s" % (torch["cuda"] or "None"),
        "cuDNN version: %s" % (torch["cudnn"] or na),
        "NCCL version: %s" % (torch["nccl"] or na),
        "Arch list: %s" % (" ".join(torch["archList"]) or "none"),
        "Is CUDA available: %s" % torch["cudaAvailable"],
        "torchvision: %s, torchaudio: %s" % (py["torchvision"] or "not installed", py["torchaudio"] or "not installed"),
        "nvcc: %s" % (("%s (%s)" % (py["nvcc"]["version"], py["nvcc"]["path"])) if py["nvcc"] else "not found"),
        "pip check: %s" % py["pipCheck"]["status"],
    ]
    for pkg in py["nvidiaPackages"]:
        lines.append("[pip] %s==%s" % (pkg["name"], pkg["version"]))
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="doctor_probe.py", description="Report host and Python facts for torch.")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--host-only", action="store_true", help="only the host section")
    only.add_argument("--python-only", action="store_true", help="only the Python section")
    parser.add_argument("--full", action="store_true", help="import torch and run pip check")
    parser.add_argument("--import-torch", action="store_true", help="import torch even without a driver")
    parser.add_argument("--pip-check", action="store_true", help="run pip check")
    parser.add_argument("--no-pip-check", action="store_true", help="skip pip check")
    parser.add_argument("--strip-uuids", action="store_true", help="replace GPU UUIDs (for fixtures)")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    want_json = args.json
    sections = {"host": not args.python_only, "python": not args.host_only}
    start = time.perf_counter()
    doc = {"probe": "doctor", "schema": SCHEMA}
    doc["host"] = host_section() if sections["host"] else None
    driver_present = bool(doc["host"] and doc["host"]["driver"]["version"]) or os.path.exists("/dev/nvidiactl")
    import_torch = args.full or args.import_torch or driver_present
    pip_args = (not args.no_pip_check, 30.0, args.pip_check or args.full)
    doc["python"] = python_section(*pip_args, import_torch=import_torch) if sections["python"] else None
    doc["elapsedMs"] = round((time.perf_counter() - start) * 1000)
    if args.strip_uuids:
        doc = strip_uuids(doc)
    if want_json:
        sys.stdout.write(json.dumps(doc) + "\n")
    elif doc["host"] and doc["python"]:
        sys.stdout.write(text_report(doc) + "\n")
    else:
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
