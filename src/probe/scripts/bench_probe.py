#!/usr/bin/env python3
"""torchstack bench probe: how fast is this torch stack on this machine?

Standalone (Python 3.8+, standard library + torch). Measures matmul TFLOPS per
precision, memory bandwidth, host<->device copies, torch.compile vs eager, an AMP
step vs fp32, all-reduce bus bandwidth (>= 2 GPUs) and DataLoader throughput.
On a machine without a usable GPU it runs CPU-sized versions and says so.

Timing: on GPU, CUDA events around a block of N back-to-back calls (one
synchronize per block); on CPU, time.perf_counter around the same block.
Each figure is the median over R blocks after warm-up. The loop is kept
minimal; `--selfcheck` times one operation with this harness and with a
hand-written loop in the same run and reports the difference.

    python3 bench_probe.py --json [--quick] [--selfcheck]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

SCHEMA = 1
SMI_FIELDS = "clocks.sm,clocks.mem,power.draw,temperature.gpu,utilization.gpu"


def version_tuple(text):
    out = []
    for piece in text.split("+")[0].split(".")[:2]:
        out.append(int("".join(ch for ch in piece if ch.isdigit()) or 0))
    return tuple(out)


class Timer:
    """Times `fn` as a block of `inner` calls; median of `repeats` blocks, in seconds per call."""

    def __init__(self, torch, cuda):
        self.torch = torch
        self.cuda = cuda

    def per_call(self, fn, inner, repeats, warmup=2):
        for _ in range(warmup):
            fn()
        if self.cuda:
            self.torch.cuda.synchronize()
            samples = []
            for _ in range(repeats):
                start = self.torch.cuda.Event(enable_timing=True)
                end = self.torch.cuda.Event(enable_timing=True)
                start.record()
                for _ in range(inner):
                    fn()
                end.record()
                end.synchronize()
                samples.append(start.elapsed_time(end) / 1000.0 / inner)
            return statistics.median(samples)
        samples = []
        clock = time.perf_counter
        for _ in range(repeats):
            t0 = clock()
            for _ in range(inner):
                fn()
            samples.append((clock() - t0) / inner)
        return statistics.median(samples)


class SmiSampler:
    """Samples clocks, power and throttle reasons with `nvidia-smi -lms` while the bench runs."""

    def __init__(self):
        self.proc = None
        self.lines = []
        self.field = None

    def start(self):
        for field in ("clocks_event_reasons.active", "clocks_throttle_reasons.active"):
            query = "index,%s,%s" % (SMI_FIELDS, field)
            try:
                probe = subprocess.run(["nvidia-smi", "--query-gpu=" + query, "--format=csv,noheader,nounits"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                                       timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                return
            if probe.returncode == 0:
                self.field = field
                self.proc = subprocess.Popen(
                    ["nvidia-smi", "--query-gpu=" + query, "--format=csv,noheader,nounits", "-lms", "500"],
                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True)
                threading.Thread(target=self._read, daemon=True).start()
                return

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.strip())

    def stop(self):
        if self.proc is None:
            return {"sampled": False, "reason": "nvidia-smi not available", "samples": []}
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        samples = parse_samples(self.lines)
        return {"sampled": True, "field": self.field, "samples": samples[-400:]}


def parse_samples(lines):
    """Rows of `nvidia-smi --query-gpu=index,clocks.sm,clocks.mem,power.draw,temperature.gpu,utilization.gpu,
    <reasons> --format=csv,noheader,nounits`; "[N/A]" and unreadable cells become None."""
    samples = []
    for line in lines:
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 7 or not cells[0].isdigit():
            continue
        samples.append({"gpu": cells[0], "smClockMHz": num(cells[1]), "memClockMHz": num(cells[2]),
                        "powerW": num(cells[3]), "tempC": num(cells[4]), "utilPct": num(cells[5]),
                        "throttle": cells[6]})
    return samples


def num(text):
    try:
        return float(text)
    except ValueError:
        return None


class Bench:
    def __init__(self, torch, quick):
        self.torch = torch
        self.quick = quick
        self.cuda = torch.cuda.is_available()
        self.device = torch.device("cuda") if self.cuda else torch.device("cpu")
        self.timer = Timer(torch, self.cuda)
        self.results = []
        self.repeats = 3 if quick else 7

    def add(self, name, unit, value=None, seconds=None, reason=None, **extra):
        entry = {"name": name, "unit": unit, "value": value, "ms": None if seconds is None else seconds * 1000,
                 "status": "ok" if reason is None else "skip", "reason": reason}
        entry.update(extra)
        self.results.append(entry)
        label = " ".join([name] + [str(extra[k]) for k in ("precision", "size") if k in extra])
        sys.stderr.write("bench: %s: %s\n" % (label, ("skipped: " + reason) if reason else "%.4g %s" % (value, unit)))
        sys.stderr.flush()

    def guarded(self, name, unit, fn, **extra):
        try:
            fn()
        except Exception as error:  # noqa: BLE001 - one failing figure must not lose the others
            self.add(name, unit, reason="failed: %s: %s" % (type(error).__name__, str(error)[:300]), **extra)

    # -- figures --------------------------------------------------------------

    def matmul(self):
        torch = self.torch
        if self.cuda:
            sizes = [2048, 4096] if self.quick else [1024, 4096, 8192]
            major = torch.cuda.get_device_capability(0)[0]
            minor = torch.cuda.get_device_capability(0)[1]
            precisions = ["fp32", "tf32", "fp16", "bf16", "fp8"]
        else:
            sizes = [256, 512] if self.quick else [256, 512, 1024]
            major = minor = 0
            precisions = ["fp32", "tf32", "fp16", "bf16", "fp8"]
        for precision in precisions:
            for n in sizes:
                self.guarded("matmul", "TFLOPS", lambda p=precision, n=n: self.matmul_one(p, n, major, minor),
                             precision=precision, size=n)

    def matmul_one(self, precision, n, major, minor):
        torch = self.torch
        if not self.cuda and precision != "fp32":
            self.add("matmul", "TFLOPS", reason="%s is a GPU precision; CPU run measures fp32 only" % precision,
                     precision=precision, size=n)
            return
        if precision in ("tf32", "bf16") and major < 8:
            self.add("matmul", "TFLOPS", reason="%s needs compute capability >= 8.0" % precision,
                     precision=precision, size=n)
            return
        if precision == "fp8" and ((major, minor) < (8, 9) or not hasattr(torch, "float8_e4m3fn")
                                   or not hasattr(torch, "_scaled_mm")):
            self.add("matmul", "TFLOPS", reason="fp8 needs compute capability >= 8.9 and torch with _scaled_mm",
                     precision=precision, size=n)
            return
        dtype = {"fp32": torch.float32, "tf32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}.get(
            precision, torch.float32)
        a = torch.randn(n, n, device=self.device, dtype=dtype)
        b = torch.randn(n, n, device=self.device, dtype=dtype)
        if self.cuda:
            torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
        if precision == "fp8":
            a8 = a.to(torch.float8_e4m3fn)
            b8 = b.t().contiguous().t().to(torch.float8_e4m3fn)
            one = torch.tensor(1.0, device=self.device)

            def op():
                torch._scaled_mm(a8, b8, scale_a=one, scale_b=one, out_dtype=torch.bfloat16)
        else:

            def op():
                torch.mm(a, b)

        inner = max(1, min(50, int(2e12 / (2 * n**3)))) if self.cuda else max(1, int(2e9 / (2 * n**3)))
        seconds = self.timer.per_call(op, inner, self.repeats)
        if self.cuda:
            torch.backends.cuda.matmul.allow_tf32 = False
        self.add("matmul", "TFLOPS", 2 * n**3 / seconds / 1e12, seconds, precision=precision, size=n)

    def memory_bandwidth(self):
        torch = self.torch
        mib = (256 if self.quick else 1024) if self.cuda else 64
        x = torch.empty(mib * 2**20 // 4, device=self.device)
        y = torch.empty_like(x)
        seconds = self.timer.per_call(lambda: y.copy_(x), 10 if self.cuda else 3, self.repeats)
        self.add("memory_bandwidth", "GB/s", 2 * x.numel() * 4 / seconds / 1e9, seconds, bytes=x.numel() * 4)

    def host_device(self):
        torch = self.torch
        if not self.cuda:
            for kind in ("h2d_pinned", "h2d_pageable", "d2h_pinned", "d2h_pageable"):
                self.add(kind, "GB/s", reason="needs a CUDA device")
            return
        mib = 64 if self.quick else 256
        dev = torch.empty(mib * 2**20 // 4, device="cuda")
        for pinned in (True, False):
            host = torch.empty(dev.numel(), pin_memory=pinned)
            label = "pinned" if pinned else "pageable"
            s = self.timer.per_call(lambda: dev.copy_(host, non_blocking=pinned), 5, self.repeats)
            self.add("h2d_" + label, "GB/s", host.numel() * 4 / s / 1e9, s, bytes=host.numel() * 4)
            s = self.timer.per_call(lambda: host.copy_(dev, non_blocking=pinned), 5, self.repeats)
            self.add("d2h_" + label, "GB/s", host.numel() * 4 / s / 1e9, s, bytes=host.numel() * 4)

    def block(self):
        torch = self.torch
        width = 512 if self.cuda else 128
        layer = torch.nn.TransformerEncoderLayer(width, 8, 4 * width, batch_first=True).to(self.device).eval()
        x = torch.randn(16 if self.cuda else 4, 128 if self.cuda else 64, width, device=self.device)
        return layer, x

    def compile_vs_eager(self):
        torch = self.torch
        if version_tuple(torch.__version__) < (2, 0) or not hasattr(torch, "compile"):
            self.add("compile_speedup", "x", reason="torch.compile needs torch >= 2.0 (this is %s)" % torch.__version__)
            return
        layer, x = self.block()
        with torch.no_grad():
            eager = self.timer.per_call(lambda: layer(x), 10, self.repeats)
            compiled = torch.compile(layer)
            compiled(x)
            fast = self.timer.per_call(lambda: compiled(x), 10, self.repeats)
        self.add("compile_speedup", "x", eager / fast, fast, eagerMs=eager * 1000)

    def amp_vs_fp32(self):
        torch = self.torch
        if not self.cuda:
            self.add("amp_speedup", "x", reason="AMP (fp16 autocast + GradScaler) needs a CUDA device")
            return
        layer, x = self.block()
        layer.train()
        opt = torch.optim.SGD(layer.parameters(), lr=1e-3)
        scaler = torch.amp.GradScaler("cuda") if hasattr(torch.amp, "GradScaler") else torch.cuda.amp.GradScaler()

        def fp32_step():
            opt.zero_grad(set_to_none=True)
            layer(x).float().pow(2).mean().backward()
            opt.step()

        def amp_step():
            opt.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.float16):
                loss = layer(x).float().pow(2).mean()
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()

        base = self.timer.per_call(fp32_step, 5, self.repeats)
        fast = self.timer.per_call(amp_step, 5, self.repeats)
        self.add("amp_speedup", "x", base / fast, fast, fp32Ms=base * 1000)

    def allreduce(self):
        torch = self.torch
        count = torch.cuda.device_count() if self.cuda else 0
        if count < 2:
            self.add("allreduce_busbw", "GB/s", reason="needs >= 2 GPUs (%d visible)" % count)
            return
        worker = ALLREDUCE_WORKER
        with tempfile.TemporaryDirectory() as tmp:
            init = "file://" + os.path.join(tmp, "rv")
            procs = [subprocess.Popen([sys.executable, "-c", worker, str(r), str(count), init],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
                     for r in range(count)]
            outs = [p.communicate(timeout=300) for p in procs]
        if any(p.returncode != 0 for p in procs):
            raise RuntimeError("all_reduce workers failed: %s" % outs[0][1].strip()[-300:])
        seconds = float(outs[0][0].strip().split()[-1])
        size = 256 * 2**20
        busbw = size / seconds * 2 * (count - 1) / count / 1e9
        self.add("allreduce_busbw", "GB/s", busbw, seconds, gpus=count, bytes=size)

    def dataloader(self):
        torch = self.torch
        from torch.utils.data import DataLoader, Dataset  # noqa: PLC0415

        class Images(Dataset):
            def __len__(self):
                return 256 if self.quick_len else 1024

            def __getitem__(self, i):
                return torch.rand(3, 224, 224)

        Images.quick_len = self.quick
        loader = DataLoader(Images(), batch_size=32, num_workers=2, pin_memory=self.cuda)
        start = time.perf_counter()
        n = 0
        for batch in loader:
            n += batch.shape[0]
        seconds = time.perf_counter() - start
        self.add("dataloader", "samples/s", n / seconds, seconds / max(1, n // 32), workers=2)

    def selfcheck(self, rounds=None):
        """Same op, timed by the harness and by a hand-written loop, interleaved in this run."""
        torch = self.torch
        n = 2048 if self.cuda else 384
        a = torch.randn(n, n, device=self.device)
        inner = 20 if self.cuda else 5
        rounds = rounds or (5 if self.quick else 11)

        def op():
            torch.mm(a, a)

        def hand_block():
            if self.cuda:
                torch.cuda.synchronize()
            t0 = time.perf_counter()
            for _ in range(inner):
                torch.mm(a, a)
            if self.cuda:
                torch.cuda.synchronize()
            return (time.perf_counter() - t0) / inner

        threads = torch.get_num_threads()
        if not self.cuda:
            torch.set_num_threads(1)  # one thread: less noise from CPU neighbours, same op for both loops
        try:
            for _ in range(2):
                op()
            harness, hand = [], []
            for r in range(rounds):  # interleaved, order alternating (ABBA), so drift hits both alike
                if r % 2 == 0:
                    harness.append(self.timer.per_call(op, inner, 1, warmup=0))
                    hand.append(hand_block())
                else:
                    hand.append(hand_block())
                    harness.append(self.timer.per_call(op, inner, 1, warmup=0))
        finally:
            torch.set_num_threads(threads)
        h, m = statistics.median(harness), statistics.median(hand)
        return {"op": "mm %dx%d fp32%s" % (n, n, "" if self.cuda else ", 1 CPU thread"), "rounds": rounds,
                "inner": inner, "harnessMs": h * 1000, "handMs": m * 1000, "overheadPct": (h - m) / m * 100}


ALLREDUCE_WORKER = r"""
import sys, time, torch, torch.distributed as dist
rank, world, init = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
dist.init_process_group("nccl", init_method=init, rank=rank, world_size=world)
torch.cuda.set_device(rank)
t = torch.ones(64 * 2**20, device="cuda")
for _ in range(5):
    dist.all_reduce(t)
torch.cuda.synchronize()
samples = []
for _ in range(10):
    dist.barrier(); torch.cuda.synchronize(); t0 = time.perf_counter()
    dist.all_reduce(t); torch.cuda.synchronize(); samples.append(time.perf_counter() - t0)
samples.sort()
dist.destroy_process_group()
print(samples[len(samples) // 2])
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench_probe.py", description="Measure torch speed on this machine.")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument("--selfcheck", action="store_true", help="also time the harness against a hand loop")
    parser.add_argument("--selfcheck-only", action="store_true", help="only the harness self-check")
    parser.add_argument("--rounds", type=int, default=None, help="self-check rounds")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    quick = args.quick
    doc = {"probe": "bench", "schema": SCHEMA, "quick": quick}
    try:
        import torch  # noqa: PLC0415
    except Exception as error:  # noqa: BLE001
        doc.update({"ok": False, "error": "torch is not importable: %s: %s" % (type(error).__name__, error)})
        sys.stdout.write(json.dumps(doc) + "\n")
        return 1
    bench = Bench(torch, quick)
    doc.update({"ok": True, "torch": torch.__version__, "torchCuda": torch.version.cuda,
                "device": "cuda" if bench.cuda else "cpu", "cpuSized": not bench.cuda,
                "threads": torch.get_num_threads(), "gpus": []})
    if bench.cuda:
        for i in range(torch.cuda.device_count()):
            major, minor = torch.cuda.get_device_capability(i)
            doc["gpus"].append({"index": i, "name": torch.cuda.get_device_name(i),
                                "capability": "%d.%d" % (major, minor)})
    sampler = SmiSampler()
    if bench.cuda:
        sampler.start()
    start = time.perf_counter()
    if args.selfcheck or args.selfcheck_only:
        doc["selfcheck"] = bench.selfcheck(args.rounds)
    if not args.selfcheck_only:
        for step in (bench.matmul, bench.memory_bandwidth, bench.host_device, bench.compile_vs_eager,
                     bench.amp_vs_fp32, bench.allreduce, bench.dataloader):
            bench.guarded(step.__name__, "", step)
    doc["results"] = bench.results
    doc["telemetry"] = sampler.stop() if bench.cuda else {"sampled": False, "reason": "no CUDA device", "samples": []}
    doc["elapsedMs"] = round((time.perf_counter() - start) * 1000)
    if args.json:
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        for r in bench.results:
            label = "%s %s" % (r["name"], " ".join(str(r[k]) for k in ("precision", "size") if k in r))
            shown = ("%.4g %s" % (r["value"], r["unit"])) if r["value"] is not None else "skip: %s" % r["reason"]
            sys.stdout.write("%-28s %s\n" % (label, shown))
        if "selfcheck" in doc:
            sys.stdout.write("selfcheck: harness %.3f ms vs hand loop %.3f ms (%+.1f%%)\n" % (
                doc["selfcheck"]["harnessMs"], doc["selfcheck"]["handMs"], doc["selfcheck"]["overheadPct"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
