"""`torch.random`: the functions over `torch.default_generator`.

`torch.Generator` and `torch.default_generator` are the engine's generator state
(dispatch/random/torch_generator.py: PyTorch's CPU generator, bit-identical streams
and state bytes), named here.  Random numbers never come from MindSpore, so one
generator serves every device; `fork_rng` therefore only has the CPU state to save."""
import contextlib

from dispatch.random import Generator, default_generator

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "thread_safe_generator", "default_generator", "Generator"]


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
