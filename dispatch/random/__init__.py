"""The engine's random-number state: PyTorch's CPU generator, bit for bit.

``Generator`` is ``torch.Generator`` (one class; ``HostGenerator`` is its
engine, the MT19937 state and the 5056-byte state layout, usable on its own
with NumPy state bytes) and ``default_generator`` is ``torch.default_generator``.
The kernels that draw from a generator are table kernels
(ops_table/random/torch_streams); the dispatcher passes them the generator.
"""

from .generator import DEFAULT_RNG_SEED, STATE_SIZE, HostGenerator  # noqa: F401
from .torch_generator import (  # noqa: F401
    Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state)

__all__ = ["DEFAULT_RNG_SEED", "STATE_SIZE", "HostGenerator", "Generator", "default_generator",
           "get_rng_state", "initial_seed", "manual_seed", "seed", "set_rng_state"]
