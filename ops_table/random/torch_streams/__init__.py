"""PyTorch 2.13's CPU random kernels, bit for bit, in NumPy.

Every kernel takes the generator it draws from as its first argument (a
``torch.Generator``: the engine's generator state, ``dispatch.random``) and
uses only its raw 32/64-bit stream, its Box-Muller caches and its lock; the
table's random entries (``ops_table/random``) call these with the generator
the dispatcher bound. Nothing here imports dispatch, MindSpore or torch.

One job per module: ``uniform_normal`` (uniform_, normal_, torch.normal),
``integers`` (random_), ``transforms`` (exponential_, geometric_, cauchy_,
log_normal_), ``bernoulli_dropout``, ``permutation`` (randperm),
``categorical`` (multinomial), ``factories`` (rand, randn, randint, *_like);
``bits``, ``layout``, ``float_math`` (fma and libm/AVX emulations) and
``stl_sort`` (libstdc++'s sorts) support them. docs/random.md gives the
per-op algorithms.
"""

from .bernoulli_dropout import bernoulli, bernoulli_, dropout_mask
from .categorical import multinomial
from .factories import rand, rand_like, randint, randint_like, randn, randn_like
from .integers import random_
from .permutation import randperm
from .transforms import cauchy_, exponential_, geometric_, log_normal_
from .uniform_normal import normal_, normal_tensor, uniform_

__all__ = [
    "uniform_", "normal_", "normal_tensor", "random_", "randint",
    "exponential_", "geometric_", "cauchy_", "log_normal_", "bernoulli_",
    "bernoulli", "randperm", "multinomial", "dropout_mask", "rand", "randn",
    "rand_like", "randn_like", "randint_like",
]
