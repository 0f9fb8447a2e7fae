"""`torch.random` and `torch.Generator`: PyTorch's CPU generator, served by the
host-side generator of dispatch.random (bit-identical streams and state bytes).

Random numbers never come from MindSpore, so one generator serves every device;
`fork_rng` therefore only has the CPU state to save."""
import contextlib

from dispatch import random as _R
from dispatch.device import device as _device

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "thread_safe_generator", "default_generator", "Generator"]


def _as_byte_tensor(arr):
    from dispatch.interop import from_numpy
    return from_numpy(arr)


def _as_state_array(new_state):
    """The NumPy bytes of a ByteTensor (its strides kept, so torch's contiguity check
    still applies); anything else goes through unchanged for HostGenerator's checks."""
    from dispatch.tensor import Tensor
    if isinstance(new_state, Tensor):
        if new_state.dtype.name != "uint8":
            raise TypeError("RNG state must be a torch.ByteTensor")
        return new_state.detach()._host_view()
    if not hasattr(new_state, "dtype"):
        raise TypeError("expected a torch.ByteTensor, but got " + type(new_state).__name__)
    return new_state


def _check_device(dev):
    from dispatch.devices import cuda_to_cpu
    d = _device(dev) if not isinstance(dev, _device) else dev
    if d.type == "cpu" or (d.type in ("cuda", "npu") and cuda_to_cpu()):
        return _device("cpu")
    if d.type == "cuda":
        raise RuntimeError("Cannot get CUDA generator without ATen_cuda library.")
    raise RuntimeError(f"mstorch: torch.Generator(device='{d.type}') is not supported on this host")


class Generator(_R.HostGenerator):
    """torch.Generator: a HostGenerator whose state crosses as a uint8 Tensor."""

    def __init__(self, device="cpu"):
        super().__init__()
        self._device = _check_device(device)

    @property
    def device(self):
        return self.__dict__.get("_device") or _device("cpu")

    def get_state(self):
        return _as_byte_tensor(_R.HostGenerator.get_state(self))

    def set_state(self, new_state):
        _R.HostGenerator.set_state(self, _as_state_array(new_state))
        return self

    def clone_state(self):
        g = Generator.__new__(Generator)
        g.__dict__.update(_R.HostGenerator.clone(self).__dict__)
        g._device = self.device
        return g

    def graphsafe_get_state(self):
        return self.clone_state()

    def graphsafe_set_state(self, state):
        _R.HostGenerator.set_state(self, _R.HostGenerator.get_state(state))
        return self

    clone = clone_state

    def __deepcopy__(self, memo):
        return self.clone_state()

    # Pickle the raw bytes, not a Tensor (the base class calls get_state()).
    def __getstate__(self):
        return {"state": _R.HostGenerator.get_state(self), "device": str(self.device)}

    def __setstate__(self, d):
        _R.HostGenerator.__setstate__(self, {"state": d["state"]})
        self._device = _device(d.get("device", "cpu"))

    def __repr__(self):
        return f"<torch.Generator object at {hex(id(self))}>"


# torch.default_generator must be the very generator the dispatcher draws from when a
# call passes none (dispatch.random.default_generator, a plain HostGenerator whose
# get_state() returns NumPy).  Sharing its instance dict makes this object a second
# face of the same state: every draw, seed and cache is seen by both.
default_generator = Generator.__new__(Generator)
default_generator.__dict__ = _R.default_generator.__dict__


def manual_seed(seed):
    """Seeds the default generator (the only one: devices share the host generator)."""
    return default_generator.manual_seed(int(seed))


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type=None):
    """Restores the default generator's state on exit.  Device generators do not exist
    here (all random numbers come from the host generator), so `devices` only selects
    nothing more to save."""
    if device_type == "meta" or not enabled:
        yield
        return
    if devices is not None:
        list(devices)
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def thread_safe_generator():
    """None outside thread-based DataLoader workers, which mstorch does not run."""
    return None
