"""bernoulli_, torch.bernoulli and the dropout noise (``bernoulli_(1 - p)``
scaled by ``1 / (1 - p)``)."""

import numpy as np

from . import bits as B
from . import layout as L

f32 = np.float32


def _cast_01(b, kind):
    if kind == "bool":
        return b
    if kind == "bfloat16":
        return b.astype(f32)
    return b.astype(kind)


def bernoulli_(gen, out, p=0.5, *, torch_dtype=None):
    """``out.bernoulli_(p)``.

    Scalar p: ``u < p`` with a 53-bit double uniform per element (PyTorch's
    default kernel; builds with MKL use MKL's stream on Intel CPUs instead,
    see docs/random.md). Array p (broadcast to ``out``): float64 p uses the
    53-bit double uniform, other float p a 24-bit float uniform.
    """
    B.check_array(out)
    kind = L.kind_of(out, torch_dtype)
    n = out.size
    g = B.stream(gen)
    if isinstance(p, np.ndarray):
        if n == 0:
            return out
        if p.dtype.kind != "f":
            raise B.not_implemented("bernoulli_tensor_cpu_p_", p.dtype.name)
        pe = np.broadcast_to(p, out.shape)
        flat_p = L.read_serial(pe, out)
        with g.lock:
            if p.dtype == np.float64:
                u = B.u53(g.random64(n))
                b = u < flat_p
            else:
                u = B.u24(g.random32(n))
                b = u < flat_p.astype(f32)
            return L.write_serial(out, _cast_01(b, kind))
    p = float(p)
    if not (0 <= p <= 1):
        raise RuntimeError("bernoulli_ expects p to be in [0, 1], but got p="
                           + B.g6(p))
    if n == 0:
        return out
    with g.lock:
        b = B.u53(g.random64(n)) < p
        return L.write_serial(out, _cast_01(b, kind))


def bernoulli(gen, p, *, p_scalar=None, torch_dtype=None):
    """``torch.bernoulli(input)`` (``p`` is the probability array; the result
    is a new contiguous array of its dtype) or, with ``p_scalar``,
    ``torch.bernoulli(input, p_scalar)`` (also a new contiguous array; only
    ``input``'s shape and dtype matter)."""
    # both overloads allocate with LEGACY_CONTIGUOUS_MEMORY_FORMAT
    out = np.empty(p.shape, p.dtype)
    if p_scalar is None:
        return bernoulli_(gen, out, p, torch_dtype=torch_dtype)
    return bernoulli_(gen, out, float(p_scalar), torch_dtype=torch_dtype)


def dropout_mask(gen, like, p, dtype=None, *, feature=False,
                 torch_dtype=None):
    """The noise ``F.dropout(x, p, training=True)`` multiplies ``x`` by.

    CPU ``dropout`` is ``x * (empty_like(x).bernoulli_(1-p) / (1-p))``. The
    noise has ``x``'s layout (so a transposed ``x`` is drawn in its memory
    order), or ``(N, C, 1, ...)`` contiguous for feature dropout
    (``dropout1d/2d/3d``). For p == 0 or p == 1 PyTorch draws nothing; the
    mask is then all ones / all zeros.

    ``like`` is an array (its shape and strides count) or a shape tuple.
    """
    if not isinstance(like, np.ndarray):
        like = np.empty(tuple(like), f32 if dtype is None else dtype)
    dtype = like.dtype if dtype is None else np.dtype(dtype)
    p = float(p)
    if p < 0.0 or p > 1.0:
        raise ValueError("dropout probability has to be between 0 and 1, but "
                         "got " + repr(p))
    if feature:
        shape = like.shape[:2] + (1,) * max(like.ndim - 2, 0)
        noise = np.empty(shape, dtype)
    else:
        noise = L.empty_like(like, dtype)
    if p == 0.0 or like.size == 0:
        noise[...] = 1
        return noise
    if p == 1.0:
        noise[...] = 0
        return noise
    kind = L.kind_of(noise, torch_dtype)
    bernoulli_(gen, noise, 1.0 - p, torch_dtype=torch_dtype)
    if kind == "float64":
        noise /= (1.0 - p)
    elif kind == "float32":
        noise /= f32(1.0 - p)
    else:
        # reduced floats: a * (1 / b) with b the scalar in float
        scale = f32(1.0) / f32(1.0 - p)
        res = noise.astype(f32) * scale
        noise[...] = L.from_float(res, kind)
    return noise
