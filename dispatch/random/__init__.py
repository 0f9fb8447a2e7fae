"""Host-side random numbers, bit-identical to PyTorch's CPU generator.

``HostGenerator`` is ``torch.Generator`` (CPU); the functions in
``distributions`` are PyTorch's CPU random kernels writing into NumPy arrays.
Nothing here imports MindSpore or torch.
"""

from .generator import (  # noqa: F401
    DEFAULT_RNG_SEED, STATE_SIZE, HostGenerator, default_generator,
    get_rng_state, initial_seed, manual_seed, seed, set_rng_state)
from .distributions import (  # noqa: F401
    bernoulli, bernoulli_, cauchy_, dropout_mask, exponential_, geometric_,
    log_normal_, multinomial, normal_, normal_tensor, rand, rand_like, randint,
    randint_like, randn, randn_like, random_, randperm, uniform_)

from . import distributions as _distributions  # noqa: E402

# Table kernels receive the generator object (the dispatcher fills in the
# default one) and must not import dispatch; this attribute is how they reach
# the kernels that go with it: ``gen.distributions.uniform_(gen, out, ...)``.
HostGenerator.distributions = _distributions
