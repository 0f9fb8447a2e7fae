"""Coupled sample arguments for the losses of ops_table/nn_loss/entries.py."""
import numpy as np
from hypothesis import strategies as st


def _spread(items):
    # custom_samples imports this module before defining Spread: look it up at call time.
    from tests.parity.custom_samples import Spread
    return Spread(items)


def _t(draw, ctx, shape, dtype=None, low=None, high=None):
    from tests.parity.custom_samples import _tensor
    return _tensor(draw, ctx, tuple(shape), dtype=dtype, low=low, high=high)


def _ints(draw, shape, lo, hi):
    """An int64 tensor recipe with values in [lo, hi)."""
    from tests.parity.strategies import Arr
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    return Arr(rng.integers(lo, max(hi, lo + 1), size=tuple(shape)).astype(np.int64), "contig", "int64")


def _fixed(values, dtype):
    from tests.parity.strategies import Arr
    return Arr(np.array(values, dtype=dtype, order="C"), "contig", dtype)


def _shape(draw, lo, hi, min_size=0, max_size=4):
    return tuple(draw(st.integers(min_size, max_size)) for _ in range(draw(st.integers(lo, hi))))


def _class_input(draw, ctx):
    kind = draw(st.sampled_from(["2d", "1d", "nd"]))
    c = draw(st.integers(1, 4))
    if kind == "1d":
        return _t(draw, ctx, (c,)), (), c
    n = draw(st.integers(1, 3))  # torch's nll_loss backward fails on an empty batch
    extra = (draw(st.integers(1, 3)),) if kind == "nd" else ()
    return _t(draw, ctx, (n, c) + extra), (n,) + extra, c


def nll_args(draw, ctx, done):
    x, tshape, c = _class_input(draw, ctx)
    weight = _t(draw, ctx, (c,), low=0.1, high=2) if draw(st.booleans()) else None
    return _spread([x, _ints(draw, tshape, 0, c), weight])


def cross_entropy_args(draw, ctx, done):
    x, tshape, c = _class_input(draw, ctx)
    weight = _t(draw, ctx, (c,), low=0.1, high=2) if draw(st.booleans()) else None
    if draw(st.booleans()):
        return _spread([x, _ints(draw, tshape, 0, c), weight])
    probs = _t(draw, ctx, x.shape, low=0, high=1)
    return _spread([x, probs, weight])


def optional_same_shape(draw, ctx, done):
    return _t(draw, ctx, done[0].shape, low=0.1, high=2) if draw(st.booleans()) else None


def pos_weight(draw, ctx, done):
    shape = done[0].shape
    if not draw(st.booleans()):
        return None
    return _t(draw, ctx, shape[-1:] if shape else (), low=0.1, high=3)


def kl_target(draw, ctx, done):
    # No exact zeros: there torch's gradient wrt target is NaN (xlogy's 0/0) while the loss is finite.
    return _t(draw, ctx, done[0].shape, low=0.01, high=1)


def _signs(draw, shape, dtype):
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    return _fixed(np.where(rng.random(tuple(shape)) < 0.5, -1.0, 1.0), dtype)


def sign_like_0(draw, ctx, done):
    return _signs(draw, done[0].shape, ctx["dtype"])


def binary_like_0(draw, ctx, done):
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    return _fixed((rng.random(tuple(done[0].shape)) < 0.5).astype(np.float64), ctx["dtype"])


def cosine_embedding_args(draw, ctx, done):
    d = draw(st.integers(1, 4))
    if draw(st.booleans()):
        return _spread([_t(draw, ctx, (d,)), _t(draw, ctx, (d,)), _signs(draw, (), ctx["dtype"])])
    n = draw(st.integers(0, 3))
    return _spread([_t(draw, ctx, (n, d)), _t(draw, ctx, (n, d)), _signs(draw, (n,), ctx["dtype"])])


def poisson_args(draw, ctx, done):
    shape = _shape(draw, 0, 3)
    log_input = draw(st.booleans())
    x = _t(draw, ctx, shape, low=-2, high=2) if log_input else _t(draw, ctx, shape, low=0.1, high=4)
    return _spread([x, _t(draw, ctx, shape, low=0, high=4), log_input])


def gaussian_var(draw, ctx, done):
    shape = done[0].shape
    kind = draw(st.sampled_from(["same", "drop_last", "float"]))
    if kind == "float":
        return float(draw(st.sampled_from([0.5, 2.0])))
    if kind == "drop_last" and len(shape) >= 1:
        return _t(draw, ctx, shape[:-1], low=0.1, high=2)
    return _t(draw, ctx, shape, low=1e-7 if draw(st.booleans()) else 0.1, high=2)


def _nll_case(draw, ctx):
    """x of (N, C) or (C,), class targets with some equal to ignore_index, optional weight."""
    from tests.parity.strategies import Arr
    c = draw(st.integers(1, 4))
    one_d = draw(st.booleans())
    x = _t(draw, ctx, (c,) if one_d else (draw(st.integers(1, 3)), c))
    ignore = draw(st.sampled_from([-100, 0]))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    t = rng.integers(0, c, size=() if one_d else (x.shape[0],))
    t = np.where(rng.random(t.shape) < 0.25, ignore, t).astype(np.int64)
    weight = _t(draw, ctx, (c,), low=0.1, high=2) if draw(st.booleans()) else None
    return x, Arr(np.array(t, order="C"), "contig", "int64"), weight, draw(st.integers(0, 2)), ignore


def nll_forward_args(draw, ctx, done):
    return _spread(list(_nll_case(draw, ctx)))


def nll_backward_args(draw, ctx, done):
    """grad_output (shaped like the forward's output), the forward's inputs, and the total
    weight of the kept targets that nll_loss_forward reports (0 for 2-D input and reduction 'none')."""
    from tests.parity.strategies import Arr
    x, t, weight, reduction, ignore = _nll_case(draw, ctx)
    tv = t.values.reshape(-1)
    w = np.ones(x.shape[-1]) if weight is None else weight.values
    total = 0.0 if reduction == 0 and x.ndim == 2 else float(sum(w[k] for k in tv if k != ignore))
    grad = _t(draw, ctx, t.values.shape if reduction == 0 else ())
    total_arr = Arr(np.array(total, dtype=x.values.dtype), "contig", x.dtype)
    return _spread([grad, x, t, weight, reduction, ignore, total_arr])


def ctc_args(draw, ctx, done):
    """Log-probabilities (normalised, as CTC expects), targets padded or concatenated, lengths as lists or
    tensors; some alignments are impossible (input shorter than the labels need)."""
    steps, n, c = draw(st.integers(1, 6)), draw(st.integers(1, 3)), draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    logits = rng.normal(size=(steps, n, c))
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    blank = draw(st.sampled_from([0, c - 1]))
    labels = [k for k in range(c) if k != blank]
    tg_len = rng.integers(0, 4, size=n)
    in_len = rng.integers(1, steps + 1, size=n)
    rows = [rng.choice(labels, size=k) for k in tg_len]
    if draw(st.booleans()):
        width = max(int(tg_len.max()), 1)
        targets = np.array([np.pad(r, (0, width - len(r)), constant_values=labels[0]) for r in rows], np.int64)
    else:
        targets = np.concatenate(rows + [np.zeros(0, np.int64)]).astype(np.int64)
    as_tensor = draw(st.booleans())
    lengths = [_fixed(in_len, "int64"), _fixed(tg_len, "int64")] if as_tensor else \
        [in_len.tolist(), tg_len.tolist()]
    return _spread([_fixed(log_probs.astype(ctx["dtype"]), ctx["dtype"]), _fixed(targets, "int64")] + lengths +
                   [blank])


def multi_margin_args(draw, ctx, done):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    unbatched = draw(st.booleans())
    x = _t(draw, ctx, (c,) if unbatched else (n, c))
    target = _ints(draw, () if unbatched else (n,), 0, c)
    return _spread([x, target])


def multilabel_margin_args(draw, ctx, done):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    unbatched = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    rows = []
    for _ in range(1 if unbatched else n):
        k = int(rng.integers(0, c + 1))
        row = list(rng.permutation(c)[:k]) + [-1] * (c - k)
        rows.append(row)
    target = np.array(rows[0] if unbatched else rows, np.int64)
    return _spread([_t(draw, ctx, (c,) if unbatched else (n, c)), _fixed(target, "int64")])
