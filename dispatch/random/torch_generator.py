"""``torch.Generator`` and ``torch.default_generator``: the one generator class.

A ``Generator`` is the CPU generator engine (``HostGenerator``) whose state
crosses as a uint8 Tensor and which knows its device. ``default_generator`` is
the instance the dispatcher hands to a random op called without
``generator=``, and the object ``torch.default_generator`` names: one object,
so every draw, seed and Box-Muller cache is seen by both.

The state crosses through the Tensor class and `from_numpy`, named as module
attributes (resolved at call time) so that importing this module from the
dispatcher never needs a fully initialised dispatch.tensor.

Random numbers never come from MindSpore, so one generator serves every device
('cuda' tensors draw from it too, as the cuda generator queries report).
"""
from dispatch import interop as _interop, tensor as _tensor
from dispatch.device import device as _device
from dispatch.devices import cuda_to_cpu

from .generator import HostGenerator, nondeterministic_seed

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state"]


def _check_device(dev):
    d = dev if isinstance(dev, _device) else _device(dev)
    if d.type == "cpu" or (d.type in ("cuda", "npu") and cuda_to_cpu()):
        return _device("cpu")
    if d.type == "cuda":
        raise RuntimeError("Cannot get CUDA generator without ATen_cuda library.")
    raise RuntimeError(f"mstorch: torch.Generator(device='{d.type}') is not supported on this host")


def _as_state_array(new_state):
    """The NumPy bytes of a ByteTensor (its strides kept, so torch's contiguity check
    still applies); anything else goes through unchanged for the engine's checks."""
    if isinstance(new_state, _tensor.Tensor):
        if new_state.dtype.name != "uint8":
            raise TypeError("RNG state must be a torch.ByteTensor")
        return new_state.detach()._host_view()
    if not hasattr(new_state, "dtype"):
        raise TypeError("expected a torch.ByteTensor, but got " + type(new_state).__name__)
    return new_state


class Generator(HostGenerator):
    """torch.Generator: the CPU generator engine, its state as a uint8 Tensor."""

    def __init__(self, device="cpu"):
        super().__init__()
        self._device = _check_device(device)

    @property
    def device(self):
        return self._device

    def get_state(self):
        return _interop.from_numpy(self.state_bytes())

    def set_state(self, new_state):
        self.load_state_bytes(_as_state_array(new_state))
        return self

    def clone_state(self):
        g = HostGenerator.clone(self)
        g._device = self._device
        return g

    def graphsafe_get_state(self):
        return self.clone_state()

    def graphsafe_set_state(self, state):
        self.load_state_bytes(state.state_bytes())
        return self

    clone = clone_state

    def __deepcopy__(self, memo):
        return self.clone_state()

    def __getstate__(self):
        return {"state": self.state_bytes(), "device": str(self._device)}

    def __setstate__(self, d):
        HostGenerator.__setstate__(self, {"state": d["state"]})
        self._device = _device(d.get("device", "cpu"))

    def __repr__(self):
        return f"<torch.Generator object at {hex(id(self))}>"


# torch's default CPU generator is seeded from /dev/urandom at start-up
# (getDefaultCPUGenerator); only torch.Generator() starts at 67280421310721.
default_generator = Generator()
default_generator.manual_seed(nondeterministic_seed())


# The engine's module-level functions act on the default generator with NumPy state
# bytes (torch.get_rng_state, which returns a Tensor, is default_generator.get_state()).

def manual_seed(seed):
    """``torch.manual_seed``: ``int(seed)`` first, then the generator's rules."""
    return default_generator.manual_seed(int(seed))


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.state_bytes()


def set_rng_state(new_state):
    default_generator.load_state_bytes(new_state)
