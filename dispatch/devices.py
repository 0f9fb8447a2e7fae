"""Where tensors live.  On a CPU-only host 'cuda' requests fail as in PyTorch, unless the
user opted in with --cuda-to-cpu / MSTORCH_CUDA_TO_CPU=1 (then they are served by the CPU)."""
import os

from dispatch.device import CPU, as_device


def cuda_to_cpu():
    return os.environ.get("MSTORCH_CUDA_TO_CPU", "") not in ("", "0")


def check(device):
    """The device a request is served on, or PyTorch's error for an unavailable one."""
    d = as_device(device)
    if d is None or d.type == "cpu":
        return CPU
    if d.type in ("cuda", "npu") and cuda_to_cpu():
        return CPU
    if d.type == "cuda":
        raise AssertionError("Torch not compiled with CUDA enabled")
    if d.type == "meta":
        raise NotImplementedError("mstorch: the 'meta' device is not supported yet")
    raise RuntimeError(f"mstorch: device type '{d.type}' is not available on this host")


def place(t, device):
    check(device)
    return t


def pin_memory_check():
    if not cuda_to_cpu():
        raise RuntimeError("Cannot access accelerator device when none is available.")
