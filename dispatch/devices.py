"""Where tensors live, and what 'cuda' means here.

Three cases, decided per process:
- MindSpore's device target is Ascend or GPU: 'cuda', 'cuda:N' and 'npu' are served by
  that accelerator and `torch.cuda.is_available()` is True.
- CPU-only host: the answers are PyTorch's own on a CPU-only build (no CUDA; an
  unguarded `.cuda()` raises its AssertionError).
- CPU-only host with the user's opt-in (--cuda-to-cpu / MSTORCH_CUDA_TO_CPU=1): every
  CUDA request is served by the CPU, so GPU-only scripts run; `torch.cuda.memory_*`
  then report the bytes of live tensor storage (tracked only in this mode: see `_track`).

The target can be injected (`inject_target`) so that the accelerator answers are
testable on a CPU host; an injected target changes answers, not where kernels run.
"""
import contextlib
import os
import threading
import weakref

from dispatch import upcalls as _upcalls
from dispatch.device import CPU, META, as_device, device as _device
from dispatch import backend
from dispatch import storage as _storage

_CUDA_MSG = "Torch not compiled with CUDA enabled"
_ACCELERATORS = ("ascend", "gpu")
_injected = [None]


def cuda_to_cpu():
    return os.environ.get("MSTORCH_CUDA_TO_CPU", "") not in ("", "0")


@contextlib.contextmanager
def inject_target(target):
    """Answer as if MindSpore's device target were `target` ('cpu', 'ascend', 'gpu')."""
    prev = _injected[0]
    _injected[0] = target
    try:
        yield
    finally:
        _injected[0] = prev


def accelerator():
    """'ascend' / 'gpu' when MindSpore runs on one, else None."""
    t = _injected[0]
    if t is None:
        t = backend.target()
    return t if t in _ACCELERATORS else None


def cuda_available():
    return accelerator() is not None or cuda_to_cpu()


def device_count():
    # MindSpore binds one process to one device (its context's device_id): one visible device.
    if not cuda_available():
        return 0
    if cuda_to_cpu() and os.environ.get("TORCHELASTIC_RUN_ID") is not None:
        # Every cuda:N is served by the CPU here; in a torchrun launch each local rank counts
        # as one device, as on a host with a GPU per rank, so CUDA programs that check for
        # LOCAL_WORLD_SIZE devices before using cuda:LOCAL_RANK run.
        local = os.environ.get("LOCAL_WORLD_SIZE", "")
        if local.isdigit() and int(local) > 1:
            return int(local)
    return 1


def require_cuda():
    """PyTorch's failure for CUDA-only calls on a build without CUDA."""
    if not cuda_available():
        raise AssertionError(_CUDA_MSG)


def check(device):
    """The device a request is served on, or PyTorch's error for an unavailable one."""
    d = as_device(device)
    if d is None or d.type == "cpu":
        return CPU
    if d.type in ("cuda", "npu"):
        if cuda_to_cpu():
            return CPU
        if accelerator() is not None:
            if d.index is not None and d.index >= device_count():
                raise RuntimeError("CUDA error: invalid device ordinal")
            return _device(d.type, d.index or 0)
    if d.type == "cuda":
        raise AssertionError(_CUDA_MSG)
    if d.type == "meta":
        return META
    raise RuntimeError(f"mstorch: device type '{d.type}' is not available on this host")


def place(t, device):
    if check(device) is META:
        return _upcalls.to_meta(t)
    return t


def pin_memory_check():
    if not cuda_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")


# ---- allocation tracking (cuda-to-cpu mode only) ---------------------------------------
# Every Storage is one allocation; its bytes count until the Storage is collected.  A
# weakref callback per Storage costs ~1 us, so it is installed only in cuda-to-cpu mode:
# otherwise nothing runs per allocation and the memory answers are PyTorch's (0).

_mem = {"live": 0, "peak": 0, "count": 0}
_sizes = {}
_lock = threading.Lock()
tracking = False


def _release(ref):
    n = _sizes.pop(ref, 0)
    with _lock:
        _mem["live"] -= n


def track(storage):
    """Count `storage` as allocated until it is collected (called for each new Storage)."""
    try:
        n = int(storage.nbytes())
    except Exception:  # a backend array without a byte size: nothing to count
        return
    ref = weakref.ref(storage, _release)
    _sizes[ref] = n
    with _lock:
        live = _mem["live"] = _mem["live"] + n
        _mem["count"] += 1
        if live > _mem["peak"]:
            _mem["peak"] = live


def start_tracking():
    """Count allocations from now on.  The Storage constructor reports each new storage
    here; until the engine calls `track` itself, its __init__ is wrapped once."""
    global tracking
    if tracking:
        return
    tracking = True
    cls = _storage.Storage
    if getattr(cls, "_reports_allocations", False):
        return
    init = cls.__init__

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        track(self)
    cls.__init__ = __init__
    cls._reports_allocations = True


def memory_allocated():
    return _mem["live"] if tracking else 0


def max_memory_allocated():
    return _mem["peak"] if tracking else 0


def reset_peak():
    with _lock:
        _mem["peak"] = _mem["live"]


if cuda_to_cpu():
    start_tracking()
