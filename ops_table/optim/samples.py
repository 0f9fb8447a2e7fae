"""Sample generators for the fused optimizer ops (ops_table/optim/entries.py)."""
import numpy as np
from hypothesis import strategies as st

__all__ = ["fused_adam_lists", "fused_adam_amsgrad", "fused_sgd_lists", "fused_sgd_momentum"]


def _tensor(*a, **k):
    # Contiguous only: PyTorch's fused CPU kernels read a strided tensor as if it were
    # contiguous (measured: other values than for the same data contiguous), so torch is no
    # oracle there; tests/test_optim_fused.py checks strided arguments against a contiguous
    # reference instead.
    from tests.parity.custom_samples import _tensor as any_layout
    from tests.parity.strategies import Arr
    arr = any_layout(*a, **k)
    return Arr(np.array(arr.values, order="C"), "contig", arr.dtype)


def _shapes(draw):
    """Shapes of 0-3 parameters, each of 0-3 dims of 0-4 elements."""
    n = draw(st.integers(0, 3))
    return [tuple(draw(st.integers(0, 4)) for _ in range(draw(st.integers(0, 3)))) for _ in range(n)]


def fused_adam_lists(draw, ctx, done):
    """params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs (one per param, or none: see
    fused_adam_amsgrad) and float32 0-d steps >= 1, for 0-3 parameters of independent shapes."""
    from tests.parity.custom_samples import Spread
    shapes = _shapes(draw)
    params = [_tensor(draw, ctx, s) for s in shapes]
    grads = [_tensor(draw, ctx, s) for s in shapes]
    exp_avgs = [_tensor(draw, ctx, s, low=-1, high=1) for s in shapes]
    exp_avg_sqs = [_tensor(draw, ctx, s, low=0, high=2) for s in shapes]
    max_sqs = [_tensor(draw, ctx, s, low=0, high=2) for s in shapes] if draw(st.booleans()) else []
    steps = [_tensor(draw, ctx, (), dtype="float32", low=1, high=20) for _ in shapes]
    return Spread([params, grads, exp_avgs, exp_avg_sqs, max_sqs, steps])


def fused_adam_amsgrad(draw, ctx, done):
    """amsgrad exactly when max_exp_avg_sqs were given (PyTorch requires none without it)."""
    return bool(done[4])


def fused_sgd_lists(draw, ctx, done):
    """params, grads and momentum buffers (one per param, or none: see fused_sgd_momentum)."""
    from tests.parity.custom_samples import Spread
    shapes = _shapes(draw)
    params = [_tensor(draw, ctx, s) for s in shapes]
    grads = [_tensor(draw, ctx, s) for s in shapes]
    bufs = [_tensor(draw, ctx, s, low=-1, high=1) for s in shapes] if draw(st.booleans()) else []
    return Spread([params, grads, bufs])


def fused_sgd_momentum(draw, ctx, done):
    """A momentum exactly when buffers were given (PyTorch requires none without one)."""
    return draw(st.sampled_from([0.9, 0.5])) if done[2] else 0.0
