"""torch.cuda: answers from dispatch/devices.py.

CPU-only host: PyTorch's answers on a build without CUDA (is_available() False, calls that
need a device raise its AssertionError, memory counters 0).  With --cuda-to-cpu or an
Ascend/GPU MindSpore target, one CUDA device exists: device 0.  Under --cuda-to-cpu that
device is the CPU: the memory counters are the bytes of live tensor storage and the
random functions act on the one host generator that 'cuda' tensors draw from.
"""
import collections
import contextlib
import os
import time

from dispatch import devices as _devices
from dispatch.device import device as _device
from mstorch.impl.torch.cuda.graphs import (CUDAGraph, StreamContext, graph, graph_pool_handle,
                                            is_current_stream_capturing, make_graphed_callables)

__all__ = ["is_available", "device_count", "current_device", "set_device", "synchronize", "empty_cache",
           "manual_seed", "manual_seed_all", "seed", "seed_all", "initial_seed", "get_rng_state",
           "set_rng_state", "get_device_name", "get_device_properties", "get_device_capability",
           "memory_allocated", "max_memory_allocated", "memory_reserved", "max_memory_reserved",
           "reset_peak_memory_stats", "reset_max_memory_allocated", "memory_stats", "memory_summary",
           "mem_get_info", "Stream", "Event", "device", "device_of", "stream", "current_stream",
           "default_stream", "is_initialized", "init", "is_bf16_supported", "get_arch_list", "ipc_collect",
           "CUDAGraph", "graph", "graph_pool_handle", "is_current_stream_capturing", "make_graphed_callables",
           "StreamContext"]


def is_available():
    return _devices.cuda_available()


def device_count():
    return _devices.device_count()


def is_initialized():
    return _devices.cuda_available()


def init():
    _devices.require_cuda()


def _get_device_index(dev, optional=True):
    if isinstance(dev, str):
        dev = _device(dev)
    if isinstance(dev, _device):
        if dev.type != "cuda":
            raise ValueError(f"Expected a cuda device, but got: {dev}")
        dev = dev.index
    if dev is None:
        if not optional:
            raise ValueError("Expected a cuda device with a specified index or an integer, but got:None")
        return current_device()
    return int(dev)


def current_device():
    _devices.require_cuda()
    return 0


def set_device(device):
    idx = _get_device_index(device) if device is not None else -1
    if idx < 0:
        return
    _devices.require_cuda()
    if idx >= device_count() and not _devices.cuda_to_cpu():
        raise RuntimeError("CUDA error: invalid device ordinal")


def synchronize(device=None):
    # Kernels launch synchronously (dispatch/backend.py), so there is nothing to wait for.
    _devices.require_cuda()


def empty_cache():
    """No caching allocator sits between tensors and memory here: nothing is held back."""


def ipc_collect():
    _devices.require_cuda()


def get_device_name(device=None):
    get_device_properties(device)
    acc = _devices.accelerator()
    if acc is None:
        return "CPU (mstorch --cuda-to-cpu)"
    return {"ascend": "Ascend (MindSpore)", "gpu": "GPU (MindSpore)"}[acc]


class _DeviceProperties:
    def __init__(self, name, total_memory):
        self.name = name
        self.total_memory = total_memory
        self.major, self.minor = 0, 0
        self.multi_processor_count = os.cpu_count() or 1
        self.is_integrated = _devices.accelerator() is None
        self.is_multi_gpu_board = False

    def __repr__(self):
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, minor={self.minor}, "
                f"total_memory={self.total_memory // (1024 * 1024)}MB, "
                f"multi_processor_count={self.multi_processor_count})")


def get_device_properties(device=None):
    _devices.require_cuda()
    idx = _get_device_index(device)
    if idx < 0 or (idx >= device_count() and not _devices.cuda_to_cpu()):
        raise AssertionError("Invalid device id")
    name = {"ascend": "Ascend (MindSpore)", "gpu": "GPU (MindSpore)"}.get(_devices.accelerator(),
                                                                          "CPU (mstorch --cuda-to-cpu)")
    return _DeviceProperties(name, _host_memory()[1])


def get_device_capability(device=None):
    # No CUDA compute capability exists here; (0, 0) keeps capability-gated GPU paths off.
    get_device_properties(device)
    return (0, 0)


def is_bf16_supported(including_emulation=True):
    return _devices.cuda_available()


def get_arch_list():
    return []


# ---- random numbers: 'cuda' tensors draw from the host generator ----------------------------

def manual_seed(seed):
    # PyTorch queues CUDA seeding lazily and never runs it without a device.
    if _devices.cuda_available():
        from mstorch.impl.torch import random
        random.manual_seed(seed)


manual_seed_all = manual_seed


def seed():
    if _devices.cuda_available():
        from mstorch.impl.torch import random
        random.seed()


seed_all = seed


def initial_seed():
    _devices.require_cuda()
    from mstorch.impl.torch import random
    return random.initial_seed()


def get_rng_state(device="cuda"):
    _devices.require_cuda()
    from mstorch.impl.torch import random
    return random.get_rng_state()


def set_rng_state(new_state, device="cuda"):
    _devices.require_cuda()
    from mstorch.impl.torch import random
    random.set_rng_state(new_state)


def get_rng_state_all():
    return [get_rng_state()]


def set_rng_state_all(new_states):
    for s in new_states:
        set_rng_state(s)


# ---- memory ---------------------------------------------------------------------------

def _host_memory():
    try:
        page = os.sysconf("SC_PAGE_SIZE")
        return os.sysconf("SC_AVPHYS_PAGES") * page, os.sysconf("SC_PHYS_PAGES") * page
    except (ValueError, OSError, AttributeError):
        return 0, 0


def _ms_runtime(fn):
    import mindspore
    return int(getattr(mindspore.runtime, fn)())


def memory_allocated(device=None):
    if _devices.accelerator() is not None and not _devices.cuda_to_cpu():
        return _ms_runtime("memory_allocated")
    return _devices.memory_allocated()


def max_memory_allocated(device=None):
    if _devices.accelerator() is not None and not _devices.cuda_to_cpu():
        return _ms_runtime("max_memory_allocated")
    return _devices.max_memory_allocated()


def memory_reserved(device=None):
    # No caching allocator: what is reserved is what is allocated.
    if _devices.accelerator() is not None and not _devices.cuda_to_cpu():
        return _ms_runtime("memory_reserved")
    return _devices.memory_allocated()


def max_memory_reserved(device=None):
    if _devices.accelerator() is not None and not _devices.cuda_to_cpu():
        return _ms_runtime("max_memory_reserved")
    return _devices.max_memory_allocated()


def memory_cached(device=None):
    import warnings
    warnings.warn("`torch.cuda.memory_cached` has been renamed to `torch.cuda.memory_reserved`", FutureWarning,
                  stacklevel=2)
    return memory_reserved(device)


def reset_peak_memory_stats(device=None):
    _devices.require_cuda()
    if _devices.accelerator() is not None and not _devices.cuda_to_cpu():
        import mindspore
        mindspore.runtime.reset_peak_memory_stats()
        return
    _devices.reset_peak()


def reset_max_memory_allocated(device=None):
    import warnings
    warnings.warn("torch.cuda.reset_max_memory_allocated now calls torch.cuda.reset_peak_memory_stats, which "
                  "resets /all/ peak memory stats.", FutureWarning, stacklevel=2)
    reset_peak_memory_stats(device)


def memory_stats(device=None):
    if not _devices.cuda_available():
        return collections.OrderedDict()
    cur, peak = memory_allocated(), max_memory_allocated()
    stats = {}
    for kind in ("allocated_bytes", "reserved_bytes", "active_bytes"):
        stats[f"{kind}.all.current"] = cur
        stats[f"{kind}.all.peak"] = peak
    stats["num_alloc_retries"] = 0
    stats["num_ooms"] = 0
    return collections.OrderedDict(sorted(stats.items()))


def memory_summary(device=None, abbreviated=False):
    if not _devices.cuda_available():
        raise KeyError("allocated_bytes.all.current")
    s = memory_stats()
    return (f"mstorch memory summary (device 0)\n"
            f"  allocated: current {s['allocated_bytes.all.current']} B, peak {s['allocated_bytes.all.peak']} B\n"
            f"  reserved:  current {s['reserved_bytes.all.current']} B, peak {s['reserved_bytes.all.peak']} B\n")


def mem_get_info(device=None):
    _devices.require_cuda()
    if _devices.accelerator() is not None and not _devices.cuda_to_cpu():
        raise NotImplementedError("mstorch: torch.cuda.mem_get_info on an accelerator target is not supported yet")
    return _host_memory()


# ---- streams, events, device context ----------------------------------------------------

class Stream:
    """One in-order stream: kernels run synchronously, so every wait is already satisfied."""

    def __new__(cls, device=None, priority=0, **kwargs):
        if not _devices.cuda_available():
            raise RuntimeError("torch.cuda.Stream requires CUDA support")
        return super().__new__(cls)

    def __init__(self, device=None, priority=0, **kwargs):
        self.device = _device("cuda", 0)
        self.priority = priority

    def synchronize(self):
        pass

    def query(self):
        return True

    def wait_stream(self, stream):
        pass

    def wait_event(self, event):
        pass

    def record_event(self, event=None):
        event = event or Event()
        event.record(self)
        return event

    def __eq__(self, other):
        return isinstance(other, Stream)

    def __hash__(self):
        return 0


class Event:
    def __new__(cls, enable_timing=False, blocking=False, interprocess=False):
        if not _devices.cuda_available():
            raise RuntimeError("Tried to instantiate dummy base class Event")
        return super().__new__(cls)

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        self.enable_timing = enable_timing
        self._t = None

    def record(self, stream=None):
        self._t = time.perf_counter()

    def wait(self, stream=None):
        pass

    def query(self):
        return True

    def synchronize(self):
        pass

    def elapsed_time(self, end_event):
        if not (self.enable_timing and end_event.enable_timing):
            raise RuntimeError("Both events must be created with argument 'enable_timing=True'.")
        if self._t is None or end_event._t is None:
            raise RuntimeError("Both events must be recorded before calculating elapsed time.")
        return (end_event._t - self._t) * 1000.0


def current_stream(device=None):
    _devices.require_cuda()
    return Stream()


default_stream = current_stream


@contextlib.contextmanager
def stream(stream):
    yield


class device:
    """Context manager selecting the current CUDA device (one device: index 0)."""

    def __init__(self, device):
        self.idx = _get_device_index(device, optional=True) if device is not None else -1
        self.prev_idx = -1

    def __enter__(self):
        if self.idx == -1:
            return
        if not _devices.cuda_available():
            raise RuntimeError("PyTorch was compiled without CUDA support")
        self.prev_idx = 0

    def __exit__(self, *exc):
        return False


class device_of(device):
    def __init__(self, obj):
        super().__init__(obj.get_device() if getattr(obj, "is_cuda", False) else -1)
