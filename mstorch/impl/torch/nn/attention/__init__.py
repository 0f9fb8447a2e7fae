"""torch.nn.attention: the SDPBackend enum and the sdpa_kernel switch.

sdpa_kernel sets the same flags as torch.backends.cuda.enable_*_sdp (and puts them back
on exit), so the flags read truthfully inside the block; mstorch's attention always
computes the math formulation, whichever flags are set.
"""
import contextlib
import enum

WARN_FOR_UNFUSED_KERNELS = False


class SDPBackend(enum.Enum):
    ERROR = -1
    MATH = 0
    FLASH_ATTENTION = 1
    EFFICIENT_ATTENTION = 2
    CUDNN_ATTENTION = 3
    OVERRIDEABLE = 4


_FLAG = {SDPBackend.MATH: "math", SDPBackend.FLASH_ATTENTION: "flash",
         SDPBackend.EFFICIENT_ATTENTION: "mem_efficient", SDPBackend.CUDNN_ATTENTION: "cudnn"}


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority=False):
    from mstorch.impl.torch.backends import cuda as flags
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of SDPBackend instances, got "
                             f"{type(backends).__name__}")
    if isinstance(backends, SDPBackend):
        backends = [backends]
    if set_priority:
        raise NotImplementedError("mstorch: sdpa_kernel(set_priority=True) is not supported (one attention "
                                  "implementation, no priority order)")
    unknown = [b for b in backends if b not in _FLAG]
    if unknown:
        raise NotImplementedError(f"mstorch: sdpa_kernel({unknown[0]}) is not supported")
    saved = dict(flags._sdp)
    flags._sdp.update({flag: backend in backends for backend, flag in _FLAG.items()})
    try:
        yield {}
    finally:
        flags._sdp.update(saved)
