"""torchstack: TCPStore falls back to its classic backend when torch lacks libuv.

Debian 13's torch 2.6 is built without libuv while TCPStore asks for it by
default, so init_process_group over TCP and every torchrun fail with "use_libuv
was requested but PyTorch was build without libuv support" (USE_LIBUV=0 alone
does not reach torchrun's rendezvous). Loaded from a .pth file at interpreter
start, this module waits for torch.distributed to be imported (torch itself is
never imported here) and then makes TCPStore retry once with use_libuv=False
when, and only when, the libuv backend is missing. Builds with libuv are
untouched.
"""
import importlib.abc
import importlib.util
import sys

TARGET = "torch.distributed"
USE_LIBUV_POSITION = 8  # host_name, port, world_size, is_master, timeout, wait_for_workers, multi_tenant, fd


def without_libuv(args, kwargs):
    if len(args) > USE_LIBUV_POSITION:
        args = args[:USE_LIBUV_POSITION] + (False,) + args[USE_LIBUV_POSITION + 1:]
    else:
        kwargs = dict(kwargs, use_libuv=False)
    return args, kwargs


def patch_tcpstore(module):
    store = getattr(module, "TCPStore", None)
    if store is None or getattr(store, "_torchstack_libuv_fallback", False):
        return
    original = store.__init__

    def init(self, *args, **kwargs):
        try:
            original(self, *args, **kwargs)
        except RuntimeError as error:
            if "libuv" not in str(error):
                raise
            args, kwargs = without_libuv(args, kwargs)
            original(self, *args, **kwargs)

    store.__init__ = init
    store._torchstack_libuv_fallback = True


class PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        patch_tcpstore(module)


class TorchDistributedFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            spec.loader = PatchingLoader(spec.loader)
        return spec


def install():
    if not any(isinstance(finder, TorchDistributedFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, TorchDistributedFinder())


install()
