"""vmap's `randomness` flag for a per-sample loop.

Random ops draw from the default host generator. 'error' compares its state before and after
the samples ran (PyTorch raises at the random op; here the samples run first, then the state is
put back and the same error is raised). 'same' restores the entry state before every sample, so
each sample draws what one unbatched call draws (PyTorch's stream for 'same'). 'different' lets
the samples draw one after another: every sample gets its own numbers, though PyTorch's batched
draw of shape (B, ...) may order the stream differently for some distributions.
Random ops given an explicit `generator=` are not watched.
"""
import numpy as np

from dispatch.random import get_rng_state, set_rng_state

ERROR_MESSAGE = ("vmap: called random operation while in randomness error mode. Please either use the 'same' or "
                 "'different' randomness flags on vmap or perform the randomness operation out of vmap")


def check_randomness_arg(randomness):
    if randomness not in ("error", "different", "same"):
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or 'same'. "
                           f"Got {randomness}")


class RandomnessWatch:
    def __init__(self, randomness):
        self.randomness = randomness
        self.start = get_rng_state() if randomness != "different" else None

    def before_sample(self, index):
        if self.randomness == "same" and index > 0:
            set_rng_state(self.start)

    def after_all(self):
        if self.randomness == "error" and not np.array_equal(get_rng_state(), self.start):
            set_rng_state(self.start)
            raise RuntimeError(ERROR_MESSAGE)
