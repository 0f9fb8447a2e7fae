"""Hypothesis strategies built from the table's sample specs (ops_table/samples.py).

A drawn case holds *recipes*, not tensors: a NumPy buffer plus a layout transform, so
mstorch and torch each get their own copy with the same values and the same strides
(contiguous, transposed or step-sliced)."""
import numpy as np
from hypothesis import strategies as st

from tests.parity import custom_samples


class Arr:
    """A tensor to be built identically in both frameworks."""

    def __init__(self, buf, layout, dtype):
        self.buf, self.layout, self.dtype = buf, layout, dtype

    @property
    def values(self):
        return _apply_np(self.buf, self.layout)

    @property
    def shape(self):
        return self.values.shape

    @property
    def ndim(self):
        return self.values.ndim

    def build(self, lib, requires_grad=False):
        """(leaf, input): the leaf owns the buffer; the input is the (possibly strided) view of it."""
        base = lib.from_numpy(self.buf.copy())
        if self.dtype == "bfloat16":
            base = base.to(lib.bfloat16)
        if requires_grad:
            base.requires_grad_(True)
        return base, _apply_lib(base, self.layout)

    def __repr__(self):
        return f"Arr(shape={self.values.shape}, dtype={self.dtype}, layout={self.layout})"


def _apply_np(buf, layout):
    if layout == "t":
        return buf.transpose()
    if layout == "step":
        return buf[::2]
    return buf


def _apply_lib(t, layout):
    if layout == "t":
        return t.permute(tuple(reversed(range(t.dim()))))
    if layout == "step":
        n = t.shape[0]
        return t.as_strided(((n + 1) // 2,) + tuple(t.shape[1:]), (2 * t.stride()[0],) + tuple(t.stride()[1:]), 0)
    return t


def _np_dtype(name):
    return np.float32 if name == "bfloat16" else np.dtype({"bool": "bool"}.get(name, name))


def make_values(rng, shape, dtype, low, high, unique=False):
    npd = _np_dtype(dtype)
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if np.issubdtype(npd, np.integer):
        lo = max(int(np.floor(low)), np.iinfo(npd).min)
        hi = min(int(np.ceil(high)), np.iinfo(npd).max)
        if np.issubdtype(npd, np.unsignedinteger):
            lo, hi = max(lo, 0), max(hi, 1)
        return rng.integers(lo, hi + 1, size=shape).astype(npd)
    if unique:
        n = int(np.prod(shape)) if shape else 1
        vals = rng.permutation(n).astype(np.float64) / max(n, 1) * (high - low) + low
        return vals.reshape(shape).astype(npd)
    return rng.uniform(low, high, size=shape).astype(npd)


@st.composite
def shapes(draw, ndim, min_size=0):
    lo, hi = ndim
    n = draw(st.integers(lo, hi))
    return tuple(draw(st.integers(min_size, 4)) for _ in range(n))


@st.composite
def tensor_recipe(draw, spec, ctx):
    dtype = spec["dtype"] or ctx["dtype"]
    if spec["shape"] is not None:
        shape = tuple(spec["shape"])
    elif spec["ndim"] is not None:
        shape = draw(shapes(spec["ndim"], spec["min_size"]))
    elif spec["bcast"]:
        base = ctx["shape"]
        drop = draw(st.integers(0, len(base)))
        shape = tuple(1 if draw(st.booleans()) and draw(st.booleans()) else s for s in base[drop:])
    else:
        shape = ctx["shape"]
        if spec["min_size"]:
            shape = tuple(max(s, spec["min_size"]) for s in shape)
    low = spec["low"] if spec["low"] is not None else ctx["low"]
    high = spec["high"] if spec["high"] is not None else ctx["high"]
    layout = draw(st.sampled_from(["contig", "t", "step"] if len(shape) >= 2 else
                                  (["contig", "step"] if len(shape) == 1 else ["contig"])))
    buf_shape = tuple(reversed(shape)) if layout == "t" else \
        ((shape[0] * 2 - 1 if shape[0] else 0,) + shape[1:] if layout == "step" else shape)
    if layout == "step" and shape[0] == 0:
        layout, buf_shape = "contig", shape
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    buf = make_values(rng, buf_shape, dtype, low, high, spec.get("unique"))
    return Arr(buf, layout, dtype)


def _arg(draw, spec, ctx, done):
    kind = spec["kind"] if isinstance(spec, dict) and "kind" in spec else None
    if kind is None:
        if isinstance(spec, (list, tuple)) and any(isinstance(s, dict) and "kind" in s for s in spec):
            return [_arg(draw, s, ctx, done) for s in spec]
        return spec
    if kind == "tensor":
        return draw(tensor_recipe(spec, ctx))
    if kind == "dim":
        n = _ndim_of(done, spec["of"], ctx)
        if spec["allow_none"] and draw(st.booleans()):
            return None
        return draw(st.integers(-max(n, 1), max(n, 1) - 1))
    if kind == "dims":
        n = _ndim_of(done, spec["of"], ctx)
        if spec["allow_none"] and draw(st.booleans()):
            return None
        if n == 0:
            return draw(st.sampled_from([(), (0,), (-1,)]))
        chosen = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=1, max_size=n))
        return tuple(d - n if draw(st.booleans()) else d for d in chosen)
    if kind == "choice":
        return draw(st.sampled_from(spec["values"]))
    if kind == "int":
        return draw(st.integers(spec["lo"], spec["hi"]))
    if kind == "real":
        return draw(st.floats(spec["lo"], spec["hi"], allow_nan=False, width=32))
    if kind == "scalar":
        k = draw(st.sampled_from(spec["kinds"]))
        lo, hi = ctx["low"], ctx["high"]
        if k == "int":
            return draw(st.integers(int(lo), int(hi)))
        if k == "bool":
            return draw(st.booleans())
        return float(np.float32(draw(st.floats(lo, hi, allow_nan=False, width=32))))
    if kind == "shape_of":
        return tuple(done[spec["of"]].shape)
    if kind == "custom":
        return custom_samples.find(spec["name"], ctx.get("family"))(draw, ctx, done)
    raise ValueError(f"unknown sample spec {kind}")


def _ndim_of(done, of, ctx):
    v = done[of] if of < len(done) else None
    return v.ndim if isinstance(v, Arr) else len(ctx["shape"])


@st.composite
def cases(draw, sample):
    dtype = draw(st.sampled_from(sample["dtypes"]))
    ctx = {"dtype": dtype, "shape": draw(shapes(sample["ndim"])), "low": sample["low"], "high": sample["high"]}
    args = []
    for spec in sample["args"]:
        v = _arg(draw, spec, ctx, args)
        if isinstance(v, custom_samples.Spread):
            args.extend(v.items)
        else:
            args.append(v)
    kwargs = {k: _arg(draw, s, ctx, args) for k, s in sample["kwargs"].items()}
    return dtype, args, kwargs


def invalid_case(call, sample):
    ctx = {"dtype": sample["dtypes"][0], "shape": (2, 3), "low": sample["low"], "high": sample["high"]}
    rng = np.random.default_rng(0)

    def lit(spec):
        if isinstance(spec, dict) and spec.get("kind") == "tensor":
            shape = tuple(spec["shape"] or ctx["shape"])
            return Arr(make_values(rng, shape, spec["dtype"] or ctx["dtype"], ctx["low"], ctx["high"]), "contig",
                       spec["dtype"] or ctx["dtype"])
        if isinstance(spec, list):
            return [lit(s) for s in spec]
        return spec
    return [lit(a) for a in call["args"]], {k: lit(v) for k, v in call["kwargs"].items()}
