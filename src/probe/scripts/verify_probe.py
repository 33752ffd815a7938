#!/usr/bin/env python3
"""torchstack verify probe: proves that this Python's torch stack works.

Standalone (Python 3.8+, standard library + torch). Each check is reported as
pass, fail or skip, with a reason and its time in ms. A GPU check that could not
run is "skip" with the reason, never "pass".

    python3 verify_probe.py --json     # {"probe":"verify","ok":bool,"checks":[...]}
    python3 verify_probe.py            # one line per check

Exit code: 1 when any check failed, else 0.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

SCHEMA = 1

# One DDP rank, run as its own Python process (works however this probe was
# started, including from stdin, where multiprocessing "spawn" cannot re-import us).
DDP_WORKER = r"""
import os, sys, datetime
import torch, torch.distributed as dist
rank, world, backend, init = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
dist.init_process_group(backend, init_method=init, rank=rank, world_size=world,
                        timeout=datetime.timedelta(seconds=60))
device = torch.device("cuda", rank) if backend == "nccl" else torch.device("cpu")
if backend == "nccl":
    torch.cuda.set_device(rank)
t = torch.full((1024,), float(rank + 1), device=device)
dist.all_reduce(t)
expected = world * (world + 1) / 2
assert abs(t[0].item() - expected) < 1e-6, (t[0].item(), expected)
dist.barrier()
dist.destroy_process_group()
print("ok", rank)
"""


class Skip(Exception):
    """Raised by a check that cannot run here; the message says why."""


def check(results, name, fn):
    start = time.perf_counter()
    try:
        reason = fn()
        status = "pass"
    except Skip as why:
        status, reason = "skip", str(why)
    except Exception as error:  # noqa: BLE001 - a failing check reports, never crashes the probe
        status, reason = "fail", ("%s: %s" % (type(error).__name__, error)).strip()[:2000]
    ms = round((time.perf_counter() - start) * 1000, 1)
    results.append({"name": name, "status": status, "reason": reason or "", "ms": ms})
    sys.stderr.write("verify: %s: %s (%.0f ms)\n" % (name, status, ms))
    sys.stderr.flush()
    return status


def driver_present():
    return os.path.exists("/proc/driver/nvidia/version") or os.path.exists("/dev/nvidiactl")


def shm_text():
    try:
        stat = os.statvfs("/dev/shm")
        return "/dev/shm is %.0f MiB" % (stat.f_blocks * stat.f_frsize / 2**20)
    except OSError:
        return "/dev/shm not found"


def version_tuple(text):
    parts = []
    for piece in text.split("+")[0].split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


class Verifier:
    def __init__(self):
        self.results = []
        self.torch = None
        self.cuda = False
        self.gpu_reason = "torch is not importable"

    def run(self):
        if check(self.results, "torch_import", self.torch_import) != "pass":
            for name in ("cuda_available", "cuda_devices", "cuda_version", "matmul_cpu", "matmul_cuda",
                         "cudnn_conv", "amp_step", "bf16", "tf32", "torch_compile", "ddp_allreduce",
                         "dataloader_workers", "torchvision_ops"):
                self.results.append({"name": name, "status": "skip", "reason": "torch is not importable", "ms": 0})
            return self.results
        check(self.results, "locked_build", self.locked_build)
        check(self.results, "cuda_available", self.cuda_available)
        check(self.results, "cuda_devices", self.cuda_devices)
        check(self.results, "cuda_version", self.cuda_version)
        check(self.results, "matmul_cpu", self.matmul_cpu)
        if self.cuda:
            for index in range(self.torch.cuda.device_count()):
                check(self.results, "matmul_cuda:%d" % index, lambda i=index: self.matmul_cuda(i))
        else:
            check(self.results, "matmul_cuda", self.need_gpu)
        check(self.results, "cudnn_conv", self.cudnn_conv)
        check(self.results, "amp_step", self.amp_step)
        check(self.results, "bf16", self.bf16)
        check(self.results, "tf32", self.tf32)
        check(self.results, "torch_compile", self.torch_compile)
        check(self.results, "ddp_allreduce", self.ddp_allreduce)
        check(self.results, "dataloader_workers", self.dataloader_workers)
        check(self.results, "torchvision_ops", self.torchvision_ops)
        return self.results

    # -- checks ---------------------------------------------------------------

    def torch_import(self):
        import torch  # noqa: PLC0415

        self.torch = torch
        return "torch %s from %s" % (torch.__version__, os.path.dirname(torch.__file__))

    def cuda_available(self):
        torch = self.torch
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            available = torch.cuda.is_available()
        notes = "; ".join(str(w.message).strip().replace("\n", " ") for w in caught)
        if available:
            self.cuda = True
            return "CUDA %s, %d device(s)" % (torch.version.cuda, torch.cuda.device_count())
        if torch.version.cuda is None:
            self.gpu_reason = "torch %s is a CPU-only build" % torch.__version__
            raise Skip(self.gpu_reason)
        if driver_present() or notes:
            # A CUDA build next to an NVIDIA driver that cannot use it is a real failure.
            raise RuntimeError("torch %s (CUDA %s) cannot use the GPU: %s" % (
                torch.__version__, torch.version.cuda, notes or "torch.cuda.is_available() is False"))
        self.gpu_reason = "no NVIDIA driver or GPU visible (CUDA %s build)" % torch.version.cuda
        raise Skip(self.gpu_reason)

    def need_gpu(self):
        if not self.cuda:
            raise Skip(self.gpu_reason)

    def cuda_devices(self):
        self.need_gpu()
        torch = self.torch
        names = []
        for i in range(torch.cuda.device_count()):
            major, minor = torch.cuda.get_device_capability(i)
            names.append("%d: %s (sm_%d%d)" % (i, torch.cuda.get_device_name(i), major, minor))
        return "; ".join(names)

    def cuda_version(self):
        self.need_gpu()
        torch = self.torch
        driver = torch._C._cuda_getDriverVersion() if hasattr(torch._C, "_cuda_getDriverVersion") else None
        text = "torch built with CUDA %s" % torch.version.cuda
        if driver:
            text += "; driver supports CUDA %d.%d" % (driver // 1000, (driver % 1000) // 10)
        return text

    def matmul_cpu(self):
        torch = self.torch
        a = torch.randn(512, 512)
        b = torch.randn(512, 512)
        c = a @ b
        ref = (a.double() @ b.double()).float()
        if not torch.allclose(c, ref, rtol=1e-3, atol=1e-3):
            raise RuntimeError("CPU matmul result differs from float64 reference")
        return "512x512 fp32 on CPU matches float64 reference"

    def matmul_cuda(self, index):
        torch = self.torch
        device = torch.device("cuda", index)
        a = torch.randn(2000, 2000, device=device)
        b = torch.randn(2000, 2000, device=device)
        c = a @ b
        torch.cuda.synchronize(device)
        ref = a.cpu().double() @ b.cpu().double()
        err = (c.cpu().double() - ref).abs().max().item()
        if err > 1.0:  # TF32 may be on; still tiny against values of ~45
            raise RuntimeError("matmul on %s differs from CPU reference by %.3g" % (device, err))
        return "2000x2000 on %s (%s), max error %.2g" % (device, torch.cuda.get_device_name(index), err)

    def cudnn_conv(self):
        self.need_gpu()
        torch = self.torch
        if not torch.backends.cudnn.is_available():
            raise RuntimeError("cuDNN is not available in this torch build")
        conv = torch.nn.Conv2d(3, 16, 3, padding=1).cuda()
        x = torch.randn(8, 3, 64, 64, device="cuda")
        y = conv(x)
        torch.cuda.synchronize()
        return "Conv2d forward with cuDNN %s, output %s" % (torch.backends.cudnn.version(), tuple(y.shape))

    def amp_step(self):
        self.need_gpu()
        torch = self.torch
        model = torch.nn.Sequential(torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).cuda()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        scaler = torch.amp.GradScaler("cuda") if hasattr(torch.amp, "GradScaler") else torch.cuda.amp.GradScaler()
        x = torch.randn(64, 256, device="cuda")
        target = torch.randint(0, 10, (64,), device="cuda")
        with torch.autocast("cuda", dtype=torch.float16):
            loss = torch.nn.functional.cross_entropy(model(x), target)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        torch.cuda.synchronize()
        if not torch.isfinite(loss):
            raise RuntimeError("AMP loss is not finite")
        return "autocast fp16 + GradScaler step, loss %.3f" % loss.item()

    def capability(self):
        self.need_gpu()
        major, minor = self.torch.cuda.get_device_capability(0)
        if major < 8:
            raise Skip("needs compute capability >= 8.0 (GPU 0 is %d.%d)" % (major, minor))
        return major, minor

    def bf16(self):
        self.capability()
        torch = self.torch
        a = torch.randn(1024, 1024, device="cuda", dtype=torch.bfloat16)
        c = a @ a
        torch.cuda.synchronize()
        if not torch.isfinite(c).all():
            raise RuntimeError("bf16 matmul produced non-finite values")
        return "bf16 matmul on %s" % torch.cuda.get_device_name(0)

    def tf32(self):
        self.capability()
        torch = self.torch
        before = torch.backends.cuda.matmul.allow_tf32
        torch.backends.cuda.matmul.allow_tf32 = True
        try:
            a = torch.randn(1024, 1024, device="cuda")
            c = a @ a
            torch.cuda.synchronize()
        finally:
            torch.backends.cuda.matmul.allow_tf32 = before
        if not torch.isfinite(c).all():
            raise RuntimeError("TF32 matmul produced non-finite values")
        return "TF32 matmul allowed and ran"

    def locked_build(self):
        """The image's own self-check (as its build ran it): locked torch, CUDA/cuDNN/NCCL, libraries, arch list."""
        script = "/usr/local/lib/torchstack/torch-check/torch_self_check.py"
        if not os.path.exists(script):
            raise Skip("no locked wheel set in this environment (a Debian-torch image, or not a torchstack image)")
        done = subprocess.run([sys.executable, script, "--json"], capture_output=True, text=True, timeout=300)
        report = json.loads(done.stdout or "{}")
        failed = [c for c in report.get("checks", []) if not c["ok"]]
        if failed or done.returncode != 0:
            raise RuntimeError("; ".join("%s: %s" % (c["name"], c["detail"]) for c in failed) or done.stderr[-500:])
        return "; ".join("%s: %s" % (c["name"], c["detail"]) for c in report["checks"])

    def torch_compile(self):
        torch = self.torch
        if version_tuple(torch.__version__) < (2, 0) or not hasattr(torch, "compile"):
            raise Skip("torch.compile needs torch >= 2.0 (this is %s)" % torch.__version__)
        device = "cuda" if self.cuda else "cpu"
        model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.GELU(), torch.nn.Linear(64, 8)).to(device)
        x = torch.randn(16, 64, device=device)
        try:
            compiled = torch.compile(model)
            out = compiled(x)
        except RuntimeError as error:
            if "not supported on Python" in str(error):  # e.g. torch 2.1 on Python 3.12
                raise Skip("torch.compile: %s" % str(error).splitlines()[0]) from None
            raise
        if not torch.allclose(out, model(x), rtol=1e-2, atol=1e-2):
            raise RuntimeError("compiled model output differs from eager")
        return "torch.compile (inductor) on %s matches eager" % device

    def ddp_allreduce(self):
        torch = self.torch
        if not torch.distributed.is_available():
            raise RuntimeError("torch.distributed is not available in this build")
        gpus = torch.cuda.device_count() if self.cuda else 0
        backend = "nccl" if gpus >= 2 and torch.distributed.is_nccl_available() else "gloo"
        with tempfile.TemporaryDirectory() as tmp:
            init = "file://" + os.path.join(tmp, "rendezvous")
            procs = [
                subprocess.Popen([sys.executable, "-c", DDP_WORKER, str(rank), "2", backend, init],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
                for rank in range(2)
            ]
            errors = []
            for proc in procs:
                try:
                    out, err = proc.communicate(timeout=120)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    out, err = proc.communicate()
                    errors.append("rank timed out after 120 s")
                    continue
                if proc.returncode != 0:
                    errors.append((err.strip().splitlines() or ["exit %d" % proc.returncode])[-1])
        if errors:
            raise RuntimeError("2-process all_reduce (%s) failed: %s" % (backend, "; ".join(errors)))
        why = "" if backend == "nccl" else (" (nccl needs >= 2 GPUs; %d visible)" % gpus)
        return "2-process all_reduce over %s%s" % (backend, why)

    def dataloader_workers(self):
        torch = self.torch
        from torch.utils.data import DataLoader, Dataset  # noqa: PLC0415

        class Blocks(Dataset):
            def __len__(self):
                return 16

            def __getitem__(self, i):
                return torch.full((2048, 1024), float(i))  # 8 MiB per sample, passed through /dev/shm

        pin = self.cuda
        # 32 MiB batches, 2 workers x prefetch 2: ~128 MiB in shared memory at once, like a modest
        # image pipeline; Docker's 64 MiB default /dev/shm makes the workers die with "Bus error".
        loader = DataLoader(Blocks(), batch_size=4, num_workers=2, pin_memory=pin, timeout=120)
        total = 0.0
        try:
            for batch in loader:
                total += batch[:, 0, 0].sum().item()
        except RuntimeError as error:
            raise RuntimeError("%s (%s; raise it with --shm-size=8g or --ipc=host)" % (error, shm_text())) from None
        if total != sum(range(16)):
            raise RuntimeError("DataLoader returned wrong data (sum %s)" % total)
        return "2 workers, 32 MiB batches, pin_memory=%s; %s" % (pin, shm_text())

    def torchvision_ops(self):
        torch = self.torch
        try:
            import torchvision  # noqa: PLC0415
            from torchvision.ops import nms  # noqa: PLC0415
        except ImportError as error:
            if "torchvision" in str(error) and "No module named" in str(error):
                raise Skip("torchvision is not installed") from None
            raise RuntimeError("torchvision %s does not load with torch %s: %s" % (
                getattr(sys.modules.get("torchvision"), "__version__", "?"), torch.__version__, error)) from None
        boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [50.0, 50.0, 60.0, 60.0]])
        kept = nms(boxes, torch.tensor([0.9, 0.8, 0.7]), 0.5).tolist()
        if kept != [0, 2]:
            raise RuntimeError("torchvision.ops.nms kept %s, expected [0, 2]" % kept)
        return "torchvision %s with torch %s: its C++ ops (nms) run" % (torchvision.__version__, torch.__version__)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="verify_probe.py", description="Prove torch works here.")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    start = time.perf_counter()
    results = Verifier().run()
    ok = not any(r["status"] == "fail" for r in results)
    doc = {"probe": "verify", "schema": SCHEMA, "ok": ok, "checks": results,
           "elapsedMs": round((time.perf_counter() - start) * 1000)}
    if args.json:
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        for r in results:
            sys.stdout.write("%-20s %-5s %8.1f ms  %s\n" % (r["name"], r["status"], r["ms"], r["reason"]))
        sys.stdout.write("verify: %s\n" % ("ok" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
