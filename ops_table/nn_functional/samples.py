"""Coupled sample arguments for ops_table/nn_functional/entries.py (embedding, rms_norm, ctc_loss,
margin losses, scaled_dot_product_attention, the upsample ops)."""
import numpy as np
from hypothesis import strategies as st

from ops_table.nn_loss.samples import _fixed, _ints, _shape, _spread, _t


def embedding_lookup_args(draw, ctx, done):
    v, d = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    idx = _ints(draw, _shape(draw, 0, 2, 0, 4), 0, v)
    return _spread([_t(draw, ctx, (v, d)), idx, draw(st.sampled_from([-1, 0, v - 1]))])


def embedding_renorm_args(draw, ctx, done):
    v, d = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    idx = _ints(draw, _shape(draw, 0, 2, 0, 4), 0, v)
    return _spread([_t(draw, ctx, (v, d)), idx, draw(st.sampled_from([0.5, 1.0, 4.0])),
                    draw(st.sampled_from([1.0, 2.0, 3.0]))])


def rms_norm_args(draw, ctx, done):
    shape = _shape(draw, 1, 4, 0, 3)
    k = draw(st.integers(1, len(shape)))
    normalized = shape[len(shape) - k:]
    weight = _t(draw, ctx, normalized) if draw(st.booleans()) else None
    return _spread([_t(draw, ctx, shape), list(normalized), weight])


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


def sdpa_args(draw, ctx, done):
    lead = _shape(draw, 0, 2, 1, 2)
    L, S, e, ev = (draw(st.integers(1, 4)) for _ in range(4))
    q, k, v = _t(draw, ctx, lead + (L, e)), _t(draw, ctx, lead + (S, e)), _t(draw, ctx, lead + (S, ev))
    kind = draw(st.sampled_from(["none", "bool", "float", "causal"]))
    mask, causal = None, False
    if kind == "bool":
        rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
        mask = _fixed(rng.random((L, S)) < 0.7, "bool")
    elif kind == "float":
        mask = _t(draw, ctx, (L, S))
    elif kind == "causal":
        causal = True
    return _spread([q, k, v, mask, 0.0, causal])


def _upsample_args(draw, ctx, nd, linear):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    spatial = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    out = [draw(st.integers(1, 6)) for _ in range(nd)]
    x = _t(draw, ctx, (n, c) + spatial)
    if draw(st.booleans()):
        # scales as interpolate passes them with scale_factor: the output is floor(in * scale)
        scale = [draw(st.sampled_from([0.5, 1.5, 2.0, 3.0])) for _ in range(nd)]
        out = [max(int(np.floor(s * f)), 1) for s, f in zip(spatial, scale)]
        scales = [f if int(np.floor(s * f)) >= 1 else None for s, f in zip(spatial, scale)]
    else:
        scales = [None] * nd
    corners = [draw(st.booleans())] if linear else []
    return _spread([x, out] + corners + scales)


def upsample_args_1d_nearest(draw, ctx, done):
    return _upsample_args(draw, ctx, 1, False)


def upsample_args_2d_nearest(draw, ctx, done):
    return _upsample_args(draw, ctx, 2, False)


def upsample_args_3d_nearest(draw, ctx, done):
    return _upsample_args(draw, ctx, 3, False)


def upsample_args_1d_linear(draw, ctx, done):
    return _upsample_args(draw, ctx, 1, True)


def upsample_args_2d_linear(draw, ctx, done):
    return _upsample_args(draw, ctx, 2, True)


def upsample_args_3d_linear(draw, ctx, done):
    return _upsample_args(draw, ctx, 3, True)


def _max_unpool_args(draw, ctx, nd):
    """Distinct indices per (batch, channel) plane, as max_pool produces them (duplicates are unspecified)."""
    lead = (draw(st.integers(1, 2)),) if draw(st.booleans()) else ()
    lead = lead + (draw(st.integers(1, 2)),)
    spatial = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    out = [s * draw(st.integers(1, 2)) for s in spatial]
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    planes, per, total = int(np.prod(lead)), int(np.prod(spatial)), int(np.prod(out))
    idx = np.stack([rng.permutation(total)[:per] for _ in range(planes)]).reshape(lead + spatial)
    extra = [[1] * nd, [0] * nd] if nd == 3 else []
    return _spread([_t(draw, ctx, lead + spatial), _fixed(idx.astype(np.int64), "int64"), out] + extra)


def max_unpool2d_args(draw, ctx, done):
    return _max_unpool_args(draw, ctx, 2)


def max_unpool3d_args(draw, ctx, done):
    return _max_unpool_args(draw, ctx, 3)
